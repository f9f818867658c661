namespace Simulation.Model.Config;

/// <summary>
/// Product quality: capability C = T^a K^b from effective talent T and compute K (a + b &lt; 1 gives
/// diminishing returns); model quality moves toward C with a time constant; relative quality is
/// quality over a frontier that rises exponentially.
/// </summary>
public sealed record QualityInfo
{
    public double TalentElasticity { get; init; } = 0.4;
    public double ComputeElasticity { get; init; } = 0.3;
    /// <summary>Monthly compute spend that buys one unit of K.</summary>
    public double ComputeUnitUsd { get; init; } = 1e6;
    public double AdjustmentMonths { get; init; } = 6;
    /// <summary>The frontier's quality at the start date.</summary>
    public double FrontierStart { get; init; } = 100;
    /// <summary>The frontier's growth rate, per year (continuous).</summary>
    public double FrontierGrowth { get; init; } = 0.5;
    /// <summary>Research luck: volatility of the log of each company's R&amp;D efficiency, per square-root year (0: none).</summary>
    public double Volatility { get; init; }
}
