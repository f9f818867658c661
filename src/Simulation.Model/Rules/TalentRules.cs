using System.Collections.Immutable;
using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.Randomness;
using Simulation.Model.State;
using Simulation.Model.Time;

namespace Simulation.Model.Rules;

/// <summary>
/// The job market: scripted moves, offers and counter-offers for named researchers, non-competes
/// and arbitration, and the aggregate flows between pools.
/// </summary>
public static class TalentRules
{
    public static TalentState Create(ScenarioContext context)
    {
        var start = context.Info.Start.DayNumber;
        return new TalentState
        {
            Researchers =
            [
                .. context.Info.Talent.Researchers.Select(r => new ResearcherState
                {
                    Id = r.Id,
                    Employer = r.Employer,
                    MonthlySalaryUsd = r.MonthlySalaryUsd,
                    InAi = r.InAi,
                    // Already in place at the start: fully ramped up.
                    ProductiveFromDay = start - (int)Math.Ceiling(r.RampMonths * Calendar.DaysPerMonth),
                }),
            ],
            DeterredUntilDay = new int[context.Info.Companies.Length],
        };
    }

    /// <summary>
    /// The public roster as of the start of <paramref name="tick"/>. When nothing public changed since
    /// <paramref name="previous"/> (the usual tick), that view is reused rather than copied.
    /// </summary>
    public static MarketView View(ScenarioContext context, TalentState state, int tick, MarketView? previous = null)
    {
        var day = tick < context.Calendar.Count ? context.Calendar[tick].Start.DayNumber : int.MaxValue;
        if (previous is not null && SameRoster(state, previous.Researchers) && SameDeterred(context, state, day, previous.Deterred))
        {
            return previous.Tick == tick ? previous : previous with { Tick = tick };
        }
        return new MarketView { Tick = tick, Researchers = Roster(context, state), Deterred = Deterred(context, state, day) };
    }

    private static ImmutableArray<PublicResearcher> Roster(ScenarioContext context, TalentState state)
    {
        var infos = context.Info.Talent.Researchers;
        var roster = ImmutableArray.CreateBuilder<PublicResearcher>(state.Researchers.Length);
        for (var i = 0; i < state.Researchers.Length; i++)
        {
            var r = state.Researchers[i];
            roster.Add(new PublicResearcher
            {
                Id = r.Id,
                Employer = r.Employer,
                MonthlySalaryUsd = r.MonthlySalaryUsd,
                InAi = r.InAi,
                Scripted = infos[i].Scripted,
            });
        }
        return roster.MoveToImmutable();
    }

