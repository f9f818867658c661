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
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public ActiveWindow Reports { get; init; } = ActiveWindow.Month;
    /// <summary>Bass potential M: people who will ever use the category.</summary>
    public required double Potential { get; init; }
    /// <summary>Bass innovation coefficient p, per year.</summary>
    public required double Innovation { get; init; }
    /// <summary>Bass imitation coefficient q, per year.</summary>
    public required double Imitation { get; init; }
    /// <summary>People who had adopted the category before the start date.</summary>
    public double InitialAdopters { get; init; }
    /// <summary>Average number of apps an adopter uses: sum of apps' actives / de-duplicated actives (>= 1).</summary>
    public double MultiHoming { get; init; } = 1;
    /// <summary>How far total marketing can raise p: p * (1 + lift * m / (m + half)).</summary>
    public double MarketingLift { get; init; }
    /// <summary>Monthly marketing (USD) at which a marketing response reaches half its maximum.</summary>
    public double MarketingHalfSaturationUsd { get; init; } = 1e7;
    /// <summary>Attraction: weight of relative quality (exp(alpha * (q - 1))).</summary>
    public double QualityWeight { get; init; } = 1;
    /// <summary>Attraction: the most an app's marketing can multiply its attraction by, minus one.</summary>
    public double MarketingWeight { get; init; }
    /// <summary>Attraction: weight of the owner's ecosystem traffic (1 + eta * ecosystem).</summary>
    public double EcosystemWeight { get; init; }
    /// <summary>Share of lapsed users who return to the pool of potential adopters (0: classic one-way Bass).</summary>
    public double LapsedReturn { get; init; }
}
