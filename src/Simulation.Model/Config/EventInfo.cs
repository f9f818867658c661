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
    /// <summary>A company makes a named researcher an offer at a monthly salary (a workshop team's offer), on that tick only.</summary>
    Offer,
}

/// <summary>A dated event of the scenario. Which fields are set depends on the kind (validated when loaded).</summary>
public sealed record EventInfo
{
    private const string OrgFounded = "orgFounded", Move = "move", Transfer = "transfer", Filing = "filing", Launch = "launch",
        QualityBoost = "qualityBoost", Budget = "budget", Policy = "policy", Funding = "funding", Offer = "offer";

    [Param("An optional id, so paths can name the event (events.<id>.multiplier) and a what-if can remove it")]
    public string? Id { get; init; }

    [Param("The day the event takes effect (at the start of the tick containing it)")]
    public required DateOnly Date { get; init; }

    [Param("What happens")]
    public required EventKind Kind { get; init; }

    [Param("The company concerned", References = "companies", Kinds = [OrgFounded, Filing, QualityBoost, Budget, Policy, Funding, Offer], RequiredFor = [OrgFounded, Filing, QualityBoost, Budget, Policy, Funding, Offer])]
    public string? Company { get; init; }

    [Param("The researcher concerned", References = "researchers", Kinds = [Move, Transfer, Filing, Offer], RequiredFor = [Move, Transfer, Filing, Offer])]
    public string? Person { get; init; }

    /// <summary>Null: the person leaves to no employer.</summary>
    [Param("The new employer, or none (leaves)", References = "companies", AllowsNone = true, Kinds = [Move])]
    public string? To { get; init; }

    [Param("The app that becomes available", References = "apps", Kinds = [Launch], RequiredFor = [Launch])]
    public string? App { get; init; }

    [Param("Multiplier of the AI budget (orgFounded, budget) or of model quality (qualityBoost)", Min = 0, Max = 100, Kinds = [OrgFounded, QualityBoost, Budget], RequiredFor = [QualityBoost, Budget])]
    public double Multiplier { get; init; } = 1;

    [Param("Multiplier of the staff's productivity", Min = 0, Max = 100, Kinds = [OrgFounded])]
    public double ProductivityMultiplier { get; init; } = 1;

    [Param("The person leaves bound by the former employer's non-compete", Kinds = [Move])]
    public bool Bound { get; init; }

    [Param("The company's decisions that change: policy field -> new value", References = "decisions", Kinds = [Policy], RequiredFor = [Policy])]
    public ImmutableArray<PolicyChange> Changes { get; init; } = [];

    [Param("What happened, in words")]
    public string Note { get; init; } = "";

    /// <summary>The tie-break for events on the same date.</summary>
    [Derived("the event's position in the scenario file")]
    public int Order { get; init; }

    [Param("The amount raised, added to the company's cash", Unit = "USD", Min = 0, Max = 1e15, Kinds = [Funding], RequiredFor = [Funding])]
    public double AmountUsd { get; init; }

    [Param("The monthly salary offered to the researcher (made only if the company's salary budget has room for it)", Unit = "USD/month", Min = 0, MinExclusive = true, Max = 1e15, Kinds = [Offer], RequiredFor = [Offer])]
    public double MonthlySalaryUsd { get; init; }

    [Param("Where the event is documented: seeds/<file>:<line>")]
    public string? Source { get; init; }
}

public sealed record PolicyChange
{
    [Derived("a key of events.<id>.changes: a policy field marked as a decision")]
    public required string Field { get; init; }

    [Derived("the value of events.<id>.changes.<field>")]
    public required double Value { get; init; }

    /// <summary>The policy with this change applied.</summary>
    public PolicyInfo ApplyTo(PolicyInfo policy) => ParamReflection.With(policy, Field, Value);
}
