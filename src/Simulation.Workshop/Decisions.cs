using System.Collections.Immutable;
using Simulation.Model.Config;

namespace Simulation.Workshop;

/// <summary>
/// A team's decision for one round, as submitted: new values for some of its policy's decision fields (the
/// others keep the policy in force), offers to named researchers and filings for arbitration. <see cref="Version"/>
/// orders submissions: an older one than the stored is refused, the same one again changes nothing.
/// </summary>
public sealed record DecisionInput
{
    public int Version { get; init; }

    /// <summary>Policy field (its YAML key, e.g. <c>aiBudgetShare</c>) -> new value.</summary>
    public ImmutableSortedDictionary<string, double> Policy { get; init; } = ImmutableSortedDictionary.Create<string, double>(StringComparer.Ordinal);

    public ImmutableArray<OfferInput> Offers { get; init; } = [];

    public ImmutableArray<FilingInput> Filings { get; init; } = [];

    /// <summary>True when both say the same thing (the version aside).</summary>
    public bool SameContent(DecisionInput other) =>
        Policy.Count == other.Policy.Count && Policy.All(p => other.Policy.TryGetValue(p.Key, out var v) && v.Equals(p.Value))
        && Offers.SequenceEqual(other.Offers) && Filings.SequenceEqual(other.Filings);
}

/// <summary>An offer to a named researcher at a monthly salary.</summary>
public sealed record OfferInput(string Researcher, double MonthlySalaryUsd);

/// <summary>Filing for arbitration against a researcher bound to the company who joined a rival.</summary>
public sealed record FilingInput(string Researcher);

/// <summary>A decision the session accepted: who entered it and when (a facilitator's is an alteration).</summary>
public sealed record StoredDecision(int Round, string Company, DecisionInput Decision, string By, DateTimeOffset At)
{
    public int Version => Decision.Version;

    /// <summary>True when the facilitator entered it (an alteration of the team's decision).</summary>
    public bool Altered => By == Actor.Facilitator.ToString();
}

/// <summary>One field of the decision form, from its declaration (<see cref="ParamUse.Decision"/> on <see cref="PolicyInfo"/>).</summary>
public sealed record DecisionField(string Field, string Meaning, string Unit, double Min, double Max, bool MinExclusive)
{
    /// <summary>The policy fields a team decides, in declaration order.</summary>
    public static ImmutableArray<DecisionField> All { get; } =
    [
        .. ParamReflection.Of(typeof(PolicyInfo))
            .Where(d => d.Use.HasFlag(ParamUse.Decision) && d.Kind == ParamKind.Number)
            .Select(d => new DecisionField(d.Key, d.Meaning, d.Unit, d.Min, d.Max, d.Declared.MinExclusive)),
    ];

    /// <summary>The budget split's fields, which must sum to 1.</summary>
    public static ImmutableArray<string> Split { get; } = ["salaryShare", "computeShare", "marketingShare"];

    public static DecisionField? Find(string field) => All.FirstOrDefault(f => f.Field == field);

    public double ValueIn(PolicyInfo policy) => (double)ParamReflection.Find(typeof(PolicyInfo), Field)!.Property.GetValue(policy)!;

    public bool InRange(double value) => (MinExclusive ? value > Min : value >= Min) && value <= Max;
}
