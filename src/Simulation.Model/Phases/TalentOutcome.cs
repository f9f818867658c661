using System.Collections.Immutable;

namespace Simulation.Model.Phases;

/// <summary>The job market's result for one tick.</summary>
[GenerateSerializer, Immutable]
public sealed record TalentOutcome
{
    [Id(0)] public required int Tick { get; init; }
    /// <summary>One entry per company, in scenario order.</summary>
    [Id(1)] public required ImmutableArray<CompanyTalent> Companies { get; init; }
    [Id(2)] public required ImmutableArray<SimEvent> Events { get; init; }
    /// <summary>The roster after this tick's moves, for the next tick's decisions.</summary>
    [Id(3)] public required MarketView NextView { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record CompanyTalent
{
    [Id(0)] public required string Company { get; init; }
    [Id(1)] public required ImmutableArray<double> Hires { get; init; }
    [Id(2)] public required ImmutableArray<double> Leavers { get; init; }
    [Id(3)] public required int StarCount { get; init; }
    [Id(4)] public required double StarTalent { get; init; }
    [Id(5)] public required double StarPayrollMonthlyUsd { get; init; }
    /// <summary>Non-compete compensation paid this tick.</summary>
    [Id(6)] public required double CompensationUsd { get; init; }
    /// <summary>Arbitration payments: positive paid, negative received.</summary>
    [Id(7)] public required double LegalUsd { get; init; }
}

/// <summary>Something that happened, for events.csv: hires, poaching, counter-offers, filings, outcomes.</summary>
[GenerateSerializer, Immutable]
public sealed record SimEvent
{
    [Id(0)] public required int Tick { get; init; }
    [Id(1)] public required string Kind { get; init; }
    [Id(2)] public required string Person { get; init; }
    [Id(3)] public string? From { get; init; }
    [Id(4)] public string? To { get; init; }
    [Id(5)] public double AmountUsd { get; init; }
}
