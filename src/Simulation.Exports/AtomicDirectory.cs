namespace Simulation.Exports;

/// <summary>Writes a set of files into a directory all at once, or not at all.</summary>
public static class AtomicDirectory
{
    public static void Write(string directory, IReadOnlyDictionary<string, string> files)
    {
        var target = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.staging-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var (name, text) in files)
            {
                File.WriteAllText(Path.Combine(staging, name), text, new System.Text.UTF8Encoding(false));
            }
            Directory.CreateDirectory(target);
            foreach (var name in files.Keys)
            {
                File.Move(Path.Combine(staging, name), Path.Combine(target, name), overwrite: true);
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
