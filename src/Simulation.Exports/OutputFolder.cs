using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Simulation.Exports;

/// <summary>
/// The rules for a folder the program writes its results into. An output folder carries a marker file
/// (<see cref="MarkerName"/>, holding the program's version), so a later run knows the folder is ours:
/// only a folder that does not exist, is empty or carries the marker may be replaced. Work happens in a
/// hidden staging folder beside the target (<c>.NAME.staging-PID-GUID</c>, with the marker), which
/// <see cref="StagedDirectory"/> swaps into place; one left by a killed process is removed by the next run.
/// </summary>
public static partial class OutputFolder
{
    /// <summary>The marker file written into every output folder (and every staging folder).</summary>
    public const string MarkerName = ".sim-output";

    /// <summary>Bytes kept free below the folder for the longest relative name we write (<c>charts/share-MARKET.svg</c>).</summary>
    public const int ReservedForFiles = 100;

    /// <summary>What a staging or set-aside folder (<c>.NAME.staging-PID-GUID</c>) or a temporary file adds to the target's name.</summary>
    private const int Decoration = 1 + 9 + 10 + 1 + 32;

    private const int NameMax = 255;

    private static int PathMax => OperatingSystem.IsWindows() ? 32_767 : OperatingSystem.IsMacOS() ? 1_024 : 4_096;

    public static string ProgramVersion { get; } =
        typeof(OutputFolder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The marker's content: which program wrote the folder.</summary>
    public static string MarkerText => $"written by sim {ProgramVersion}; the whole folder is replaced by the next run into it\n";

    /// <summary>
    /// Checks, before any work, that <paramref name="directory"/> can take a run's output: not a file, not a
    /// folder of someone else's files, short enough, and writable (probed by creating and removing a staging
    /// folder beside it; any parent folders created for the probe are removed again). Returns the full path.
    /// </summary>
    /// <exception cref="OutputFolderException">The folder cannot be used, with the reason in words.</exception>
    public static string Check(string directory)
    {
        var target = Validate(directory);
        var created = MissingAncestors(target);
        try
        {
            var probe = CreateStaging(target);
            Directory.Delete(probe, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(target, $"no folder can be created beside it ({e.Message})");
        }
        finally
        {
            RemoveEmpty(created);
        }
        if (Directory.Exists(target))
        {
            // An empty folder receives the files, and an earlier output's files are deleted: both need the folder writable.
            try
            {
                var probe = Path.Combine(target, $"{MarkerName}.probe-{Environment.ProcessId}");
                File.WriteAllBytes(probe, []);
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OutputFolderException(target, $"it cannot be written to ({e.Message})");
            }
        }
        return target;
    }

    /// <summary>
    /// The same for a single output file (written through <see cref="AtomicFile"/>): not a folder, short
    /// enough, and its folder writable (probed with a temporary file beside it). Returns the full path.
    /// </summary>
    public static string CheckFile(string file)
    {
        var target = ValidatePath(file);
        if (Directory.Exists(target))
        {
            throw new OutputFolderException(target, "it is an existing folder, not a file");
        }
        var created = MissingAncestors(target);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var probe = AtomicFile.TempPath(target);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(target, $"no file can be created beside it ({e.Message})");
        }
        finally
        {
            RemoveEmpty(created);
        }
        return target;
    }

    /// <summary>The checks that write nothing; returns the full path.</summary>
    internal static string Validate(string directory)
    {
        var target = ValidatePath(directory);
        if (File.Exists(target))
        {
            throw new OutputFolderException(target, "it is an existing file, not a folder");
        }
        var here = Path.TrimEndingDirectorySeparator(Environment.CurrentDirectory);
        if (here == target || here.StartsWith(target + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new OutputFolderException(target, "it is the current folder or holds it, and a run replaces the whole folder; choose a folder below it, such as out/NAME");
        }
        EnsureReplaceable(target);
        return target;
    }

    /// <summary>A full path within the system's limits (with room for the files and staging names we add).</summary>
    private static string ValidatePath(string directory)
    {
        string target;
        try
        {
            target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or IOException)
        {
            throw new OutputFolderException(directory, $"it is not a valid path ({e.Message})");
        }
        var name = Path.GetFileName(target);
        if (Path.GetDirectoryName(target) is null || name.Length == 0)
        {
            throw new OutputFolderException(target, "it is the root of a file system");
        }
        if (Encoding.UTF8.GetByteCount(target) + 1 + ReservedForFiles > PathMax)
        {
            throw new OutputFolderException(target, $"the path is too long: files below it would pass the system's limit of {PathMax} bytes");
        }
        if (target.Split(Path.DirectorySeparatorChar).FirstOrDefault(p => Encoding.UTF8.GetByteCount(p) > NameMax) is { } part)
        {
            throw new OutputFolderException(target, $"the name '{Shorten(part)}' is longer than the system's limit of {NameMax} bytes");
        }
        if (Encoding.UTF8.GetByteCount(name) + Decoration > NameMax)
        {
            throw new OutputFolderException(target,
                $"its name is {Encoding.UTF8.GetByteCount(name)} bytes long, and the temporary name made from it beside it would pass the system's limit of {NameMax} bytes; " +
                $"at most {NameMax - Decoration} fit (choose a shorter --out, or a shorter scenario name)");
        }
        return target;
    }

    /// <summary>Refuses an existing folder that is neither empty nor marked as one of our outputs.</summary>
    internal static void EnsureReplaceable(string target)
    {
        if (!Directory.Exists(target) || IsEmpty(target) || File.Exists(Path.Combine(target, MarkerName)))
        {
            return;
        }
        throw new OutputFolderException(target,
            $"it holds files this program did not write (there is no {MarkerName} marker in it), and a run replaces the whole folder; " +
            "choose a new or empty folder, or one an earlier run wrote");
    }

    internal static bool IsEmpty(string folder)
    {
        try
        {
            return !Directory.EnumerateFileSystemEntries(folder).Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(folder, $"its contents cannot be read ({e.Message})");
        }
    }

    /// <summary>Creates a marked staging folder beside <paramref name="target"/>, after removing any left by dead processes.</summary>
    internal static string CreateStaging(string target)
    {
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        RemoveAbandoned(target);
        var staging = Path.Combine(parent, SiblingName(target, "staging"));
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, MarkerName), MarkerText, new UTF8Encoding(false));
        return staging;
    }

