namespace Simulation.Exports;

/// <summary>Writes one file through a temporary file and a rename: readers see the old file or the new one, never half of one.</summary>
public static class AtomicFile
{
    public static void Write(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = TempPath(full);
        try
        {
            File.WriteAllText(temp, text, new System.Text.UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The temporary file beside <paramref name="full"/> that a write goes through.</summary>
    public static string TempPath(string full) => full + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
}
