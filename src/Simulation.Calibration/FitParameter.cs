using Simulation.Scenarios.Yaml;

namespace Simulation.Calibration;

/// <summary>
/// A number the scenario marks for fitting (<c>fit: {min, max}</c>), with where its value is written
/// in the file (character offsets), so fitted values can be written back without touching the rest.
/// </summary>
public sealed record FitParameter(string Path, int Line, double Start, double Min, double Max)
{
    /// <summary>The prior beyond the bounds; null: uniform on [Min, Max].</summary>
    public FitPrior? Prior { get; init; }

    /// <summary>-2 ln of the prior density at <paramref name="x"/>, up to a constant: 0 for a uniform prior.</summary>
    public double PriorPenalty(double x) => Prior?.Penalty(x) ?? 0;

    /// <summary>Offsets of the value scalar in the file text: [ValueStart, ValueEnd).</summary>
    internal int ValueStart { get; init; }
    internal int ValueEnd { get; init; }
    /// <summary>Offsets of the provenance key and its value (source/fitted/assumption: "...").</summary>
    internal int NoteStart { get; init; }
    internal int NoteEnd { get; init; }

    public double Range => Max - Min;
}
