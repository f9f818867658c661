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
}

public sealed record CompanyTalent
{
    public required string Company { get; init; }
    public required ImmutableArray<double> Hires { get; init; }
    public required ImmutableArray<double> Leavers { get; init; }
    public required int StarCount { get; init; }
    public required double StarTalent { get; init; }
    public required double StarPayrollMonthlyUsd { get; init; }
    /// <summary>Non-compete compensation paid this tick.</summary>
    public required double CompensationUsd { get; init; }
    /// <summary>Arbitration payments: positive paid, negative received.</summary>
    public required double LegalUsd { get; init; }
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
