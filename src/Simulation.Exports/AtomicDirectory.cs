using System.Text;

namespace Simulation.Exports;

/// <summary>
/// Writes a set of files into a directory all at once, or not at all: every file is written completely
/// into a staging folder beside the target (<see cref="StagedDirectory"/>) before any is moved into place.
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
        using var staged = new StagedDirectory(directory);
        foreach (var (name, bytes) in files)
        {
            staged.WriteBytes(name, bytes);
        }
        staged.Commit();
    }
}
