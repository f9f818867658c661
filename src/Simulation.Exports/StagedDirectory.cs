using System.Text;

namespace Simulation.Exports;

/// <summary>
/// A staging folder beside a target folder: files are written (or streamed) into it, then all moved
/// into the target by <see cref="Commit"/>. Disposed without a commit, it leaves nothing behind.
/// </summary>
public sealed class StagedDirectory : IDisposable
{
    private readonly string _staging;

    public StagedDirectory(string directory)
    {
        Target = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(Target) ?? ".";
        Directory.CreateDirectory(parent);
        _staging = Path.Combine(parent, $".{Path.GetFileName(Target)}.staging-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_staging);
    }

    public string Target { get; }

    /// <summary>Where a file named <paramref name="name"/> is staged.</summary>
    public string PathOf(string name) => Path.Combine(_staging, name);

    public void WriteText(string name, string text) => File.WriteAllText(PathOf(name), text, new UTF8Encoding(false));

    /// <summary>Stages a binary file; <paramref name="name"/> may have folders (<c>charts/mau.png</c>).</summary>
    public void WriteBytes(string name, byte[] bytes)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Moves every staged file (folders included) into the target, replacing files of the same name.</summary>
    public void Commit()
    {
        Directory.CreateDirectory(Target);
        foreach (var file in Directory.GetFiles(_staging, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var destination = Path.Combine(Target, Path.GetRelativePath(_staging, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Move(file, destination, overwrite: true);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_staging))
        {
            Directory.Delete(_staging, recursive: true);
        }
    }

    /// <summary>A UTF-8 (no BOM), LF writer for a staged file.</summary>
    public StreamWriter CreateText(string name) => new(PathOf(name), append: false, new UTF8Encoding(false), bufferSize: 1 << 16) { NewLine = "\n" };
}
