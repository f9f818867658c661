using System.Collections.Immutable;

namespace Simulation.Model.Phases;

/// <summary>What every company can see when it decides: the public roster of named researchers.</summary>
public sealed record MarketView
{
    public required int Tick { get; init; }
    /// <summary>Sorted by researcher id.</summary>
    public required ImmutableArray<PublicResearcher> Researchers { get; init; }
    /// <summary>Companies whose staff a recent filing protects, sorted by id (ordinal) so lookups can binary-search.</summary>
    public ImmutableArray<string> Deterred { get; init; } = [];
}

public sealed record PublicResearcher
{
    public required string Id { get; init; }
    public string? Employer { get; init; }
    public required double MonthlySalaryUsd { get; init; }
    public required bool InAi { get; init; }
    public required bool Scripted { get; init; }
    /// <summary>The labour market the person is in (companies poach in their own region only).</summary>
    public string Region { get; init; } = "";
}
