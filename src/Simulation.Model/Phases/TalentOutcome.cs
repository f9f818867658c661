using System.Collections.Immutable;

namespace Simulation.Model.Phases;

/// <summary>The job market's result for one tick.</summary>
public sealed record TalentOutcome
{
    public required int Tick { get; init; }
    /// <summary>One entry per company, in scenario order.</summary>
    public required ImmutableArray<CompanyTalent> Companies { get; init; }
    public required ImmutableArray<SimEvent> Events { get; init; }
    /// <summary>The roster after this tick's moves, for the next tick's decisions.</summary>
    public required MarketView NextView { get; init; }
    /// <summary>Each region's job market this tick, in region order.</summary>
    public ImmutableArray<RegionLabour> Labour { get; init; } = [];
}

public sealed record CompanyTalent
{
    public required string Company { get; init; }
    public required ImmutableArray<double> Hires { get; init; }
    public required ImmutableArray<double> Leavers { get; init; }
    /// <summary>Per tier: colleagues who followed a star in (positive) or out (negative) this tick; empty when none moved.</summary>
    public ImmutableArray<double> Followers { get; init; } = [];
    public required int StarCount { get; init; }
    /// <summary>The stars' team-productivity multiplier 1 + mu x H on effective talent (1: no lift).</summary>
    public double StarLift { get; init; } = 1;
    public required double StarPayrollMonthlyUsd { get; init; }
    /// <summary>Non-compete compensation paid this tick (what cash allowed of what was owed).</summary>
    public required double CompensationUsd { get; init; }
    /// <summary>Arbitration payments received from another company this tick.</summary>
    public double TransfersInUsd { get; init; }
    /// <summary>Arbitration payments made to another company this tick (capped by cash).</summary>
    public double TransfersOutUsd { get; init; }
    /// <summary>Obligations cash could not cover this tick (compensation or awards), written off.</summary>
    public double UnpaidUsd { get; init; }
}

/// <summary>What one star in AI gives their employer's team in a tick (<see cref="Rules.TalentRules.StarContributions"/>).</summary>
public sealed record StarContribution
{
    public required string Person { get; init; }
    /// <summary>h(skill) x ramp, in [0, 1].</summary>
    public required double Lift { get; init; }
}

/// <summary>One region's job market in one tick: per tier, in tier order.</summary>
public sealed record RegionLabour
{
    public required string Region { get; init; }
    public required ImmutableArray<TierLabour> Tiers { get; init; }
}

/// <summary>
/// One tier of a region's job market in one tick. Unemployed at the end = at the start + supply + separations
/// - hires - exits - migration out + migration in.
/// </summary>
public sealed record TierLabour
{
    public required string Tier { get; init; }
    public required double UnemployedStart { get; init; }
    /// <summary>New people entering the market this tick.</summary>
    public required double Supply { get; init; }
    /// <summary>Attrition and layoffs of the region's companies, into the unemployed.</summary>
    public required double Separations { get; init; }
    /// <summary>The region's companies' openings.</summary>
    public required double Openings { get; init; }
    /// <summary>Matches M = min(mu (U months)^eta V^(1-eta), U, V).</summary>
    public required double Matches { get; init; }
    /// <summary>Hires of the region's companies (each at most its openings; at most the matches).</summary>
    public required double Hires { get; init; }
    public required double Exits { get; init; }
    public required double MigrationOut { get; init; }
    public required double MigrationIn { get; init; }
    public required double UnemployedEnd { get; init; }
}

/// <summary>Something that happened, for events.csv: hires, poaching, counter-offers, filings, outcomes.</summary>
public sealed record SimEvent
{
    public required int Tick { get; init; }
    public required string Kind { get; init; }
    public required string Person { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public double AmountUsd { get; init; }
}
