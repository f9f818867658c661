using System.Collections.Immutable;

namespace Simulation.Model.Phases;

/// <summary>
/// A company at the end of a tick, as the metrics see it. Its money adds up: cash - cash the tick before =
/// revenue + funding + transfers in - spending - transfers out.
/// </summary>
public sealed record CompanySnapshot
{
    public required string Company { get; init; }
    public required int Tick { get; init; }
    public required double CashUsd { get; init; }
    /// <summary>Pool headcount plus stars.</summary>
    public required double Headcount { get; init; }
    public required int Stars { get; init; }
    public required double ModelQuality { get; init; }
    /// <summary>Revenue this tick: other revenue (net of costs outside AI) plus what the apps' users pay.</summary>
    public required double RevenueUsd { get; init; }
    /// <summary>The company's other revenue this tick, net of its costs outside AI.</summary>
    public double OtherRevenueUsd { get; init; }
    /// <summary>What the apps' users paid this tick (revenue per user x active users).</summary>
    public double UserRevenueUsd { get; init; }
    /// <summary>Funding rounds received this tick.</summary>
    public double FundingUsd { get; init; }
    /// <summary>Spending this tick: payroll + compute + marketing + non-compete compensation.</summary>
    public required double SpendUsd { get; init; }
    public double PayrollUsd { get; init; }
    public double ComputeUsd { get; init; }
    public double MarketingUsd { get; init; }
    public double CompensationUsd { get; init; }
    /// <summary>Arbitration payments received from and paid to other companies this tick.</summary>
    public double TransfersInUsd { get; init; }
    public double TransfersOutUsd { get; init; }
    /// <summary>Obligations written off because cash could not cover them, accumulated.</summary>
    public required double UnpaidUsd { get; init; }
    /// <summary>Pool headcount per tier, in tier order.</summary>
    public ImmutableArray<double> Workforce { get; init; } = [];
    /// <summary>The stars' multiplier on effective talent, 1 + mu x H.</summary>
    public double StarLift { get; init; } = 1;
}
