using System.Text;

namespace Simulation.Exports;

/// <summary>
/// Writes a set of files into a directory all at once, or not at all: every file is written completely
/// into a staging folder beside the target before any is moved into place.
/// </summary>
public static class AtomicDirectory
{
    public static void Write(string directory, IReadOnlyDictionary<string, string> files)
    {
        var utf8 = new UTF8Encoding(false);
        Write(directory, files.ToDictionary(f => f.Key, f => utf8.GetBytes(f.Value), StringComparer.Ordinal));
    }

    /// <summary>Binary files; a name may hold a sub-folder (<c>charts/cash.png</c>, with '/').</summary>
    public static void Write(string directory, IReadOnlyDictionary<string, byte[]> files)
    {
        var target = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.staging-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var (name, bytes) in files)
            {
                var path = Path.Combine(staging, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, bytes);
            }
            Directory.CreateDirectory(target);
            foreach (var name in files.Keys)
            {
                var destination = Path.Combine(target, name);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Move(Path.Combine(staging, name), destination, overwrite: true);
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
