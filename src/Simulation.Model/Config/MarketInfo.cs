namespace Simulation.Model.Config;

/// <summary>How a market counts its active users.</summary>
public enum ActiveWindow
{
    /// <summary>Monthly actives: users active in the calendar month.</summary>
    Month,
    /// <summary>Weekly actives (and monthly ones besides): users active in the last 7 days.</summary>
    Week,
}

/// <summary>
/// A user market: people move between never-adopted, active and lapsed. Newcomers arrive by a generalized
/// Bass hazard (p + q U/M) x(t) with word of mouth from active users U and x(t) the apps' inclusive
/// attraction; the potential M grows with the best app's quality; lapsed users come back; newcomers and
/// switchers choose an app by nested logit; each app keeps its users along a retention curve whose churn
/// falls as its quality rises above its rivals'.
/// </summary>
public sealed record MarketInfo
{
    [Param("The market's id, used by apps, targets and paths (markets.<id>.potential)")]
    public required string Id { get; init; }

    [Param("Display name")]
    public string Name { get; init; } = "";

    [Param("Which actives the market reports: month (MAU) or week (WAU and MAU; needs day or week ticks)")]
    public ActiveWindow Reports { get; init; } = ActiveWindow.Month;

    [Param("Potential M0: people for whom the category is useful when the best app's quality is the frontier's at the start (quality.frontierStart)", Unit = "people", Min = 0)]
    public required double Potential { get; init; }

    [Param("Elasticity of the potential to the best app's quality: M = M0 (Qbest / frontierStart)^e, never shrinking (0: a fixed potential)", Min = 0, Max = 10)]
    public double PotentialElasticity { get; init; }

    [Param("The most the potential can grow to (e.g. the people online); absent: no ceiling", Unit = "people", Min = 0)]
    public double? PotentialCeiling { get; init; }

    [Param("Bass innovation coefficient p", Unit = "1/year", Min = 0, Max = 10)]
    public required double Innovation { get; init; }

    [Param("Bass imitation coefficient q (word of mouth)", Unit = "1/year", Min = 0, Max = 100)]
    public required double Imitation { get; init; }

    [Param("People who had adopted the category before the start date, active or lapsed (at most the potential)", Unit = "people", Min = 0)]
    public double InitialAdopters { get; init; }

    [Param("Average number of apps an adopter uses: sum of apps' actives over de-duplicated actives (capped by the apps live)", Unit = "apps", Min = 1, Max = 20)]
    public double MultiHoming { get; init; } = 1;

    [Param("Weight beta of the apps' inclusive attraction S in the adoption hazard, x = S^beta (0: plain Bass)", Min = 0, Max = 10)]
    public double AdoptionAttractionWeight { get; init; }

    [Param("Rate at which lapsed users come back, times the attraction factor x (0: churn is final)", Unit = "1/year", Min = 0, Max = 100)]
    public double Reactivation { get; init; }

    [Param("Weight kappa of quality in churn: an app's churn rates are multiplied by e^(-kappa (q - qbar)), qbar its rivals' user-weighted mean", Min = 0, Max = 100)]
    public double RetentionQualityWeight { get; init; }

    [Param("Rate at which active users reconsider their app and may switch", Unit = "1/year", Min = 0, Max = 100)]
    public double Switching { get; init; }

    [Param("Nested-logit lambda: 1 is one flat choice (an entrant takes the same fraction from every rival); below 1 users choose and switch mostly within their app's nest", Min = 0.05, Max = 1)]
    public double Nesting { get; init; } = 1;

    [Param("How far total marketing can raise p: p (1 + lift m/(m + half))", Min = 0, Max = 100)]
    public double MarketingLift { get; init; }

    [Param("Monthly marketing at which a marketing response reaches half its maximum", Unit = "USD/month", Min = 0, MinExclusive = true)]
    public double MarketingHalfSaturationUsd { get; init; } = 1e7;

    [Param("Attraction: weight alpha of relative quality, e^(alpha (q - 1))", Min = 0, Max = 100)]
    public double QualityWeight { get; init; } = 1;

    [Param("Attraction: the most an app's marketing can multiply its attraction by, minus one", Min = 0, Max = 100)]
    public double MarketingWeight { get; init; }

    [Param("Attraction: weight eta of the owner's ecosystem traffic, 1 + eta ecosystem", Min = 0, Max = 100)]
    public double EcosystemWeight { get; init; }
}
