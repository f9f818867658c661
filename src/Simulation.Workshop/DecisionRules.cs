using System.Collections.Immutable;
using System.Globalization;
using Simulation.Model.Config;
using Simulation.Model.Rules;
using Simulation.Model.State;

namespace Simulation.Workshop;

/// <summary>
/// What a company may decide at the start of a round, checked against the simulated state, and how a decision enters
/// the model: <c>policy</c>, <c>filing</c> and <c>offer</c> events dated at the round's first day.
/// </summary>
public static class DecisionRules
{
    /// <summary>The most offers or filings one decision may carry.</summary>
    public const int MaxItems = 50;

    /// <summary>The highest salary an offer may name (a researcher's salary's declared maximum).</summary>
    public const double MaxSalaryUsd = 1e9;

    /// <summary>Every problem of <paramref name="decision"/> for <paramref name="company"/> at the start of <paramref name="round"/>; empty when valid.</summary>
    public static ImmutableArray<FieldError> Check(PlayedState state, RoundPlan round, string company, DecisionInput decision)
    {
        var errors = ImmutableArray.CreateBuilder<FieldError>();
        if (decision.Version < 1)
        {
            errors.Add(new("version", "expected a version >= 1 (1 for the first submission, then one above the stored version)"
                + (decision.Version == 0 ? "; none was given (or 0)" : $", got {decision.Version}")));
        }
        var policy = PolicyInForce(state, company);
        foreach (var (field, value) in decision.Policy)
        {
            if (DecisionField.Find(field) is not { } declared)
            {
                errors.Add(new($"policy.{field}", $"not a decision field; expected one of: {string.Join(", ", DecisionField.All.Select(f => f.Field))}"));
            }
            else if (!double.IsFinite(value) || !declared.InRange(value))
            {
                errors.Add(new($"policy.{field}", $"expected a number in {Range(declared)}{(declared.Unit.Length > 0 ? $" ({declared.Unit})" : "")}, got {Format(value)}"));
            }
        }
        if (errors.Count == 0)
        {
            policy = Merge(policy, decision.Policy);
            var sum = policy.SalaryShare + policy.ComputeShare + policy.MarketingShare;
            if (Math.Abs(sum - 1) > 1e-9)
            {
                errors.Add(new("policy", $"expected salaryShare + computeShare + marketingShare = 1 (with the policy in force for the fields left out), got {Format(sum)}"));
            }
        }
        CheckOffers(state, round, company, policy, decision.Offers, errors);
        CheckFilings(state, company, decision.Filings, errors);
        return errors.ToImmutable();
    }

    private static void CheckOffers(PlayedState state, RoundPlan round, string company, PolicyInfo policy, ImmutableArray<OfferInput> offers, ImmutableArray<FieldError>.Builder errors)
    {
        if (offers.Length > MaxItems)
        {
            errors.Add(new("offers", $"expected at most {MaxItems} offers, got {offers.Length}"));
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < offers.Length; i++)
        {
            var o = offers[i];
            var at = $"offers[{i}]";
            if (!double.IsFinite(o.MonthlySalaryUsd) || o.MonthlySalaryUsd <= 0 || o.MonthlySalaryUsd > MaxSalaryUsd)
            {
                errors.Add(new($"{at}.monthlySalaryUsd", $"expected a monthly salary in (0, {MaxSalaryUsd:0e0}] USD, got {Format(o.MonthlySalaryUsd)}"));
            }
            if (!seen.Add(o.Researcher ?? ""))
            {
                errors.Add(new($"{at}.researcher", $"'{o.Researcher}' has an offer already in this decision"));
            }
            else if (WhyNotOffer(state, company, o.Researcher) is { } why)
            {
                errors.Add(new($"{at}.researcher", why));
            }
        }
        if (errors.Count == 0 && offers.Length > 0)
        {
            var room = SalaryRoom(state, round, company, policy);
            var total = offers.Sum(o => o.MonthlySalaryUsd);
            if (total > room)
            {
                errors.Add(new("offers", $"the offers total {Usd(total)} a month; the salary budget has room for {Usd(room)} a month (raise aiBudgetShare or salaryShare, or offer less)"));
            }
        }
    }

    private static void CheckFilings(PlayedState state, string company, ImmutableArray<FilingInput> filings, ImmutableArray<FieldError>.Builder errors)
    {
        if (filings.Length > MaxItems)
        {
            errors.Add(new("filings", $"expected at most {MaxItems} filings, got {filings.Length}"));
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < filings.Length; i++)
        {
            var f = filings[i];
            if (!seen.Add(f.Researcher ?? ""))
            {
                errors.Add(new($"filings[{i}].researcher", $"'{f.Researcher}' is named twice"));
            }
            else if (WhyNotFile(state, company, f.Researcher) is { } why)
            {
                errors.Add(new($"filings[{i}].researcher", why));
            }
        }
    }

