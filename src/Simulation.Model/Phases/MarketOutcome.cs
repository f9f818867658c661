using System.Collections.Immutable;

namespace Simulation.Model.Phases;

/// <summary>A market's people and users after one tick, with the flows that moved them.</summary>
public sealed record MarketOutcome
{
    public required string Market { get; init; }
    public required int Tick { get; init; }
    /// <summary>The potential M after this tick (never-adopted + active + lapsed).</summary>
    public required double Potential { get; init; }
    public required double NeverAdopted { get; init; }
    /// <summary>De-duplicated people active at the end of the tick.</summary>
    public required double ActivePeople { get; init; }
    public required double Lapsed { get; init; }
    /// <summary>This tick's flows, in people: growth of the potential, first adoptions, returns from lapsed, lapses.</summary>
    public required double PotentialGrowth { get; init; }
    public required double NewAdopters { get; init; }
    public required double Reactivated { get; init; }
    public required double Lapsing { get; init; }
    /// <summary>The attraction factor x = S^beta multiplying the adoption hazard.</summary>
    public required double AttractionFactor { get; init; }
    /// <summary>The multi-homing in force: the market's, capped by the number of apps live.</summary>
    public required double MultiHoming { get; init; }
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
    /// <summary>Newcomers to the category and returning users who chose the app this tick.</summary>
    public required double NewUsers { get; init; }
    /// <summary>Users new to the app in the month so far (newcomers, returning users and switchers).</summary>
    public required double NewUsersMonth { get; init; }
    public required double SwitchIn { get; init; }
    public required double SwitchOut { get; init; }
    public required double Churned { get; init; }
    public required double SwitchInMonth { get; init; }
    public required double SwitchOutMonth { get; init; }
    public required double Active { get; init; }
    public required double Mau { get; init; }
    public required double Wau { get; init; }
    /// <summary>The app's share of the sum of its market's apps' monthly actives.</summary>
    public required double Share { get; init; }
    /// <summary>The app's nested-logit choice probability among newcomers.</summary>
    public required double AttractionShare { get; init; }
    /// <summary>The churn multiplier e^(-kappa (q - qbar)) this tick (1 when quality does not enter churn).</summary>
    public required double ChurnFactor { get; init; }
    /// <summary>Measured 30-day retention of the latest cohort followed 30 days (NaN before one completes or while unlaunched).</summary>
    public required double RetentionD30 { get; init; }
    public required double RelativeQuality { get; init; }
}
