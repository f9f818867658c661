using System.Collections.Immutable;

namespace Simulation.Model.Phases;

/// <summary>A market's users after one tick.</summary>
public sealed record MarketOutcome
{
    public required string Market { get; init; }
    public required int Tick { get; init; }
    public required double Adopters { get; init; }
    public required double NewAdopters { get; init; }
    /// <summary>De-duplicated users active in the month so far.</summary>
    public required double Mau { get; init; }
    /// <summary>De-duplicated users active in the last 7 days (NaN where the market reports monthly).</summary>
    public required double Wau { get; init; }
    public required double NewUsersMonth { get; init; }
    /// <summary>In (company, app) order.</summary>
    public required ImmutableArray<AppOutcome> Apps { get; init; }
}

public sealed record AppOutcome
{
    public required string App { get; init; }
    public required string Company { get; init; }
    public required double NewUsers { get; init; }
    /// <summary>New users in the month so far.</summary>
    public required double NewUsersMonth { get; init; }
    public required double Active { get; init; }
    public required double Mau { get; init; }
    public required double Wau { get; init; }
    /// <summary>The app's share of the sum of its market's apps' monthly actives.</summary>
    public required double Share { get; init; }
    public required double AttractionShare { get; init; }
    public required double RetentionD30 { get; init; }
    public required double RelativeQuality { get; init; }
}
