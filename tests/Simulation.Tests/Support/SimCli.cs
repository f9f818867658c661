using Simulation.Cli.Commands;

namespace Simulation.Tests.Support;

/// <summary>The CLI in process, for tests of commands: its exit code and what it wrote; and a temporary folder.</summary>
public static class SimCli
{
    public static async Task<(int Code, string Stdout, string Stderr)> Sim(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await SimCommand.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Every file below <paramref name="folder"/>, as relative paths in ordinal order.</summary>
    public static List<string> Files(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];
}

/// <summary>A temporary folder, deleted with what is in it.</summary>
public sealed class TempDir(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Write(string name, string text)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
