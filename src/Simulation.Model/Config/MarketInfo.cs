namespace Simulation.Model.Config;

/// <summary>How a market counts its active users.</summary>
public enum ActiveWindow
{
    /// <summary>Monthly actives: users active in the calendar month.</summary>
    Month,
    /// <summary>Weekly actives (and monthly ones besides): users active in the last 7 days.</summary>
    Week,
}

/// <summary>A user market: Bass-type category adoption and an attraction-share split between apps.</summary>
public sealed record MarketInfo
{
    [Param("The market's id, used by apps, targets and paths (markets.<id>.potential)")]
    public required string Id { get; init; }

    [Param("Display name")]
    public string Name { get; init; } = "";

    [Param("Which actives the market reports: month (MAU) or week (WAU and MAU; needs day or week ticks)")]
    public ActiveWindow Reports { get; init; } = ActiveWindow.Month;

    [Param("Bass potential M: people who will ever use the category", Unit = "people", Min = 0)]
    public required double Potential { get; init; }

    [Param("Bass innovation coefficient p", Unit = "1/year", Min = 0, Max = 10)]
    public required double Innovation { get; init; }

    [Param("Bass imitation coefficient q (word of mouth)", Unit = "1/year", Min = 0, Max = 100)]
    public required double Imitation { get; init; }

    [Param("People who had adopted the category before the start date (at most the potential)", Unit = "people", Min = 0)]
    public double InitialAdopters { get; init; }

    [Param("Average number of apps an adopter uses: sum of apps' actives over de-duplicated actives", Unit = "apps", Min = 1, Max = 20)]
    public double MultiHoming { get; init; } = 1;

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

    [Param("Share of lapsed users who return to the pool of potential adopters (0: one-way Bass)", Unit = "share", Min = 0, Max = 1)]
    public double LapsedReturn { get; init; }
}
