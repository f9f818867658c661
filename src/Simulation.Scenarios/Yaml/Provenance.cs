using System.Collections;

namespace Simulation.Scenarios.Yaml;

/// <summary>
/// Where a number in a scenario comes from.
/// <see cref="Kind"/> is <c>source</c>, <c>fitted</c>, <c>assumption</c> or <c>none</c> (a plain scalar);
/// <see cref="Text"/> is the text after that key (null for <c>none</c>).
/// </summary>
public sealed record Provenance(
    string Path, int Line, string Kind, string? Text, double Value, double? FitMin, double? FitMax)
{
    public const string Source = "source";
    public const string Fitted = "fitted";
    public const string Assumption = "assumption";
    public const string None = "none";
}

/// <summary>The provenance of every number read through the provenance-aware readers, in reading order.</summary>
public sealed class ProvenanceLog : IReadOnlyList<Provenance>
{
    private readonly List<Provenance> _entries = [];
    private readonly Dictionary<string, int> _byPath = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public Provenance this[int index] => _entries[index];

    /// <summary>The entry for a path such as <c>market.innovation</c>, or null.</summary>
    public Provenance? Find(string path) =>
        _byPath.TryGetValue(path, out var i) ? _entries[i] : null;

    /// <summary>Records an entry; reading the same path again replaces the earlier entry.</summary>
    public void Add(Provenance entry)
    {
        if (_byPath.TryGetValue(entry.Path, out var i))
        {
            _entries[i] = entry;
        }
        else
        {
            _byPath.Add(entry.Path, _entries.Count);
            _entries.Add(entry);
        }
    }

    public IEnumerator<Provenance> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
