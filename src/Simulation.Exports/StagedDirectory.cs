using System.Text;

namespace Simulation.Exports;

/// <summary>
/// A staging folder beside a target folder (see <see cref="OutputFolder"/>): files are written (or streamed)
/// into it, then <see cref="Commit"/> puts it in the target's place at once, so the target holds this run's
/// files (and the marker) and nothing else. Disposed without a commit, it leaves nothing behind.
/// </summary>
public sealed class StagedDirectory : IDisposable
{
    private readonly string _staging;
    private bool _committed;

    /// <exception cref="OutputFolderException">The target cannot be used or no staging folder can be made beside it.</exception>
    public StagedDirectory(string directory)
    {
        Target = OutputFolder.Validate(directory);
        try
        {
            _staging = OutputFolder.CreateStaging(Target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(Target, $"no folder can be created beside it ({e.Message})");
        }
    }

    public string Target { get; }

    /// <summary>Printed by <see cref="Commit"/> when the previous output could not be removed; stderr by default.</summary>
    public TextWriter Warnings { get; init; } = Console.Error;

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

    /// <summary>
    /// Puts the staged folder in the target's place. A missing target is renamed into being; an empty one
    /// receives the staged entries; one an earlier run wrote is renamed aside, the staging folder renamed in,
    /// and the old one deleted. Any other folder (someone's files appeared during the run) is refused.
    /// </summary>
    public void Commit()
    {
        if (File.Exists(Target))
        {
            throw new OutputFolderException(Target, "it became a file during the run");
        }
        OutputFolder.EnsureReplaceable(Target);
        if (!Directory.Exists(Target))
        {
            Directory.Move(_staging, Target);
        }
        else if (OutputFolder.IsEmpty(Target))
        {
            // Keeps the folder itself (a shell may stand in it); nothing of anyone's is there to lose.
            foreach (var entry in Directory.EnumerateFileSystemEntries(_staging).Order(StringComparer.Ordinal).ToList())
            {
                var destination = Path.Combine(Target, Path.GetFileName(entry));
                if (Directory.Exists(entry))
                {
                    Directory.Move(entry, destination);
                }
                else
                {
                    File.Move(entry, destination);
                }
            }
            Directory.Delete(_staging);
        }
        else
        {
            var aside = Path.Combine(Path.GetDirectoryName(Target)!, OutputFolder.SiblingName(Target, "old"));
            Directory.Move(Target, aside);
            try
            {
                Directory.Move(_staging, Target);
            }
            catch
            {
                Directory.Move(aside, Target);
                throw;
            }
            if (!OutputFolder.TryDelete(aside))
            {
                Warnings.WriteLine($"sim: warning: the previous output in {Target} was moved aside to {aside} but could not be deleted; the next run into {Target} removes it");
            }
        }
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed)
        {
            OutputFolder.TryDelete(_staging);
        }
    }

    /// <summary>A UTF-8 (no BOM), LF writer for a staged file.</summary>
    public StreamWriter CreateText(string name) => new(PathOf(name), append: false, new UTF8Encoding(false), bufferSize: 1 << 16) { NewLine = "\n" };
}
