using System.Collections.Immutable;

namespace Simulation.Model.Phases;

/// <summary>A market's users after one tick.</summary>
[GenerateSerializer, Immutable]
public sealed record MarketOutcome
{
    [Id(0)] public required string Market { get; init; }
    [Id(1)] public required int Tick { get; init; }
    [Id(2)] public required double Adopters { get; init; }
    [Id(3)] public required double NewAdopters { get; init; }
    /// <summary>De-duplicated users active in the month so far.</summary>
    [Id(4)] public required double Mau { get; init; }
    /// <summary>De-duplicated users active in the last 7 days (NaN where the market reports monthly).</summary>
    [Id(5)] public required double Wau { get; init; }
    [Id(6)] public required double NewUsersMonth { get; init; }
    /// <summary>In (company, app) order.</summary>
    [Id(7)] public required ImmutableArray<AppOutcome> Apps { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record AppOutcome
{
    [Id(0)] public required string App { get; init; }
    [Id(1)] public required string Company { get; init; }
    [Id(2)] public required double NewUsers { get; init; }
    /// <summary>New users in the month so far.</summary>
    [Id(3)] public required double NewUsersMonth { get; init; }
    [Id(4)] public required double Active { get; init; }
    [Id(5)] public required double Mau { get; init; }
    [Id(6)] public required double Wau { get; init; }
    /// <summary>The app's share of the sum of its market's apps' monthly actives.</summary>
    [Id(7)] public required double Share { get; init; }
    [Id(8)] public required double AttractionShare { get; init; }
    [Id(9)] public required double RetentionD30 { get; init; }
    [Id(10)] public required double RelativeQuality { get; init; }
}
