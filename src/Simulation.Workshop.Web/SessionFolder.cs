using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulation.Workshop;

namespace Simulation.Workshop.Web;

/// <summary>
/// <c>DIR/session.json</c>: what a session was started with, its tokens and its links. Readable by the owner only
/// (mode 0600 on Unix): it is the key to the room.
/// </summary>
public sealed record SessionFile
{
    public required string ScenarioFile { get; init; }
    public required string ScenarioName { get; init; }
    /// <summary>SHA-256 of the scenario's files: a restart with another scenario is refused.</summary>
    public required string ScenarioSha256 { get; init; }
    public required ImmutableArray<string> Teams { get; init; }
    public required int Rounds { get; init; }
    public required int RoundMonths { get; init; }
    public required string Bind { get; init; }
    public required int Port { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required string FacilitatorToken { get; init; }
    /// <summary>Company -> its team's token.</summary>
    public required ImmutableSortedDictionary<string, string> TeamTokens { get; init; }
    public string FacilitatorUrl { get; init; } = "";
    public string RoomUrl { get; init; } = "";
    /// <summary>Company -> its team's join link (the token in the fragment, which browsers never send to a server).</summary>
    public ImmutableSortedDictionary<string, string> TeamUrls { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>A new session's file with fresh tokens.</summary>
    public static SessionFile Create(string scenarioFile, string scenarioName, string sha256, IReadOnlyList<string> teams, int rounds, int roundMonths, string bind, int port, DateTimeOffset now) => new()
    {
        ScenarioFile = scenarioFile,
        ScenarioName = scenarioName,
        ScenarioSha256 = sha256,
        Teams = [.. teams],
        Rounds = rounds,
        RoundMonths = roundMonths,
        Bind = bind,
        Port = port,
        Created = now,
        FacilitatorToken = Tokens.New(),
        TeamTokens = teams.ToImmutableSortedDictionary(t => t, _ => Tokens.New(), StringComparer.Ordinal),
    };

    /// <summary>The links for a server at <paramref name="baseUrl"/> (no trailing slash).</summary>
    public SessionFile WithLinks(string baseUrl) => this with
    {
        FacilitatorUrl = $"{baseUrl}/facilitator.html#token={FacilitatorToken}",
        RoomUrl = $"{baseUrl}/room.html",
        TeamUrls = TeamTokens.ToImmutableSortedDictionary(t => t.Key, t => $"{baseUrl}/team.html#company={Uri.EscapeDataString(t.Key)}&token={t.Value}", StringComparer.Ordinal),
    };
}

/// <summary>Bearer tokens: 256 random bits, base64url; compared in constant time.</summary>
public static class Tokens
{
    public const int Bytes = 32;

    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>True when <paramref name="presented"/> is <paramref name="expected"/>, in time that does not depend on where they differ.</summary>
    public static bool Same(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// The session folder: <c>session.json</c>, <c>journal.jsonl</c> (every accepted action, one JSON line each, on disk
/// before the response is sent) and <c>audit.jsonl</c> (who did what and when, refusals too; never a token).
/// </summary>
public sealed class SessionFolder : IDisposable
{
    public const string SessionFileName = "session.json", JournalFileName = "journal.jsonl", AuditFileName = "audit.jsonl";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly JsonSerializerOptions Indented = new(Json) { WriteIndented = true };

    private readonly FileStream _journal;
    private readonly FileStream _audit;
    private readonly Lock _auditLock = new();

    private SessionFolder(string directory, FileStream journal, FileStream audit)
    {
        Directory = directory;
        _journal = journal;
        _audit = audit;
    }

    public string Directory { get; }

    public string JournalPath => Path.Combine(Directory, JournalFileName);

    /// <summary>The session file in <paramref name="directory"/>, or null when there is none.</summary>
    public static SessionFile? ReadSession(string directory)
    {
        var path = Path.Combine(directory, SessionFileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<SessionFile>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Writes the session file, readable and writable by the owner only.</summary>
    public static void WriteSession(string directory, SessionFile session)
    {
        var path = Path.Combine(directory, SessionFileName);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, session, Indented);
            stream.Flush(flushToDisk: true);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// The journal's entries. A last line cut short by a crash (no newline at its end) was never acknowledged: it is
    /// dropped, and the file cut back to the last whole line.
    /// </summary>
    public static IReadOnlyList<JournalEntry> ReadJournal(string directory)
    {
        var path = Path.Combine(directory, JournalFileName);
        if (!File.Exists(path))
        {
            return [];
        }
        var bytes = File.ReadAllBytes(path);
        var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        if (end < bytes.Length)
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
            f.SetLength(end);
            f.Flush(flushToDisk: true);
        }
        var entries = new List<JournalEntry>();
        var lines = Encoding.UTF8.GetString(bytes, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < lines.Length; i++)
        {
            try
            {
                entries.Add(JsonSerializer.Deserialize<JournalEntry>(lines[i], Json) ?? throw new JsonException("null entry"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{i + 1}: not a journal entry ({e.Message})");
            }
        }
        return entries;
    }

    public const string LockFileName = ".lock";

    /// <summary>
    /// Takes the folder for this process: an exclusive lock on <c>DIR/.lock</c>, held while the returned stream is open
    /// (the operating system drops it if the process dies, even by kill -9). Null when another process holds it: two
    /// servers appending to one journal would each lose the other's accepted actions.
    /// </summary>
    public static FileStream? TryLock(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            return new FileStream(Path.Combine(directory, LockFileName), options);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Opens the folder's journal and audit log for appending (creating them).</summary>
    public static SessionFolder Open(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        return new SessionFolder(directory, Append(Path.Combine(directory, JournalFileName)), Append(Path.Combine(directory, AuditFileName)));
    }

    private static FileStream Append(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(path, options);
    }

    /// <summary>An entry as its journal line, without the newline.</summary>
    public static byte[] JournalLine(JournalEntry entry) => JsonSerializer.SerializeToUtf8Bytes(entry, Json);

    /// <summary>Appends one entry as a line and flushes it to the disk (fsync) before returning.</summary>
    public void Append(JournalEntry entry)
    {
        var line = JournalLine(entry);
        _journal.Write(line);
        _journal.WriteByte((byte)'\n');
        _journal.Flush(flushToDisk: true);
    }

    /// <summary>Appends a line to the audit log (flushed to the operating system, not forced to the disk).</summary>
    public void Audit(AuditRecord record)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(record, Json);
        lock (_auditLock)
        {
            _audit.Write(line);
            _audit.WriteByte((byte)'\n');
            _audit.Flush();
        }
    }

    /// <summary>The journal's bytes as written so far.</summary>
    public byte[] JournalBytes()
    {
        using var f = new FileStream(JournalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var copy = new MemoryStream();
        f.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose()
    {
        _journal.Dispose();
        _audit.Dispose();
    }
}

/// <summary>One line of <c>audit.jsonl</c>: who asked for what, when, from where, and the answer. No tokens.</summary>
public sealed record AuditRecord(DateTimeOffset At, string Who, string Method, string Path, int Status, string? Remote, string? Detail = null);
