using System.Collections.Immutable;

namespace Simulation.Model.Config;

public enum EventKind
{
    /// <summary>An organisation is founded: the company's AI budget and its staff's productivity are multiplied.</summary>
    OrgFounded,
    /// <summary>A person moves: to a company, or to none (leaves, optionally bound by a non-compete).</summary>
    Move,
    /// <summary>A person already employed by the company moves into its AI organisation.</summary>
    Transfer,
    /// <summary>A company files for arbitration against a person bound to it.</summary>
    Filing,
    /// <summary>An app becomes available.</summary>
    Launch,
    /// <summary>A company's model quality is multiplied (a release, a rival's launch).</summary>
    QualityBoost,
    /// <summary>A company's AI budget is multiplied from this date on.</summary>
    Budget,
    /// <summary>A company changes some of its policy.</summary>
    Policy,
    /// <summary>A company raises money: its cash grows by the amount.</summary>
    Funding,
}

/// <summary>A dated event of the scenario. Which fields are set depends on the kind (validated when loaded).</summary>
public sealed record EventInfo
{
    public required DateOnly Date { get; init; }
    public required EventKind Kind { get; init; }
    public string? Company { get; init; }
    public string? Person { get; init; }
    /// <summary>Move: the new employer; null means the person leaves to no employer.</summary>
    public string? To { get; init; }
    public string? App { get; init; }
    /// <summary>Multiplier of OrgFounded, QualityBoost and Budget.</summary>
    public double Multiplier { get; init; } = 1;
    /// <summary>OrgFounded: multiplier of staff productivity.</summary>
    public double ProductivityMultiplier { get; init; } = 1;
    /// <summary>Move: whether the person leaves bound by the former employer's non-compete.</summary>
    public bool Bound { get; init; }
    public ImmutableArray<PolicyChange> Changes { get; init; } = [];
    public string Note { get; init; } = "";
    /// <summary>Position in the scenario file, the tie-break for events on the same date.</summary>
    public int Order { get; init; }
    /// <summary>Funding: the amount raised (USD).</summary>
    public double AmountUsd { get; init; }
}

public sealed record PolicyChange
{
    public required string Field { get; init; }
    public required double Value { get; init; }

    /// <summary>The policy fields an event or a workshop team may change.</summary>
    public static readonly ImmutableArray<string> Fields =
    [
        "aiBudgetShare", "aiBudgetFloorUsd", "salaryShare", "computeShare", "marketingShare",
        "poolPremium", "starPremium", "poachRate", "founderAttention", "counterOfferPremium",
        "nonCompeteShare", "arbitrationProbability", "reactionMarketingBoost",
    ];

    public PolicyInfo ApplyTo(PolicyInfo policy) => Field switch
    {
        "aiBudgetShare" => policy with { AiBudgetShare = Value },
        "aiBudgetFloorUsd" => policy with { AiBudgetFloorUsd = Value },
        "salaryShare" => policy with { SalaryShare = Value },
        "computeShare" => policy with { ComputeShare = Value },
        "marketingShare" => policy with { MarketingShare = Value },
        "poolPremium" => policy with { PoolPremium = Value },
        "starPremium" => policy with { StarPremium = Value },
        "poachRate" => policy with { PoachRate = Value },
        "founderAttention" => policy with { FounderAttention = Value },
        "counterOfferPremium" => policy with { CounterOfferPremium = Value },
        "nonCompeteShare" => policy with { NonCompeteShare = Value },
        "arbitrationProbability" => policy with { ArbitrationProbability = Value },
        "reactionMarketingBoost" => policy with { ReactionMarketingBoost = Value },
        _ => throw new ArgumentException($"unknown policy field '{Field}'"),
    };
}