    private static bool SameRoster(TalentState state, ImmutableArray<PublicResearcher> roster)
    {
        if (roster.Length != state.Researchers.Length)
        {
            return false;
        }
        for (var i = 0; i < roster.Length; i++)
        {
            var r = state.Researchers[i];
            var p = roster[i];
            // Salaries compare by value: an unchanged salary is the very same double.
            if (p.Id != r.Id || p.Employer != r.Employer || p.MonthlySalaryUsd != r.MonthlySalaryUsd || p.InAi != r.InAi)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Companies whose recent filing still deters offers to their staff on <paramref name="day"/>, in scenario order.</summary>
    private static ImmutableArray<string> Deterred(ScenarioContext context, TalentState state, int day)
    {
        var companies = context.Info.Companies;
        var deterred = ImmutableArray.CreateBuilder<string>();
        for (var c = 0; c < companies.Length; c++)
        {
            if (state.DeterredUntilDay[c] > day)
            {
                deterred.Add(companies[c].Id);
            }
        }
        return deterred.ToImmutable();
    }

    private static bool SameDeterred(ScenarioContext context, TalentState state, int day, ImmutableArray<string> deterred)
    {
        var companies = context.Info.Companies;
        var n = 0;
        for (var c = 0; c < companies.Length; c++)
        {
            if (state.DeterredUntilDay[c] > day && (n >= deterred.Length || deterred[n++] != companies[c].Id))
            {
                return false;
            }
        }
        return n == deterred.Length;
    }

    /// <summary>
    /// Resolves one tick: scripted events, arbitrations that end, offers (with counter-offers) and pool
    /// flows. <paramref name="decisions"/> holds one decision per company in scenario order.
    /// </summary>
    /// <param name="current">The view the companies decided on, if the caller has it: the next view reuses it when nothing public changed.</param>
    public static TalentOutcome Resolve(ScenarioContext context, TalentState state, Tick tick, IReadOnlyList<CompanyDecision> decisions, MarketView? current = null)
    {
        var run = new TickRun(context, state, tick, decisions, current);
        run.ApplyEvents();
        run.ResolveArbitrations();
        run.ResolveOffers();
        return run.Finish();
    }

    /// <summary>The working set of one tick's resolution.</summary>
    private sealed class TickRun(ScenarioContext context, TalentState state, Tick tick, IReadOnlyList<CompanyDecision> decisions, MarketView? current)
    {
        private readonly ImmutableArray<SimEvent>.Builder _events = ImmutableArray.CreateBuilder<SimEvent>();
        private readonly double[] _legal = new double[context.Info.Companies.Length];
        private readonly int _day = tick.Start.DayNumber;
        private readonly LegalInfo _law = context.Info.Legal;

        public void ApplyEvents()
        {
            foreach (var e in context.EventsAt(tick.Index))
            {
                var index = e.Person is null ? -1 : IndexOf(e.Person);
                if (index < 0)
                {
                    continue;
                }
                var person = state.Researchers[index];
                switch (e.Kind)
                {
                    case EventKind.Move:
                        var from = person.Employer;
                        Record(e.To is null ? "leave" : "move", person.Id, from, e.To, person.MonthlySalaryUsd);
                        Move(index, e.To, person.MonthlySalaryUsd, e.Bound, scripted: true);
                        break;
                    case EventKind.Transfer:
                        person.InAi = true;
                        person.ProductiveFromDay = _day;
                        Record("transfer", person.Id, person.Employer, person.Employer, 0);
                        break;
                    case EventKind.Filing when e.Company is not null:
                        File(e.Company, index);
                        break;
                }
            }
        }

        /// <summary>Ends the arbitrations due this tick (in filing order); the state keeps only pending ones.</summary>
        public void ResolveArbitrations()
        {
            var resolved = 0;
            foreach (var a in state.Arbitrations)
            {
                if (a.Resolved || a.ResolvesOnDay >= tick.End.DayNumber)
                {
                    continue;
                }
                a.Resolved = true;
                resolved++;
                var index = IndexOf(a.Person);
                var person = state.Researchers[index];
                var rng = RandomStreams.Draws(context.Seed, a.Person, tick.Index, "arbitration");
                var u = rng.NextDouble();
                string outcome;
                var amount = 0.0;
                if (u < _law.DamagesProbability)
                {
                    outcome = "arbitration-damages";
                    amount = _law.DamagesSalaryMonths * person.BoundSalaryUsd;
                    person.ProductiveFromDay = Math.Max(person.ProductiveFromDay, _day + Days(_law.DamagesDelayMonths));
                }
                else if (u < _law.DamagesProbability + _law.SettlementProbability)
                {
                    outcome = "arbitration-settlement";
                    amount = _law.SettlementSalaryMonths * person.BoundSalaryUsd;
                }
                else
                {
                    outcome = "arbitration-dismissed";
                }
                if (amount > 0 && a.Respondent is not null)
                {
                    _legal[context.CompanyIndex(a.Respondent)] += amount;
                    _legal[context.CompanyIndex(a.Claimant)] -= amount;
                }
                Record(outcome, a.Person, a.Claimant, a.Respondent, amount);
            }
            if (resolved > 0)
            {
                state.Arbitrations.RemoveAll(a => a.Resolved);
            }
        }

        /// <summary>
        /// Each researcher with offers chooses by utility: ln(salary) + vision fit + founder attention,
        /// minus a switching cost, plus Gumbel noise; staying adds loyalty, and the employer may counter
        /// up to its counter-offer premium. Ties go to staying, then to the lower company id.
        /// </summary>
        public void ResolveOffers()
        {
            var offersTo = OffersByResearcher();
            if (offersTo is null)
            {
                return;
            }
            var talent = context.Info.Talent;
            foreach (var index in context.ResearchersById)
            {
                if (offersTo[index] is not { } received)
                {
                    continue;
                }
                var person = state.Researchers[index];
                var info = talent.Researchers[index];
                var offers = received.Where(o => o.Company != person.Employer).OrderBy(o => o.Company, StringComparer.Ordinal).ToArray();
                if (offers.Length == 0 || info.Scripted || !person.InAi)
                {
                    continue;
                }
                var rng = RandomStreams.Draws(context.Seed, person.Id, tick.Index, "choice");
                var stayNoise = rng.Gumbel() * talent.ChoiceNoise;
                var best = offers.MaxBy(o => o.MonthlySalaryUsd)!;

                var staySalary = person.MonthlySalaryUsd;
                var counter = person.Employer is null ? 0 : DecisionOf(person.Employer).Policy.CounterOfferPremium;
                if (counter > 0 && best.MonthlySalaryUsd > staySalary)
                {
                    staySalary = Math.Min(best.MonthlySalaryUsd, person.MonthlySalaryUsd * (1 + counter));
                }
                var stay = person.Employer is null
                    ? Math.Log(person.MonthlySalaryUsd) + stayNoise
                    : Math.Log(staySalary) + talent.VisionWeight * info.FitWith(person.Employer) + info.Loyalty + stayNoise;

                StarOffer? chosen = null;
                var top = stay;
                foreach (var o in offers)
                {
                    var u = Math.Log(o.MonthlySalaryUsd) + talent.VisionWeight * info.FitWith(o.Company)
                        + talent.FounderWeight * o.FounderAttention - talent.SwitchingCost
                        + rng.Gumbel() * talent.ChoiceNoise;
                    if (u > top)
                    {
                        top = u;
                        chosen = o;
                    }
                }

                if (staySalary > person.MonthlySalaryUsd)
                {
                    Record("counter-offer", person.Id, person.Employer, person.Employer, staySalary);
                }
                if (chosen is null)
                {
                    person.MonthlySalaryUsd = staySalary;
                    continue;
                }
                Record(person.Employer is null ? "hire" : "poach", person.Id, person.Employer, chosen.Company, chosen.MonthlySalaryUsd);
                var bound = person.Employer is not null
                    && RandomStreams.Draws(context.Seed, person.Id, tick.Index, "non-compete").Chance(DecisionOf(person.Employer).Policy.NonCompeteShare);
                Move(index, chosen.Company, chosen.MonthlySalaryUsd, bound, scripted: false);
            }
        }

        /// <summary>Each researcher's offers (by index), in decision order; null when no company made an offer.</summary>
        private List<StarOffer>?[]? OffersByResearcher()
        {
            List<StarOffer>?[]? offersTo = null;
            for (var c = 0; c < decisions.Count; c++)
            {
                foreach (var offer in decisions[c].Offers)
                {
                    offersTo ??= new List<StarOffer>?[state.Researchers.Length];
                    (offersTo[IndexOf(offer.Person)] ??= []).Add(offer);
                }
            }
            return offersTo;
        }

        public TalentOutcome Finish()
        {
            var companies = context.Info.Companies;
            var tiers = context.Info.Talent.Tiers;
            var (hires, leavers) = PoolFlows(tiers);
            var result = ImmutableArray.CreateBuilder<CompanyTalent>(companies.Length);
            var compensation = new double[companies.Length];
            foreach (var r in state.Researchers)
            {
                if (r.BoundTo is null)
                {
                    continue;
                }
                if (_day >= r.BoundUntilDay)
                {
                    Record("non-compete-ends", r.Id, r.BoundTo, r.Employer, 0);
                    r.BoundTo = null;
                    continue;
                }
                // Compensation is owed while the person keeps to the agreement (has not joined a rival).
                if (r.Employer is null)
                {
                    compensation[context.CompanyIndex(r.BoundTo)] += r.BoundSalaryUsd * _law.NonCompeteCompensation * tick.Months;
                }
            }
            // Stars per employer, summed in researcher order.
            var count = new int[companies.Length];
            var starTalent = new double[companies.Length];
            var payroll = new double[companies.Length];
            for (var i = 0; i < state.Researchers.Length; i++)
            {
                var r = state.Researchers[i];
                var c = context.CompanyIndexOrNone(r.Employer);
                if (c < 0 || !r.InAi)
                {
                    continue;
                }
                var info = context.Info.Talent.Researchers[i];
                count[c]++;
                payroll[c] += r.MonthlySalaryUsd;
                starTalent[c] += info.Skill * context.Info.Talent.StarWeight * Ramp(r, info);
            }
            for (var c = 0; c < companies.Length; c++)
            {
                result.Add(new CompanyTalent
                {
                    Company = companies[c].Id,
                    Hires = [.. hires[c]],
                    Leavers = [.. leavers[c]],
                    StarCount = count[c],
                    StarTalent = starTalent[c],
                    StarPayrollMonthlyUsd = payroll[c],
                    CompensationUsd = compensation[c],
                    LegalUsd = _legal[c],
                });
            }
            return new TalentOutcome
            {
                Tick = tick.Index,
                Companies = result.MoveToImmutable(),
                Events = _events.ToImmutable(),
                NextView = View(context, state, tick.Index + 1, current),
            };
        }

        /// <summary>
        /// Pools: each tier's job market this tick holds the new supply, the pools' attrition and any
        /// layoffs; company j hires min(openings, supply x w_j / sum(w_k o_k)) x o_j where w = e^(s x premium).
        /// </summary>
        private (double[][] Hires, double[][] Leavers) PoolFlows(ImmutableArray<TierInfo> tiers)
        {
            var n = decisions.Count;
            var hires = new double[n][];
            var leavers = new double[n][];
            for (var c = 0; c < n; c++)
            {
                hires[c] = new double[tiers.Length];
                leavers[c] = new double[tiers.Length];
            }
            var sensitivity = context.Info.Talent.PremiumSensitivity;
            var weight = new double[n];
            for (var c = 0; c < n; c++)
            {
                weight[c] = Math.Exp(sensitivity * decisions[c].Policy.PoolPremium);
            }
            for (var t = 0; t < tiers.Length; t++)
            {
                var supply = tiers[t].SupplyPerMonth * tick.Months;
                var attrition = 1 - Math.Exp(-tiers[t].AttritionPerMonth * tick.Months);
                var demand = 0.0;
                for (var c = 0; c < n; c++)
                {
                    var d = decisions[c];
                    leavers[c][t] = d.Headcount[t] * (1 - d.LayoffShare) * attrition;
                    supply += leavers[c][t] + d.Headcount[t] * d.LayoffShare;
                    demand += weight[c] * d.Openings[t];
                }
                for (var c = 0; c < n; c++)
                {
                    var d = decisions[c];
                    if (d.Openings[t] <= 0 || demand <= 0)
                    {
                        continue;
                    }
                    var fill = Math.Min(1, supply * weight[c] / demand);
                    hires[c][t] = d.Openings[t] * fill;
                }
            }
            return (hires, leavers);
        }

        private void Move(int index, string? to, double salary, bool bound, bool scripted)
        {
            var person = state.Researchers[index];
            var from = person.Employer;
            if (bound && from is not null)
            {
                var policy = DecisionOf(from).Policy;
                person.BoundTo = from;
                person.BoundUntilDay = _day + Days(policy.NonCompeteMonths);
                person.BoundSalaryUsd = person.MonthlySalaryUsd;
                Record("non-compete", person.Id, from, to, person.MonthlySalaryUsd * _law.NonCompeteCompensation);
            }
            person.Employer = to;
            person.MonthlySalaryUsd = salary;
            person.ProductiveFromDay = Math.Max(person.ProductiveFromDay, _day);
            if (person.BoundTo is not null && person.BoundTo == to)
            {
                person.BoundTo = null;
            }
            // Joining a rival while bound breaks the agreement; the former employer may file.
            if (!scripted && to is not null && person.BoundTo is { } claimant && claimant != to
                && RandomStreams.Draws(context.Seed, person.Id, tick.Index, "filing").Chance(DecisionOf(claimant).Policy.ArbitrationProbability))
            {
                File(claimant, index);
            }
        }

        private void File(string claimant, int index)
        {
            var person = state.Researchers[index];
            if (person.BoundSalaryUsd <= 0)
            {
                person.BoundSalaryUsd = person.MonthlySalaryUsd;
            }
            state.Arbitrations.Add(new ArbitrationState
            {
                Person = person.Id,
                Claimant = claimant,
                Respondent = person.Employer == claimant ? null : person.Employer,
                FiledTick = tick.Index,
                ResolvesOnDay = _day + Days(_law.ArbitrationMonths),
            });
            var c = context.CompanyIndex(claimant);
            state.DeterredUntilDay[c] = Math.Max(state.DeterredUntilDay[c], _day + Days(_law.DeterrenceMonths));
            Record("filing", person.Id, claimant, person.Employer, 0);
        }

        private double Ramp(ResearcherState r, ResearcherInfo info)
        {
            var days = tick.End.DayNumber - r.ProductiveFromDay;
            if (days <= 0)
            {
                return 0;
            }
            var ramp = info.RampMonths * Calendar.DaysPerMonth;
            return ramp <= 0 ? 1 : Math.Min(1, days / ramp);
        }

        private CompanyDecision DecisionOf(string company) => decisions[context.CompanyIndex(company)];

        private int IndexOf(string person) => context.ResearcherIndex(person);

        private static int Days(double months) => (int)Math.Round(months * Calendar.DaysPerMonth);

        private void Record(string kind, string person, string? from, string? to, double amount) =>
            _events.Add(new SimEvent { Tick = tick.Index, Kind = kind, Person = person, From = from, To = to, AmountUsd = amount });
    }
}
