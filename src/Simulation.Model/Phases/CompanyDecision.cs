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

    /// <summary>
    /// The person's index in the scenario's researcher order when the rules that made the offer knew it, else -1: the job
    /// market then skips looking the id up among every researcher. Not part of the offer (never serialized, not compared).
    /// </summary>
    internal int PersonIndex { get; init; } = -1;

    public bool Equals(StarOffer? other) =>
        ReferenceEquals(this, other) || other is not null && Person == other.Person && Company == other.Company
        && MonthlySalaryUsd.Equals(other.MonthlySalaryUsd) && FounderAttention.Equals(other.FounderAttention);

    public override int GetHashCode() => HashCode.Combine(Person, Company, MonthlySalaryUsd, FounderAttention);
}