    /// <summary>
    /// Why the company may not make <paramref name="researcher"/> an offer now, or null if it may: a star of another
    /// company or of none (a free agent), in the company's job market, in the AI field and not on a documented path.
    /// </summary>
    public static string? WhyNotOffer(PlayedState state, string company, string? researcher)
    {
        if (Researcher(state, researcher) is not var (r, info))
        {
            return $"unknown researcher '{researcher}'";
        }
        var region = state.Context.RegionOf(state.Context.CompanyIndex(company));
        return r.Employer == company ? $"'{r.Id}' already works for {company}"
            : info.Scripted ? $"'{r.Id}' follows a documented path and takes no offers"
            : !r.InAi ? $"'{r.Id}' works outside {r.Employer}'s AI organisation and takes no offers"
            : r.Region != region ? $"'{r.Id}' is in the {r.Region} job market; {company} recruits in {region}"
            : null;
    }

    /// <summary>Why the company may not file for arbitration against <paramref name="researcher"/> now, or null if it may.</summary>
    public static string? WhyNotFile(PlayedState state, string company, string? researcher)
    {
        if (Researcher(state, researcher) is not var (r, _))
        {
            return $"unknown researcher '{researcher}'";
        }
        return r.BoundTo != company ? $"'{r.Id}' is not bound to {company} by a non-compete"
            : r.Employer is null || r.Employer == company ? $"'{r.Id}' has not joined a rival"
            : state.Runner.Talent.Arbitrations.Any(a => a.Person == r.Id && a.Claimant == company && !a.Resolved) ? $"{company} has filed against '{r.Id}' already"
            : null;
    }

    /// <summary>The researchers the company may make offers to now, in scenario order.</summary>
    public static IEnumerable<ResearcherState> OfferTargets(PlayedState state, string company) =>
        state.Runner.Talent.Researchers.Where(r => WhyNotOffer(state, company, r.Id) is null);

    /// <summary>The researchers the company may file against now.</summary>
    public static IEnumerable<ResearcherState> FilingTargets(PlayedState state, string company) =>
        state.Runner.Talent.Researchers.Where(r => WhyNotFile(state, company, r.Id) is null);

    /// <summary>The company's monthly salary headroom at the start of the round under <paramref name="policy"/>: what offers may add.</summary>
    public static double SalaryRoom(PlayedState state, RoundPlan round, string company, PolicyInfo policy)
    {
        var (budget, _, payroll) = CompanyRules.Budget(state.Context, state.Scenario.Company(company), CompanyState(state, company), policy, round.Start);
        return Math.Max(0, budget * policy.SalaryShare - payroll);
    }

    public static PolicyInfo PolicyInForce(PlayedState state, string company) => CompanyState(state, company).Policy;

    public static PolicyInfo Merge(PolicyInfo policy, IEnumerable<KeyValuePair<string, double>> changes) =>
        changes.Aggregate(policy, (p, c) => ParamReflection.With(p, c.Key, c.Value));

    /// <summary>
    /// The decision as scenario events at the round's first day: one <c>policy</c> event with its fields (if any),
    /// a <c>filing</c> per filing and an <c>offer</c> per offer. <see cref="EventInfo.Order"/> is left to the caller.
    /// </summary>
    public static IEnumerable<EventInfo> Events(RoundPlan round, string company, DecisionInput decision)
    {
        if (decision.Policy.Count > 0)
        {
            yield return new EventInfo
            {
                Date = round.Start,
                Kind = EventKind.Policy,
                Company = company,
                Changes = [.. decision.Policy.Select(p => new PolicyChange { Field = p.Key, Value = p.Value })],
                Note = $"workshop round {round.Number}: {company}'s decision",
            };
        }
        foreach (var f in decision.Filings)
        {
            yield return new EventInfo { Date = round.Start, Kind = EventKind.Filing, Company = company, Person = f.Researcher, Note = $"workshop round {round.Number}" };
        }
        foreach (var o in decision.Offers)
        {
            yield return new EventInfo
            {
                Date = round.Start, Kind = EventKind.Offer, Company = company, Person = o.Researcher, MonthlySalaryUsd = o.MonthlySalaryUsd,
                Note = $"workshop round {round.Number}",
            };
        }
    }

    private static CompanyState CompanyState(PlayedState state, string company) =>
        state.Runner.Companies[state.Context.CompanyIndex(company)];

    private static (ResearcherState State, ResearcherInfo Info)? Researcher(PlayedState state, string? id)
    {
        var index = id is null ? -1 : state.Context.ResearcherIndex(id);
        return index < 0 ? null : (state.Runner.Talent.Researchers[index], state.Scenario.Talent.Researchers[index]);
    }

    private static string Range(DecisionField f) =>
        $"{(f.MinExclusive ? "(" : "[")}{Format(f.Min)}, {(double.IsPositiveInfinity(f.Max) ? "inf" : Format(f.Max))}]";

    private static string Format(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Usd(double v) => v.ToString("N0", CultureInfo.InvariantCulture) + " USD";
}
