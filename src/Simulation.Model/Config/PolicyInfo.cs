namespace Simulation.Model.Config;

/// <summary>
/// How a company decides: how it sets and splits its AI budget, how hard it bids for talent, how much
/// it markets, how it guards its staff and how it reacts to a rival. Events and workshop teams may
/// replace it while a run plays (the company's state holds the policy in force).
/// </summary>
public sealed record PolicyInfo
{
    /// <summary>AI budget as a share of revenue.</summary>
    public double AiBudgetShare { get; init; }
    /// <summary>Monthly AI budget floor (USD): start-ups spend their funding.</summary>
    public double AiBudgetFloorUsd { get; init; }
    /// <summary>Budget split: shares for salaries, compute and marketing (sum to 1).</summary>
    public double SalaryShare { get; init; } = 0.4;
    public double ComputeShare { get; init; } = 0.4;
    public double MarketingShare { get; init; } = 0.2;
    /// <summary>Months over which the gap to the salary budget is filled by hiring.</summary>
    public double HiringLagMonths { get; init; } = 3;
    /// <summary>Salary premium over the tier's market salary for pool hires.</summary>
    public double PoolPremium { get; init; }
    /// <summary>Salary premium over a star's current salary in an offer.</summary>
    public double StarPremium { get; init; } = 0.2;
    /// <summary>Offers per month to each star it may approach (a rate; 0 means it never poaches).</summary>
    public double PoachRate { get; init; }
    /// <summary>Founder or top-executive attention in an offer, in [0, 1].</summary>
    public double FounderAttention { get; init; }
    /// <summary>The most it raises a star's salary to keep them (0: never counters).</summary>
    public double CounterOfferPremium { get; init; }
    /// <summary>Share of leaving stars it binds with a non-compete.</summary>
    public double NonCompeteShare { get; init; }
    public double NonCompeteMonths { get; init; } = 12;
    /// <summary>Probability that it files for arbitration when a bound leaver joins a rival.</summary>
    public double ArbitrationProbability { get; init; }
    /// <summary>Reaction: if one of its apps loses this share of its market in a month...</summary>
    public double ReactionShareDrop { get; init; } = 1;
    /// <summary>... it multiplies its marketing by (1 + this) for the next month.</summary>
    public double ReactionMarketingBoost { get; init; }
}
