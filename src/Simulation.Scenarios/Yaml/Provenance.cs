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
    /// <summary>The prior of a fitted number beyond its bounds (<c>fit: {..., prior: ...}</c>); null: uniform on [FitMin, FitMax].</summary>
    public FitPrior? Prior { get; init; }

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

/// <summary>
/// A prior centre for a fitted number, where the evidence gives one: normal about <see cref="Centre"/> with standard
/// deviation <see cref="Spread"/> (<c>{centre, sd}</c>), or log-normal with median <see cref="Centre"/> and
/// <see cref="Spread"/> the standard deviation of its logarithm (<c>{median, logSd}</c>); always truncated to the fit bounds.
/// </summary>
public sealed record FitPrior(double Centre, double Spread, bool Log, string Evidence)
{
    /// <summary>-2 ln of the prior density at <paramref name="x"/>, up to a constant (the truncation's and the normaliser's).</summary>
    public double Penalty(double x)
    {
        var z = Log ? (System.Math.Log(System.Math.Max(x, double.Epsilon)) - System.Math.Log(Centre)) / Spread : (x - Centre) / Spread;
        // The log-normal density has 1/x in it: -2 ln(1/x) = 2 ln x.
        return z * z + (Log ? 2 * System.Math.Log(System.Math.Max(x, double.Epsilon)) : 0);
    }

    public string Describe() => Log
        ? $"log-normal, median {Centre:G4}, sd of ln {Spread:G3} ({Evidence})"
        : $"normal, centre {Centre:G4}, sd {Spread:G3} ({Evidence})";
}
