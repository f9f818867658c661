namespace Simulation.Model.Config;

/// <summary>
/// How a company decides: how it sets and splits its AI budget, how hard it bids for talent, how much
/// it markets, how it guards its staff and how it reacts to a rival. Events and workshop teams may
/// replace the fields marked <see cref="ParamUse.Decision"/> while a run plays (the company's state holds
/// the policy in force).
/// </summary>
public sealed record PolicyInfo
{
    private const ParamUse Decision = ParamUse.Override | ParamUse.Sweep | ParamUse.Fit | ParamUse.Decision;

    [Param("AI budget as a share of revenue", Unit = "share", Min = 0, Max = 1, Use = Decision)]
    public double AiBudgetShare { get; init; }

    [Param("Monthly AI budget floor: start-ups spend their funding", Unit = "USD/month", Min = 0, Use = Decision)]
    public double AiBudgetFloorUsd { get; init; }

    [Param("Budget split: share for salaries (salary + compute + marketing = 1)", Unit = "share", Min = 0, Max = 1, Use = Decision)]
    public double SalaryShare { get; init; } = 0.4;

    [Param("Budget split: share for compute", Unit = "share", Min = 0, Max = 1, Use = Decision)]
    public double ComputeShare { get; init; } = 0.4;

    [Param("Budget split: share for marketing", Unit = "share", Min = 0, Max = 1, Use = Decision)]
    public double MarketingShare { get; init; } = 0.2;

    [Param("Months over which the gap to the salary budget is filled by hiring", Unit = "months", Min = 0, Max = 120)]
    public double HiringLagMonths { get; init; } = 3;

    [Param("Salary premium over the tier's market salary for pool hires", Unit = "share", Min = 0, Max = 10, Use = Decision)]
    public double PoolPremium { get; init; }

    [Param("Salary premium over a star's current salary in an offer", Unit = "share", Min = 0, Max = 10, Use = Decision)]
    public double StarPremium { get; init; } = 0.2;

    [Param("Offers per month to each star it may approach (0: never poaches)", Unit = "1/month", Min = 0, Max = 30, Use = Decision)]
    public double PoachRate { get; init; }

    [Param("Founder or top-executive attention in an offer", Unit = "share", Min = 0, Max = 1, Use = Decision)]
    public double FounderAttention { get; init; }

    [Param("The most it raises a star's salary to keep them (0: never counters)", Unit = "share", Min = 0, Max = 10, Use = Decision)]
    public double CounterOfferPremium { get; init; }

    [Param("Share of leaving stars it binds with a non-compete", Unit = "share", Min = 0, Max = 1, Use = Decision)]
    public double NonCompeteShare { get; init; }

    [Param("Length of its non-competes", Unit = "months", Min = 0, Max = 60)]
    public double NonCompeteMonths { get; init; } = 12;

    [Param("Probability that it files for arbitration when a bound leaver joins a rival", Unit = "probability", Min = 0, Max = 1, Use = Decision)]
    public double ArbitrationProbability { get; init; }

    [Param("Reaction: the loss of market share in a month that triggers a marketing push", Unit = "share", Min = 0, Max = 1)]
    public double ReactionShareDrop { get; init; } = 1;

    [Param("Reaction: the push multiplies its marketing by (1 + this) for the next month", Unit = "share", Min = 0, Max = 10, Use = Decision)]
    public double ReactionMarketingBoost { get; init; }
}
