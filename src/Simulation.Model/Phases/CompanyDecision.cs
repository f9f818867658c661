using System.Collections.Immutable;
using Simulation.Model.Config;

namespace Simulation.Model.Phases;

/// <summary>
/// A company's decision for one tick: its spending plan and its moves in the job market. A value, so
/// the scheduler can collect it from a policy or, in a workshop, from a team.
/// </summary>
public sealed record CompanyDecision
{
    public required string Company { get; init; }
    public required int Tick { get; init; }
    /// <summary>The policy in force (the job market reads its non-compete and arbitration stance).</summary>
    public required PolicyInfo Policy { get; init; }
    /// <summary>Other revenue this tick, net of costs outside AI.</summary>
    public required double RevenueUsd { get; init; }
    /// <summary>Cash at the decision, after this tick's funding (the job market caps payments by it).</summary>
    public double CashUsd { get; init; }
    public required double PayrollUsd { get; init; }
    public required double ComputeUsd { get; init; }
    public required double MarketingUsd { get; init; }
    /// <summary>Share of pool headcount laid off because cash ran short (0 normally).</summary>
    public double LayoffShare { get; init; }
    /// <summary>True when cash cannot pay the stars' salaries: they are released (no non-compete).</summary>
    public bool ReleasesStars { get; init; }
    /// <summary>Stars' salary this tick that cash could not pay (written off).</summary>
    public double UnpaidUsd { get; init; }
    /// <summary>Current pool headcount and openings per tier.</summary>
    public required ImmutableArray<double> Headcount { get; init; }
    public required ImmutableArray<double> Openings { get; init; }
    /// <summary>Offers to named researchers, sorted by person.</summary>
    public ImmutableArray<StarOffer> Offers { get; init; } = [];
}

public sealed record StarOffer
{
    public required string Person { get; init; }
    public required string Company { get; init; }
    public required double MonthlySalaryUsd { get; init; }
    public required double FounderAttention { get; init; }
}
