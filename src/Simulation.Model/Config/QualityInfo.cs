namespace Simulation.Model.Config;

/// <summary>
/// Product quality: capability C = T^a K^b from effective talent T and compute K (a + b &lt; 1 gives
/// diminishing returns); model quality moves toward C with a time constant; relative quality is
/// quality over a frontier that rises exponentially.
/// </summary>
public sealed record QualityInfo
{
    [Param("Elasticity a of capability to effective talent (a + b < 1)", Min = 0, Max = 1)]
    public double TalentElasticity { get; init; } = 0.4;

    [Param("Elasticity b of capability to compute (a + b < 1)", Min = 0, Max = 1)]
    public double ComputeElasticity { get; init; } = 0.3;

    [Param("Monthly compute spend that buys one unit of compute K (at least a dollar: a smaller unit overflows K)", Unit = "USD/month", Min = 1)]
    public double ComputeUnitUsd { get; init; } = 1e6;

    [Param("Time constant with which model quality moves toward capability", Unit = "months", Min = 0, MinExclusive = true, Max = 1200)]
    public double AdjustmentMonths { get; init; } = 6;

    [Param("The frontier's quality at the start date (at least 0.001: a smaller one overflows the ratio of quality to it)", Unit = "quality", Min = 0.001)]
    public double FrontierStart { get; init; } = 100;

    [Param("The frontier's growth rate (continuous)", Unit = "1/year", Min = 0, Max = 10)]
    public double FrontierGrowth { get; init; } = 0.5;

    [Param("Research luck: volatility of the log of each company's R&D efficiency (0: none)", Unit = "1/sqrt(year)", Min = 0, Max = 2)]
    public double Volatility { get; init; }
}
