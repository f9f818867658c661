using System.Collections.Immutable;
using System.Runtime.InteropServices;
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
                    // The company's own id string: comparisons with it (offers, stars) then stop at the reference.
                    Employer = context.CompanyIndexOrNone(r.Employer) is var c and >= 0 ? context.Info.Companies[c].Id : r.Employer,
                    MonthlySalaryUsd = r.MonthlySalaryUsd,
                    InAi = r.InAi,
                    Region = context.InitialRegion(r),
                    // Already in place at the start: fully ramped up.
                    ProductiveFromDay = start - (int)Math.Ceiling(r.RampMonths * Calendar.DaysPerMonth),
                }),
            ],
            DeterredUntilDay = new int[context.Info.Companies.Length],
            Unemployed =
            [
                .. context.Regions.Select(region => context.Info.Talent.Tiers.Select((_, t) => At(region.Unemployed, t)).ToArray()),
            ],
        };
    }

    /// <summary>
    /// A star's uplift of a team at full ramp: h(s) = s^g / (s^g + s_half^g), saturating in skill. Constant for a run:
    /// <see cref="ScenarioContext.StarSkillLift"/> holds each researcher's.
    /// </summary>
    public static double SkillLift(TalentInfo talent, double skill)
    {
        var a = Math.Pow(skill, talent.StarSkillShape);
        var b = Math.Pow(talent.StarHalfSkill, talent.StarSkillShape);
        return a + b > 0 ? a / (a + b) : 0;
    }

    /// <summary>A value per tier (or region) of a declared array, 0 past its end (a record built in code may leave it empty).</summary>
    private static double At(ImmutableArray<double> values, int index) => index < values.Length ? values[index] : 0;

    /// <summary>
    /// The public roster as of the start of <paramref name="tick"/>. When nothing public changed since
    /// <paramref name="previous"/> (the usual tick), that view is reused rather than copied.
    /// </summary>
    public static MarketView View(ScenarioContext context, TalentState state, int tick, MarketView? previous = null)
    {
        var day = tick < context.Calendar.Count ? context.Calendar[tick].Start.DayNumber : int.MaxValue;
        // The researchers the rules changed since the roster state.RosterBase are the only ones that can differ from it.
        var tracked = previous is not null && state.RosterBase is { } rosterBase && ReferenceEquals(rosterBase, ImmutableCollectionsMarshal.AsArray(previous.Researchers));
        MarketView view;
        if (previous is not null && (tracked ? SameAt(context, state, previous.Researchers, state.Changed) : SameRoster(state, previous.Researchers))
            && SameDeterred(context, state, day, previous.Deterred))
        {
            view = previous.Tick == tick ? previous : previous with { Tick = tick };
        }
        else
        {
            var roster = tracked ? Roster(context, state, previous!.Researchers, state.Changed) : Roster(context, state, previous?.Researchers ?? default);
            view = new MarketView { Tick = tick, Researchers = roster, Deterred = Deterred(context, state, day) };
        }
        state.RosterBase = ImmutableCollectionsMarshal.AsArray(view.Researchers);
        state.Changed.Clear();
        return view;
    }

    /// <summary>Whether the researchers at <paramref name="changed"/> still say what <paramref name="roster"/> says (the others are unchanged).</summary>
    private static bool SameAt(ScenarioContext context, TalentState state, ImmutableArray<PublicResearcher> roster, List<int> changed)
    {
        var infos = context.Info.Talent.Researchers;
        foreach (var i in changed)
        {
            if (!Same(roster[i], state.Researchers[i]) || roster[i].Scripted != infos[i].Scripted)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The roster <paramref name="previous"/> with the entries at <paramref name="changed"/> made again where they changed.</summary>
    private static ImmutableArray<PublicResearcher> Roster(ScenarioContext context, TalentState state, ImmutableArray<PublicResearcher> previous, List<int> changed)
    {
        var roster = previous.ToArray();
        var infos = context.Info.Talent.Researchers;
        foreach (var i in changed)
        {
            var r = state.Researchers[i];
            if (!Same(roster[i], r) || roster[i].Scripted != infos[i].Scripted)
            {
                roster[i] = Public(r, infos[i]);
            }
        }
        return ImmutableCollectionsMarshal.AsImmutableArray(roster);
    }

    private static PublicResearcher Public(ResearcherState r, ResearcherInfo info) => new()
    {
        Id = r.Id,
        Employer = r.Employer,
        MonthlySalaryUsd = r.MonthlySalaryUsd,
        InAi = r.InAi,
        Scripted = info.Scripted,
        Region = r.Region,
    };

    /// <summary>
    /// The public roster of the state's researchers: an entry of <paramref name="previous"/> that still says the same is
    /// kept rather than made again (a tick changes few researchers; making every entry anew costs an allocation each).
    /// </summary>
    private static ImmutableArray<PublicResearcher> Roster(ScenarioContext context, TalentState state, ImmutableArray<PublicResearcher> previous)
    {
        var infos = context.Info.Talent.Researchers;
        var roster = new PublicResearcher[state.Researchers.Length];
        for (var i = 0; i < state.Researchers.Length; i++)
        {
            var r = state.Researchers[i];
            if (!previous.IsDefault && i < previous.Length && Same(previous[i], r) && previous[i].Scripted == infos[i].Scripted)
            {
                roster[i] = previous[i];
                continue;
            }
            roster[i] = Public(r, infos[i]);
        }
        return ImmutableCollectionsMarshal.AsImmutableArray(roster);
    }

    /// <summary>Whether a roster entry still says what the researcher's state does (salaries by value: an unchanged salary is the very same double).</summary>
    private static bool Same(PublicResearcher p, ResearcherState r) =>
        p.Id == r.Id && p.Employer == r.Employer && p.MonthlySalaryUsd == r.MonthlySalaryUsd && p.InAi == r.InAi && p.Region == r.Region;

    private static bool SameRoster(TalentState state, ImmutableArray<PublicResearcher> roster)
    {
        if (roster.Length != state.Researchers.Length)
        {
            return false;
        }
        for (var i = 0; i < roster.Length; i++)
        {
            if (!Same(roster[i], state.Researchers[i]))
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
    /// A star's ramp in <paramref name="tick"/>: linear over the researcher's rampMonths (<paramref name="rampDays"/>,
    /// <see cref="ScenarioContext.RampDays"/>) from <see cref="ResearcherState.ProductiveFromDay"/> to the tick's end; 0 while
    /// the person works for a rival of the company their non-compete binds them to, for any tick starting before it ends.
    /// </summary>
    private static double Ramp(ResearcherState r, double rampDays, Tick tick)
    {
        if (r.BoundTo is not null && r.BoundTo != r.Employer && tick.Start.DayNumber < r.BoundUntilDay)
        {
            return 0;
        }
        var days = tick.End.DayNumber - r.ProductiveFromDay;
        if (days <= 0)
        {
            return 0;
        }
        return rampDays <= 0 ? 1 : Math.Min(1, days / rampDays);
    }

    /// <summary>
    /// What each star in AI gave their employer in <paramref name="tick"/>, h(skill) x ramp (0 while bound to a rival), per
    /// company in scenario order and then researcher order, from the job market's state as that tick left it: the terms of the
    /// tick's <see cref="CompanyTalent.StarLift"/>, 1 + mu (1 - prod(1 - lift)). Not part of the tick's outcome (at 1,000
    /// companies that would be 100,000 records a tick that nothing downstream reads): for inspection and tests.
    /// </summary>
    public static IReadOnlyList<StarContribution>[] StarContributions(ScenarioContext context, TalentState state, Tick tick)
    {
        var stars = new List<StarContribution>[context.Info.Companies.Length];
        for (var c = 0; c < stars.Length; c++)
        {
            stars[c] = [];
        }
        for (var i = 0; i < state.Researchers.Length; i++)
        {
            var r = state.Researchers[i];
            if (context.CompanyIndexOrNone(r.Employer) is var c and >= 0 && r.InAi)
            {
                stars[c].Add(new StarContribution { Person = r.Id, Lift = context.StarSkillLift[i] * Ramp(r, context.RampDays[i], tick) });
            }
        }
        return stars;
    }

    /// <summary>
    /// Resolves one tick: scripted events, arbitrations that end, offers (with counter-offers) and pool
    /// flows. <paramref name="decisions"/> holds one decision per company in scenario order.
    /// </summary>
    /// <param name="current">The view the companies decided on, if the caller has it: the next view reuses it when nothing public changed.</param>
    public static TalentOutcome Resolve(ScenarioContext context, TalentState state, Tick tick, IReadOnlyList<CompanyDecision> decisions, MarketView? current = null)
    {
        // Read many times a tick: as an array (what the engines pass) rather than through the list interface.
        var run = new TickRun(context, state, tick, decisions as CompanyDecision[] ?? [.. decisions], current);
        run.ApplyEvents();
        run.ReleaseUnpaidStars();
        run.ResolveArbitrations();
        run.ResolveOffers();
        return run.Finish();
    }

    /// <summary>The working set of one tick's resolution.</summary>
    private sealed class TickRun(ScenarioContext context, TalentState state, Tick tick, CompanyDecision[] decisions, MarketView? current)
    {
        private readonly Scratch _scratch = Scratch.For(context, state);
        private ImmutableArray<SimEvent>.Builder _events => _scratch.Events;
        /// <summary>Awards decided this tick, in filing order: paid in <see cref="Finish"/> as far as the respondent's cash allows.</summary>
        private List<(int Event, int Claimant, int Respondent, double Award)> _awards => _scratch.Awards;
        private readonly int _day = tick.Start.DayNumber;
        private double[][]? _followers;
        private readonly LegalInfo _law = context.Info.Legal;

        public void ApplyEvents()
        {
            var events = context.EventsAt(tick.Index);
            for (var k = 0; k < events.Count; k++)
            {
                var e = events[k];
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
                        state.Changed.Add(index);
                        person.ProductiveFromDay = _day;
                        Record("transfer", person.Id, person.Employer, person.Employer, 0);
                        break;
                    case EventKind.Filing when e.Company is not null:
                        File(e.Company, index);
                        break;
                }
            }
        }

        /// <summary>A company whose cash cannot pay its stars' salaries lets them go (free of any non-compete).</summary>
        public void ReleaseUnpaidStars()
        {
            for (var c = 0; c < decisions.Length; c++)
            {
                if (!decisions[c].ReleasesStars)
                {
                    continue;
                }
                var company = decisions[c].Company;
                for (var i = 0; i < state.Researchers.Length; i++)
                {
                    var person = state.Researchers[i];
                    if (person.Employer == company)
                    {
                        Record("released", person.Id, company, null, 0);
                        Move(i, null, person.MonthlySalaryUsd, bound: false, scripted: true);
                    }
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
                var rng = RandomStreams.Draws(context.ResearcherKeys[index], tick.Index, "arbitration");
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
                    _awards.Add((_events.Count, context.CompanyIndex(a.Claimant), context.CompanyIndex(a.Respondent), amount));
                }
                // The amount is what the respondent actually pays (settled in Finish); 0 without a respondent.
                Record(outcome, a.Person, a.Claimant, a.Respondent, 0);
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
            var count = SortOffers();
            if (count == 0)
            {
                return;
            }
            var talent = context.Info.Talent;
            var offers = _scratch.Choice;
            var (keys, sorted) = (_scratch.OfferKeys, _scratch.SortedOffers);
            // The researchers with offers, in id order (ordinal): only they are visited, each with its run of the sorted offers.
            for (var next = 0; next < count;)
            {
                var first = next;
                var rank = (int)(keys[first] >> 32);
                while (next < count && (int)(keys[next] >> 32) == rank)
                {
                    next++;
                }
                var index = context.ResearchersById[rank];
                var person = state.Researchers[index];
                var info = talent.Researchers[index];
                if (info.Scripted || !person.InAi)
                {
                    continue;
                }
                // The offers of other companies than the employer, by company id (ordinal; stable, as OrderBy is).
                offers.Clear();
                for (var k = first; k < next; k++)
                {
                    if (sorted[k].Company != person.Employer)
                    {
                        offers.Add(sorted[k]);
                    }
                }
                if (offers.Count == 0)
                {
                    continue;
                }
                SortByCompany(offers);
                var rng = RandomStreams.Draws(context.ResearcherKeys[index], tick.Index, "choice");
                var stayNoise = rng.Gumbel() * talent.ChoiceNoise;
                // The first of the highest salaries (as MaxBy gives it).
                var best = offers[0];
                for (var k = 1; k < offers.Count; k++)
                {
                    if (offers[k].MonthlySalaryUsd > best.MonthlySalaryUsd)
                    {
                        best = offers[k];
                    }
                }

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
                    state.Changed.Add(index);
                    continue;
                }
                Record(person.Employer is null ? "hire" : "poach", person.Id, person.Employer, chosen.Company, chosen.MonthlySalaryUsd);
                var bound = person.Employer is not null
                    && RandomStreams.Draws(context.ResearcherKeys[index], tick.Index, "non-compete").Chance(DecisionOf(person.Employer).Policy.NonCompeteShare);
                Move(index, chosen.Company, chosen.MonthlySalaryUsd, bound, scripted: false);
            }
            // The arrays are kept for the next tick, not the offers.
            Array.Clear(sorted, 0, count);
        }

        /// <summary>
        /// Every offer of the tick in the scratch's arrays, sorted by the researcher's rank in id order, then by decision
        /// order (each company's offers in its order, companies in scenario order); returns how many. Each researcher's
        /// offers are then one run of a single array, rather than a list per researcher spread over the whole roster.
        /// </summary>
        private int SortOffers()
        {
            var count = 0;
            for (var c = 0; c < decisions.Length; c++)
            {
                count += decisions[c].Offers.Length;
            }
            if (count == 0)
            {
                return 0;
            }
            var (keys, sorted) = _scratch.OffersFor(count);
            var infos = context.Info.Talent.Researchers;
            var n = 0;
            for (var c = 0; c < decisions.Length; c++)
            {
                foreach (var offer in decisions[c].Offers)
                {
                    // Rank above, decision order below: the keys are distinct, so the sort's order is the only one.
                    // The index the offer carries when it is this scenario's researcher of that very id (the same string), else a lookup.
                    var index = offer.PersonIndex is var known and >= 0 && known < infos.Length && ReferenceEquals(infos[known].Id, offer.Person)
                        ? known
                        : IndexOf(offer.Person);
                    keys[n] = (long)context.ResearcherRanks[index] << 32 | (uint)n;
                    sorted[n++] = offer;
                }
            }
            Array.Sort(keys, sorted, 0, count);
            return count;
        }

        /// <summary>Sorts the offers by company id (ordinal), keeping the order of equal ids: an insertion sort, as offers come mostly in order.</summary>
        private static void SortByCompany(List<StarOffer> offers)
        {
            for (var k = 1; k < offers.Count; k++)
            {
                var o = offers[k];
                var j = k - 1;
                while (j >= 0 && string.CompareOrdinal(offers[j].Company, o.Company) > 0)
                {
                    offers[j + 1] = offers[j];
                    j--;
                }
                offers[j + 1] = o;
            }
        }

        public TalentOutcome Finish()
        {
            var companies = context.Info.Companies;
            var tiers = context.Info.Talent.Tiers;
            var (hires, leavers, labour) = PoolFlows(tiers);
            var owed = _scratch.Owed;
            // One pass over the researchers (each visited once: at 100,000 memory, not arithmetic, is the cost): non-competes
            // that end or are owed for, then the stars each employer has in AI, H = 1 - prod(1 - h(skill) x ramp), lift = 1 + mu x H,
            // each company's summed and multiplied in researcher order. (Ending a non-compete here changes no ramp: it ends only once
            // the day is past it, when the ramp no longer looks at it.)
            var (count, missing, payroll) = (_scratch.Count, _scratch.Missing, _scratch.Payroll);
            var talent = context.Info.Talent;
            for (var i = 0; i < state.Researchers.Length; i++)
            {
                var r = state.Researchers[i];
                if (r.BoundTo is not null)
                {
                    if (_day >= r.BoundUntilDay)
                    {
                        Record("non-compete-ends", r.Id, r.BoundTo, r.Employer, 0);
                        r.BoundTo = null;
                    }
                    else if (r.Employer is null)
                    {
                        // Compensation is owed while the person keeps to the agreement (has not joined a rival).
                        owed[context.CompanyIndex(r.BoundTo)] += r.BoundSalaryUsd * _law.NonCompeteCompensation * tick.Months;
                    }
                }
                var c = _scratch.CompanyIndexOf(context, i, r.Employer);
                if (c < 0 || !r.InAi)
                {
                    continue;
                }
                payroll[c] += r.MonthlySalaryUsd;
                missing[c] *= 1 - context.StarSkillLift[i] * Ramp(r, context.RampDays[i], tick);
                count[c]++;
            }
            Payments(owed);
            var result = new CompanyTalent[companies.Length];
            for (var c = 0; c < companies.Length; c++)
            {
                result[c] = new CompanyTalent
                {
                    Company = companies[c].Id,
                    // PoolFlows made these arrays for this outcome alone: they become its immutable arrays as they are.
                    Hires = ImmutableCollectionsMarshal.AsImmutableArray(hires[c]),
                    Leavers = ImmutableCollectionsMarshal.AsImmutableArray(leavers[c]),
                    Followers = _followers is null ? [] : [.. _followers[c]],
                    StarCount = count[c],
                    StarLift = 1 + talent.StarUplift * (1 - missing[c]),
                    StarPayrollMonthlyUsd = payroll[c],
                    CompensationUsd = _scratch.Compensation[c],
                    TransfersInUsd = _scratch.PaidIn[c],
                    TransfersOutUsd = _scratch.PaidOut[c],
                    UnpaidUsd = _scratch.Unpaid[c],
                };
            }
            return new TalentOutcome
            {
                Tick = tick.Index,
                Companies = ImmutableCollectionsMarshal.AsImmutableArray(result),
                Events = _events.ToImmutable(),
                NextView = View(context, state, tick.Index + 1, current),
                Labour = labour,
            };
        }

        /// <summary>
        /// Pays what cash allows, each company from what its plan leaves of its cash and other revenue: first
        /// the non-compete compensation it owes, then the awards against it in filing order. An award is a
        /// transfer: the claimant receives exactly what the respondent paid; the rest is written off as unpaid.
        /// Fills the scratch's compensation, transfers in and out, and unpaid amounts per company.
        /// </summary>
        private void Payments(double[] owed)
        {
            var n = decisions.Length;
            var (compensation, paidIn, paidOut, unpaid, left) = (_scratch.Compensation, _scratch.PaidIn, _scratch.PaidOut, _scratch.Unpaid, _scratch.Left);
            for (var c = 0; c < n; c++)
            {
                var d = decisions[c];
                left[c] = Math.Max(0, d.CashUsd + d.RevenueUsd - (d.PayrollUsd + d.ComputeUsd + d.MarketingUsd));
                compensation[c] = Math.Min(owed[c], left[c]);
                unpaid[c] += owed[c] - compensation[c];
                left[c] -= compensation[c];
            }
            foreach (var (e, claimant, respondent, award) in _awards)
            {
                var paid = Math.Min(award, left[respondent]);
                left[respondent] -= paid;
                paidOut[respondent] += paid;
                paidIn[claimant] += paid;
                unpaid[respondent] += award - paid;
                _events[e] = _events[e] with { AmountUsd = paid };
            }
        }

        /// <summary>
        /// The job markets, one per region and tier (MODEL-NOTES section 7). The unemployed U (carried over) gain the
        /// tick's supply and the separations (attrition and layoffs) of the region's companies; matches are
        /// M = min(mu (U x months)^eta V^(1-eta), U, V) with V the region's openings; company j hires
        /// min(o_j, M x w_j o_j / sum(w_k o_k)), w = e^(s x premium). Then a share of the unemployed leaves the
        /// market and a share migrates to other regions (computed from every region's stock before any arrives).
        /// </summary>
        private (double[][] Hires, double[][] Leavers, ImmutableArray<RegionLabour> Labour) PoolFlows(ImmutableArray<TierInfo> tiers)
        {
            var n = decisions.Length;
            var regions = context.Regions;
            var months = tick.Months;
            var hires = new double[n][];
            var leavers = new double[n][];
            for (var c = 0; c < n; c++)
            {
                hires[c] = new double[tiers.Length];
                leavers[c] = new double[tiers.Length];
            }
            var talent = context.Info.Talent;
            var weight = _scratch.Weight;
            for (var c = 0; c < n; c++)
            {
                weight[c] = Scratch.Exp(ref _scratch.WeightExp[c], talent.PremiumSensitivity * decisions[c].Policy.PoolPremium);
            }
            var eta = talent.MatchingElasticity;
            // Per region and tier (region after region): the flows before migrants arrive, and the migrants who arrive.
            var flows = _scratch.Flows;
            var inflow = _scratch.Inflow;
            for (var r = 0; r < regions.Length; r++)
            {
                var region = regions[r];
                var companies = context.CompaniesByRegion[r];
                var migrationRate = 0.0;
                foreach (var rate in region.MigrationPerMonth)
                {
                    migrationRate += rate;
                }
                for (var t = 0; t < tiers.Length; t++)
                {
                    var start = state.Unemployed[r][t];
                    var supply = At(region.SupplyPerMonth, t) * months;
                    var separations = 0.0;
                    var openings = 0.0;
                    var demand = 0.0;
                    var rate = 1 - Scratch.Exp(ref _scratch.AttritionExp[t], -tiers[t].AttritionPerMonth * months);
                    foreach (var c in companies)
                    {
                        var d = decisions[c];
                        leavers[c][t] = d.Headcount[t] * (1 - d.LayoffShare) * rate;
                        separations += leavers[c][t] + d.Headcount[t] * d.LayoffShare;
                        openings += d.Openings[t];
                        demand += weight[c] * d.Openings[t];
                    }
                    var available = start + supply + separations;
                    var matches = available > 0 && openings > 0
                        ? Math.Min(region.MatchingEfficiency * Math.Pow(available * months, eta) * Math.Pow(openings, 1 - eta), Math.Min(available, openings))
                        : 0;
                    var hired = 0.0;
                    foreach (var c in companies)
                    {
                        var d = decisions[c];
                        if (d.Openings[t] <= 0 || demand <= 0)
                        {
                            continue;
                        }
                        hires[c][t] = Math.Min(d.Openings[t], matches * weight[c] * d.Openings[t] / demand);
                        hired += hires[c][t];
                    }
                    var left = Math.Max(0, available - hired);
                    var exits = left * (1 - Scratch.Exp(ref _scratch.ExitExp[r], -region.ExitPerMonth * months));
                    left -= exits;
                    var outflow = migrationRate > 0 ? left * (1 - Scratch.Exp(ref _scratch.MigrationExp[r], -migrationRate * months)) : 0;
                    flows[r * tiers.Length + t] = new TierFlow(start, supply, separations, openings, matches, hired, exits, outflow, left - outflow);
                }
            }
            // Migrants arrive after every region has sent its own, split by the origin's rates.
            for (var r = 0; r < regions.Length; r++)
            {
                var rates = regions[r].MigrationPerMonth;
                var total = 0.0;
                foreach (var rate in rates)
                {
                    total += rate;
                }
                for (var to = 0; to < rates.Length && total > 0; to++)
                {
                    for (var t = 0; t < tiers.Length; t++)
                    {
                        inflow[to * tiers.Length + t] += flows[r * tiers.Length + t].MigrationOut * rates[to] / total;
                    }
                }
            }
            var labour = new RegionLabour[regions.Length];
            for (var r = 0; r < regions.Length; r++)
            {
                var byTier = new TierLabour[tiers.Length];
                for (var t = 0; t < tiers.Length; t++)
                {
                    var f = flows[r * tiers.Length + t];
                    var arrived = inflow[r * tiers.Length + t];
                    byTier[t] = new TierLabour
                    {
                        Tier = tiers[t].Id,
                        UnemployedStart = f.UnemployedStart,
                        Supply = f.Supply,
                        Separations = f.Separations,
                        Openings = f.Openings,
                        Matches = f.Matches,
                        Hires = f.Hires,
                        Exits = f.Exits,
                        MigrationOut = f.MigrationOut,
                        MigrationIn = arrived,
                        UnemployedEnd = f.UnemployedEnd + arrived,
                    };
                    state.Unemployed[r][t] = byTier[t].UnemployedEnd;
                }
                labour[r] = new RegionLabour { Region = regions[r].Id, Tiers = ImmutableCollectionsMarshal.AsImmutableArray(byTier) };
            }
            return (hires, leavers, ImmutableCollectionsMarshal.AsImmutableArray(labour));
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
            DrawColleagues(index, from, to);
            state.Changed.Add(index);
            person.Employer = to;
            person.MonthlySalaryUsd = salary;
            person.ProductiveFromDay = Math.Max(person.ProductiveFromDay, _day);
            if (context.CompanyIndexOrNone(to) is var c and >= 0)
            {
                person.Region = context.RegionOf(c);
            }
            if (person.BoundTo is not null && person.BoundTo == to)
            {
                person.BoundTo = null;
            }
            // Know-how reaches a rival only when the non-compete ends; the ramp-up starts then.
            if (to is not null && person.BoundTo is not null && person.BoundTo != to)
            {
                person.ProductiveFromDay = Math.Max(person.ProductiveFromDay, person.BoundUntilDay);
            }
            // Joining a rival while bound breaks the agreement; the former employer may file.
            if (!scripted && to is not null && person.BoundTo is { } claimant && claimant != to
                && RandomStreams.Draws(context.ResearcherKeys[index], tick.Index, "filing").Chance(DecisionOf(claimant).Policy.ArbitrationProbability))
            {
                File(claimant, index);
            }
        }

        /// <summary>
        /// A star who moves between two companies of one region draws colleagues along: followersPerStar x skill
        /// people of the first tier leave the old employer's pool for the new one's, at most what the old pool
        /// keeps after this tick's layoffs and attrition (a lift-out, as ByteDance's hiring of whole teams).
        /// </summary>
        private void DrawColleagues(int index, string? from, string? to)
        {
            var talent = context.Info.Talent;
            var (a, b) = (context.CompanyIndexOrNone(from), context.CompanyIndexOrNone(to));
            if (talent.FollowersPerStar <= 0 || a < 0 || b < 0 || a == b || context.CompanyRegions[a] != context.CompanyRegions[b] || talent.Tiers.IsEmpty)
            {
                return;
            }
            var companies = context.Info.Companies.Length;
            _followers ??= [.. Enumerable.Range(0, companies).Select(_ => new double[talent.Tiers.Length])];
            var d = decisions[a];
            var kept = d.Headcount[0] * (1 - d.LayoffShare) * Math.Exp(-talent.Tiers[0].AttritionPerMonth * tick.Months);
            var count = Math.Max(0, Math.Min(talent.FollowersPerStar * talent.Researchers[index].Skill, kept + _followers[a][0]));
            _followers[a][0] -= count;
            _followers[b][0] += count;
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

        private CompanyDecision DecisionOf(string company) => decisions[context.CompanyIndex(company)];

        private int IndexOf(string person) => context.ResearcherIndex(person);

        private static int Days(double months) => (int)Math.Round(months * Calendar.DaysPerMonth);

        private void Record(string kind, string person, string? from, string? to, double amount) =>
            _events.Add(new SimEvent { Tick = tick.Index, Kind = kind, Person = person, From = from, To = to, AmountUsd = amount });
    }

    /// <summary>One tier of a region's job market before the migrants arrive (<see cref="TierLabour"/> without them).</summary>
    internal readonly record struct TierFlow(
        double UnemployedStart, double Supply, double Separations, double Openings, double Matches, double Hires, double Exits,
        double MigrationOut, double UnemployedEnd);

    /// <summary>A job market's working arrays for one tick (kept by <see cref="TalentState"/>, reset by each tick).</summary>
    internal sealed class Scratch
    {
        private Scratch(int companies, int researchers, int regions, int tiers)
        {
            Owed = new double[companies];
            Count = new int[companies];
            Missing = new double[companies];
            Payroll = new double[companies];
            Compensation = new double[companies];
            PaidIn = new double[companies];
            PaidOut = new double[companies];
            Unpaid = new double[companies];
            Left = new double[companies];
            Weight = new double[companies];
            EmployerSeen = new string?[researchers];
            EmployerSeenIndex = new int[researchers];
            Array.Fill(EmployerSeenIndex, -1);
            Flows = new TierFlow[regions * tiers];
            Inflow = new double[regions * tiers];
            WeightExp = [.. Enumerable.Repeat((double.NaN, 0.0), companies)];
            AttritionExp = [.. Enumerable.Repeat((double.NaN, 0.0), tiers)];
            ExitExp = [.. Enumerable.Repeat((double.NaN, 0.0), regions)];
            MigrationExp = [.. Enumerable.Repeat((double.NaN, 0.0), regions)];
        }

        /// <summary>
        /// Last arguments and results of e^x per company (premium weight), tier (attrition) and region (exits, migration):
        /// they change only when a policy or the tick's length does. Kept across ticks, not reset.
        /// </summary>
        public readonly (double In, double Out)[] WeightExp, AttritionExp, ExitExp, MigrationExp;

        /// <summary>e^x, computed again only when x differs from the last argument.</summary>
        public static double Exp(ref (double In, double Out) memo, double x)
        {
            if (memo.In != x)
            {
                memo = (x, Math.Exp(x));
            }
            return memo.Out;
        }

        /// <summary>
        /// The tick's offers and their sort keys (researcher rank, then decision order), grown as needed and kept from tick
        /// to tick; only the first entries, as many as the tick's offers, are the tick's.
        /// </summary>
        public long[] OfferKeys = [];
        public StarOffer[] SortedOffers = [];

        /// <summary>The offer arrays with room for <paramref name="count"/> offers (cleared after each tick's use).</summary>
        public (long[] Keys, StarOffer[] Offers) OffersFor(int count)
        {
            if (OfferKeys.Length < count)
            {
                var size = Math.Max(count, 2 * OfferKeys.Length);
                (OfferKeys, SortedOffers) = (new long[size], new StarOffer[size]);
            }
            return (OfferKeys, SortedOffers);
        }

        /// <summary>One researcher's offers while they choose.</summary>
        public readonly List<StarOffer> Choice = [];

        /// <summary>Per researcher, the employer id last looked up and its company index (-1: none): kept across ticks, not reset.</summary>
        private readonly string?[] EmployerSeen;
        private readonly int[] EmployerSeenIndex;

        /// <summary>The company index of researcher <paramref name="i"/>'s employer, looked up again only when the employer's string changed.</summary>
        public int CompanyIndexOf(ScenarioContext context, int i, string? employer)
        {
            if (!ReferenceEquals(EmployerSeen[i], employer))
            {
                (EmployerSeen[i], EmployerSeenIndex[i]) = (employer, context.CompanyIndexOrNone(employer));
            }
            return EmployerSeenIndex[i];
        }

        public readonly ImmutableArray<SimEvent>.Builder Events = ImmutableArray.CreateBuilder<SimEvent>();
        public readonly List<(int Event, int Claimant, int Respondent, double Award)> Awards = [];
        public readonly double[] Owed, Missing, Payroll, Compensation, PaidIn, PaidOut, Unpaid, Left, Weight, Inflow;
        public readonly int[] Count;
        public readonly TierFlow[] Flows;

        /// <summary>The state's scratch, reset where a tick reads what it did not write (missing at 1: no star yet).</summary>
        public static Scratch For(ScenarioContext context, TalentState state)
        {
            var (companies, researchers, regions, tiers) = (context.Info.Companies.Length, state.Researchers.Length, context.Regions.Length, context.Info.Talent.Tiers.Length);
            var s = state.Scratch;
            if (s is null || s.Owed.Length != companies || s.EmployerSeenIndex.Length != researchers || s.ExitExp.Length != regions || s.AttritionExp.Length != tiers)
            {
                s = state.Scratch = new Scratch(companies, researchers, regions, tiers);
            }
            // Only what a tick adds to or multiplies: it writes compensation, what is left, the weights and the flows whole before reading them.
            s.Events.Clear();
            s.Awards.Clear();
            Array.Clear(s.Owed);
            Array.Clear(s.Count);
            Array.Fill(s.Missing, 1.0);
            Array.Clear(s.Payroll);
            Array.Clear(s.PaidIn);
            Array.Clear(s.PaidOut);
            Array.Clear(s.Unpaid);
            Array.Clear(s.Inflow);
            return s;
        }
    }
}
