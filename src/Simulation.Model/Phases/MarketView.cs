using System.Collections.Immutable;

namespace Simulation.Model.Phases;

/// <summary>What every company can see when it decides: the public roster of named researchers.</summary>
[GenerateSerializer, Immutable]
public sealed record MarketView
{
    [Id(0)] public required int Tick { get; init; }
    /// <summary>Sorted by researcher id.</summary>
    [Id(1)] public required ImmutableArray<PublicResearcher> Researchers { get; init; }
    /// <summary>Companies whose staff a recent filing protects, sorted by id (ordinal) so lookups can binary-search.</summary>
    [Id(2)] public ImmutableArray<string> Deterred { get; init; } = [];
}

[GenerateSerializer, Immutable]
public sealed record PublicResearcher
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public string? Employer { get; init; }
    [Id(2)] public required double MonthlySalaryUsd { get; init; }
    [Id(3)] public required bool InAi { get; init; }
    [Id(4)] public required bool Scripted { get; init; }
}
