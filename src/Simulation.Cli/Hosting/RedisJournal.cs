using System.Text;
using Simulation.Cli.Commands;
using Simulation.Workshop.Web;
using StackExchange.Redis;

namespace Simulation.Cli.Hosting;

/// <summary>
/// A workshop's session file and journal kept in the cluster's Redis as well as in its folder (<c>sim workshop
/// --cluster</c>), under <c>{cluster id}/workshop/{folder name}/</c>: a session whose server died with its machine
/// resumes on another from Redis, with the same links and the same journal. Every accepted action is pushed to
/// Redis after the folder's fsync and before it is answered.
/// </summary>
public sealed class RedisJournal : IJournalMirror, IDisposable
{
    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly RedisKey _session;
    private readonly RedisKey _journal;

    private RedisJournal(ConnectionMultiplexer redis, string prefix)
    {
        _redis = redis;
        _db = redis.GetDatabase();
        Prefix = prefix;
        _session = prefix + "session";
        _journal = prefix + "journal";
    }

    /// <summary>The keys' prefix: <c>{cluster id}/workshop/{session name}/</c>.</summary>
    public string Prefix { get; }

    /// <exception cref="ClusterException">Redis cannot be reached.</exception>
    public static async Task<RedisJournal> OpenAsync(ClusterTarget target, string sessionName)
    {
        await target.CheckRedisAsync();
        var redis = await ConnectionMultiplexer.ConnectAsync(target.Address.RedisConfiguration());
        return new RedisJournal(redis, $"{target.ClusterId}/workshop/{sessionName}/");
    }

    /// <summary>
    /// Brings the folder and Redis level: a folder without a session gets Redis's (session file and journal), a
    /// journal shorter than the other is completed from it. Returns how many entries the folder got from Redis.
    /// </summary>
    /// <exception cref="UsageException">The two journals disagree (neither is a prefix of the other).</exception>
    public int Restore(string directory)
    {
        var session = (string?)_db.StringGet(_session);
        var remote = _db.ListRange(_journal).Select(v => (byte[])v!).ToList();
        var sessionPath = Path.Combine(directory, SessionFolder.SessionFileName);
        var journalPath = Path.Combine(directory, SessionFolder.JournalFileName);
        if (!File.Exists(sessionPath))
        {
            if (session is null || (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any()))
            {
                return 0;
            }
            Directory.CreateDirectory(directory);
            WriteOwnerOnly(sessionPath, Encoding.UTF8.GetBytes(session));
            WriteOwnerOnly(journalPath, [.. remote.SelectMany(line => line.Append((byte)'\n'))]);
            return remote.Count;
        }
        SessionFolder.ReadJournal(directory); // cuts a last line a crash left unfinished
        var local = File.Exists(journalPath)
            ? File.ReadAllBytes(journalPath).AsSpan().ToArray().Split((byte)'\n')
            : [];
        var common = Math.Min(local.Count, remote.Count);
        for (var i = 0; i < common; i++)
        {
            if (!local[i].AsSpan().SequenceEqual(remote[i]))
            {
                throw new UsageException($"--cluster: the journal in {directory} and the one in Redis ({Prefix}journal) differ at entry {i + 1}; move one of them away");
            }
        }
        if (remote.Count > local.Count)
        {
            using var append = new FileStream(journalPath, FileMode.Append, FileAccess.Write);
            foreach (var line in remote.Skip(local.Count))
            {
                append.Write(line);
                append.WriteByte((byte)'\n');
            }
            append.Flush(flushToDisk: true);
            return remote.Count - local.Count;
        }
        foreach (var line in local.Skip(remote.Count))
        {
            _db.ListRightPush(_journal, line);
        }
        if (session is null)
        {
            SaveSession(directory);
        }
        return 0;
    }

    /// <summary>Copies the folder's session file (links, tokens, port) to Redis.</summary>
    public void SaveSession(string directory) =>
        _db.StringSet(_session, File.ReadAllText(Path.Combine(directory, SessionFolder.SessionFileName)));

    public void Append(int seq, byte[] line)
    {
        var length = _db.ListRightPush(_journal, line);
        if (length != seq)
        {
            throw new InvalidOperationException($"the journal in Redis ({Prefix}journal) holds {length} entries after entry {seq}: another server writes to this session");
        }
    }

    public void Dispose() => _redis.Dispose();

    private static void WriteOwnerOnly(string path, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}

internal static class ByteLines
{
    /// <summary>The lines of <paramref name="bytes"/> split at <paramref name="separator"/>, without empty ones.</summary>
    public static List<byte[]> Split(this byte[] bytes, byte separator)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= bytes.Length; i++)
        {
            if (i == bytes.Length || bytes[i] == separator)
            {
                if (i > start)
                {
                    lines.Add(bytes[start..i]);
                }
                start = i + 1;
            }
        }
        return lines;
    }
}
