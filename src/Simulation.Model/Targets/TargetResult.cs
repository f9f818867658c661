using Simulation.Model.Config;

namespace Simulation.Model.Targets;

/// <summary>How a run did against one target.</summary>
public sealed record TargetResult
{
    public required TargetInfo Target { get; init; }
    /// <summary>What the target asks for, in words and numbers ("79,128,000 +/- 3%").</summary>
    public required string Expected { get; init; }
    /// <summary>What the run gave ("81,006,345"), or why it could not be measured.</summary>
    public required string Simulated { get; init; }
    /// <summary>The simulated value where there is one (a 0/1 indicator for yes/no targets).</summary>
    public required double Value { get; init; }
    /// <summary>The error in the target's own terms ("+2.4%", "-0.07", "yes"/"no").</summary>
    public required string Error { get; init; }
    public required bool Within { get; init; }
    /// <summary>
    /// The residual the calibration squares: a relative error for figures, the square root of the relative
    /// shortfall for one-sided targets (0 when met: its square, the shortfall, is an exact penalty), and 0 for scripted yes/no targets.
    /// </summary>
    public required double Residual { get; init; }
    /// <summary>For a ranking (first, above): the two figures compared, the target's app's first; else null.</summary>
    public (double Own, double Other)? Pair { get; init; }
    /// <summary>How the figure comes about (fitted, input, scripted, emergent).</summary>
    public TargetLabel Label { get; init; }
}