    /// <summary><c>.NAME.KIND-PID-GUID</c>: a hidden sibling of <paramref name="target"/> owned by this process.</summary>
    internal static string SiblingName(string target, string kind) =>
        $".{Path.GetFileName(target)}.{kind}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>
    /// Removes staging and set-aside folders of <paramref name="target"/> that a killed process left: ours by
    /// name and marker, and their owner is gone (or its process id now belongs to a process started after the
    /// folder was last written).
    /// </summary>
    internal static void RemoveAbandoned(string target)
    {
        var parent = Path.GetDirectoryName(target)!;
        var prefix = "." + Path.GetFileName(target) + ".";
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateDirectories(parent, prefix + "*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var folder in candidates)
        {
            var match = SiblingPattern().Match(Path.GetFileName(folder)[prefix.Length..]);
            if (!match.Success || !File.Exists(Path.Combine(folder, MarkerName))
                || !int.TryParse(match.Groups["pid"].Value, out var pid) || pid == Environment.ProcessId || IsAlive(pid, folder))
            {
                continue;
            }
            TryDelete(folder);
        }
    }

    private static bool IsAlive(int pid, string folder)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && process.StartTime.ToUniversalTime() <= Directory.GetLastWriteTimeUtc(folder).AddSeconds(1);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>The folders above <paramref name="target"/> that do not exist yet, deepest first.</summary>
    private static List<string> MissingAncestors(string target)
    {
        var missing = new List<string>();
        for (var dir = Path.GetDirectoryName(target); dir is not null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
        {
            missing.Add(dir);
        }
        return missing;
    }

    /// <summary>Removes folders a probe created, deepest first; not recursive, so only if they are still empty.</summary>
    private static void RemoveEmpty(List<string> created)
    {
        foreach (var folder in created)
        {
            try
            {
                Directory.Delete(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not created, or no longer empty: leave it.
            }
        }
    }

    internal static bool TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    [GeneratedRegex("^(staging|old)-(?<pid>[0-9]{1,10})-[0-9a-f]{32}$")]
    private static partial Regex SiblingPattern();
}

/// <summary>An output folder that cannot be used (a user's mistake: exit code 2), with the reason in words.</summary>
public sealed class OutputFolderException(string path, string reason)
    : IOException($"cannot write the output to {path}: {reason}; nothing was written.")
{
    public string Path { get; } = path;
}
