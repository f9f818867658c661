using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.Randomness;
using Simulation.Model.State;
using Simulation.Model.Time;

namespace Simulation.Model.Rules;

/// <summary>A company's rules: its events, its decision, its production of quality and its cash.</summary>
public static class CompanyRules
{
    public static CompanyState Create(ScenarioContext context, CompanyInfo info)
    {
        var start = context.Info.Start;
        // The stars in AI it employs at the start are on its payroll from the first tick (grouped once by the context).
        var index = context.CompanyIndexOrNone(info.Id);
        var (starCount, starPayroll) = index >= 0
            ? context.StarsAtStart(index)
            : (context.Info.Talent.Researchers.Count(r => r.Employer == info.Id && r.InAi),
               context.Info.Talent.Researchers.Where(r => r.Employer == info.Id && r.InAi).Sum(r => r.MonthlySalaryUsd));
        return new CompanyState
        {
            Id = info.Id,
            CashUsd = info.CashUsd,
            Headcount = [.. info.Workforce],
            ModelQuality = info.InitialQuality ?? double.NaN,
            Policy = info.Policy,
            Launched = [.. info.Apps.Select(a => a.Launch is null || a.Launch <= start)],
            LastMonthShare = new double[info.Apps.Length],
            StarCount = starCount,
            StarPayrollMonthlyUsd = starPayroll,
        };
    }

    /// <summary>Applies the events of this tick that concern the company (in date, then file order).</summary>
    public static void ApplyEvents(ScenarioContext context, CompanyInfo info, CompanyState state, Tick tick)
    {
        var launchTicks = context.LaunchTicks(CacheOf(context, info, state).Index);
        for (var i = 0; i < info.Apps.Length; i++)
        {
            if (launchTicks[i] == tick.Index)
            {
                state.Launched[i] = true;
            }
        }
        state.FundingUsd = 0;
        var events = context.EventsAt(tick.Index);
        for (var k = 0; k < events.Count; k++)
        {
            var e = events[k];
            switch (e.Kind)
            {
                case EventKind.OrgFounded when e.Company == info.Id:
                    state.BudgetMultiplier *= e.Multiplier;
                    state.ProductivityMultiplier *= e.ProductivityMultiplier;
                    break;
                case EventKind.Budget when e.Company == info.Id:
                    state.BudgetMultiplier *= e.Multiplier;
                    break;
                case EventKind.QualityBoost when e.Company == info.Id:
                    state.ModelQuality *= e.Multiplier;
                    break;
                case EventKind.Funding when e.Company == info.Id:
                    state.CashUsd += e.AmountUsd;
                    state.FundingUsd += e.AmountUsd;
                    break;
                case EventKind.Policy when e.Company == info.Id:
                    state.Policy = e.Changes.Aggregate(state.Policy, (p, c) => c.ApplyTo(p));
                    break;
                case EventKind.Launch when e.App is not null:
                    var index = context.AppSlot(info, e.App);
                    if (index >= 0)
                    {
                        state.Launched[index] = true;
                    }
                    break;
            }
        }
    }

    /// <summary>
    /// A company's monthly AI budget on <paramref name="date"/> under <paramref name="policy"/> (max(floor, share x revenue) x
    /// budget multiplier), its pools' payroll and its whole payroll (pools plus stars) a month. The salary headroom for
    /// offers and openings is budget x salaryShare - payroll (a workshop checks a team's offers against it).
    /// </summary>
    public static (double BudgetMonthly, double PoolPayrollMonthly, double PayrollMonthly) Budget(
        ScenarioContext context, CompanyInfo info, CompanyState state, PolicyInfo policy, DateOnly date)
    {
        var tiers = context.Info.Talent.Tiers;
        var budgetMonthly = Math.Max(policy.AiBudgetFloorUsd, policy.AiBudgetShare * info.MonthlyRevenueAt(date)) * state.BudgetMultiplier;
        var poolPayrollMonthly = 0.0;
        for (var t = 0; t < tiers.Length; t++)
        {
            poolPayrollMonthly += state.Headcount[t] * tiers[t].MonthlySalaryUsd;
        }
        return (budgetMonthly, poolPayrollMonthly, poolPayrollMonthly + state.StarPayrollMonthlyUsd);
    }

    /// <summary>
    /// The tick's spending plan before the cash rule (<see cref="SpendPlan.FitTo"/>): the whole payroll, and the AI budget's
    /// compute and marketing shares (marketing raised while the company reacts to a fall in share), with the budget and
    /// the payrolls a month it was made from.
    /// </summary>
    public static (SpendPlan Plan, double BudgetMonthly, double PoolPayrollMonthly, double PayrollMonthly) PlanOf(
        ScenarioContext context, CompanyInfo info, CompanyState state, Tick tick)
    {
        var policy = state.Policy;
        var (budgetMonthly, poolPayrollMonthly, payrollMonthly) = Budget(context, info, state, policy, tick.Start);
        var plan = new SpendPlan(
            Payroll: payrollMonthly * tick.Months,
            Compute: budgetMonthly * policy.ComputeShare * tick.Months,
            Marketing: Marketing(budgetMonthly, policy, Reacting(state, tick), tick.Months));
        return (plan, budgetMonthly, poolPayrollMonthly, payrollMonthly);
    }

    /// <summary>Whether the company reacts in this tick to a rival's gain (the reaction rule of <see cref="Settle"/>): its marketing is raised.</summary>
    public static bool Reacting(CompanyState state, Tick tick) => tick.Index < state.ReactionUntilTick;

    /// <summary>The marketing a monthly AI budget buys in a tick: its marketing share, times 1 + the reaction boost while the company reacts.</summary>
    public static double Marketing(double budgetMonthly, PolicyInfo policy, bool reacting, double months)
    {
        var reaction = reacting ? 1 + policy.ReactionMarketingBoost : 1;
        return budgetMonthly * policy.MarketingShare * reaction * months;
    }

    /// <summary>
    /// The policy's decision for this tick. The AI budget is max(floor, share x revenue) x multiplier, split
    /// into salaries, compute and marketing. Cash rule: if cash plus this tick's revenue cannot pay the
    /// plan, marketing is cut first, then compute, then pool staff are laid off until payroll fits; if cash
    /// cannot pay even the stars, it pays what it can and releases them. A company out of cash shrinks.
    /// </summary>
    public static CompanyDecision Decide(ScenarioContext context, CompanyInfo info, CompanyState state, Tick tick, MarketView view)
    {
        var policy = state.Policy;
        var tiers = context.Info.Talent.Tiers;
        var months = tick.Months;

        var (plan, budgetMonthly, poolPayrollMonthly, payrollMonthly) = PlanOf(context, info, state, tick);
        var revenue = info.MonthlyRevenueAt(tick.Start) * (1 - info.OtherCostShare) * months;
        var (fitted, layoffShare) = plan.FitTo(state.CashUsd + revenue, poolPayrollMonthly * months);
        var starPayroll = state.StarPayrollMonthlyUsd * months;
        var starsUnpaid = Math.Max(0, starPayroll - (fitted.Payroll - (1 - layoffShare) * poolPayrollMonthly * months));

        var headroomMonthly = layoffShare > 0 || fitted != plan ? 0 : Math.Max(0, budgetMonthly * policy.SalaryShare - payrollMonthly);
        var offers = headroomMonthly > 0 ? Offers(context, info, state, tick, view, headroomMonthly) : [];
        var openings = Openings(context, state.Headcount, policy, headroomMonthly, months);

        return new CompanyDecision
        {
            Company = info.Id,
            Tick = tick.Index,
            Policy = policy,
            RevenueUsd = revenue,
            CashUsd = state.CashUsd,
            PayrollUsd = fitted.Payroll,
            ComputeUsd = fitted.Compute,
            MarketingUsd = fitted.Marketing,
            LayoffShare = layoffShare,
            ReleasesStars = starPayroll > 0 && starsUnpaid > 1e-9 * starPayroll,
            UnpaidUsd = starsUnpaid,
            Headcount = HeadcountNow(CacheOf(context, info, state), state),
            Openings = openings,
            Offers = offers,
        };
    }

    /// <summary>
    /// The tick's offers to named researchers: first the offers its <c>offer</c> events name (a workshop team's), in
    /// event order, each made if the salary headroom left has room for it and the researcher is another company's
    /// (or nobody's) in the company's own region; then the policy's approaches (<see cref="StarOffers"/>) with the
    /// headroom that is left, skipping the researchers already offered. Without offer events this is the policy's alone.
    /// </summary>
    private static ImmutableArray<StarOffer> Offers(
        ScenarioContext context, CompanyInfo info, CompanyState state, Tick tick, MarketView view, double headroomMonthly)
    {
        ImmutableArray<StarOffer>.Builder? named = null;
        var region = CacheOf(context, info, state).Region;
        var events = context.EventsAt(tick.Index);
        for (var k = 0; k < events.Count; k++)
        {
            var e = events[k];
            if (e.Kind != EventKind.Offer || e.Company != info.Id || e.Person is null)
            {
                continue;
            }
            var index = context.ResearcherIndex(e.Person);
            if (index < 0 || index >= view.Researchers.Length)
            {
                continue;
            }
            var r = view.Researchers[index];
            if (r.Employer == info.Id || r.Region != region || e.MonthlySalaryUsd > headroomMonthly
                || named is not null && Offered(named, r.Id))
            {
                continue;
            }
            headroomMonthly -= e.MonthlySalaryUsd;
            named ??= ImmutableArray.CreateBuilder<StarOffer>();
            named.Add(new StarOffer { Person = r.Id, Company = info.Id, MonthlySalaryUsd = e.MonthlySalaryUsd, FounderAttention = state.Policy.FounderAttention, PersonIndex = index });
        }
        if (named is null)
        {
            return StarOffers(context, info, state, tick, view, headroomMonthly);
        }
        if (headroomMonthly > 0)
        {
            named.AddRange(StarOffers(context, info, state, tick, view, headroomMonthly, named));
        }
        return named.ToImmutable();
    }

    /// <summary>
    /// Offers to named researchers: each eligible one (not ours, in the AI field, not on a documented
    /// path) gets an offer with probability 1 - e^(-rate x months), the rate cut by a recent filing of
    /// their employer, at the star's market salary x (1 + starPremium) or their current pay if higher; offers stop when the salary headroom is used up. Offers only reserve headroom
    /// among themselves: pool openings are planned on the whole headroom, since most offers are declined
    /// and an accepted one shows in the next tick's payroll.
    /// </summary>
    private static ImmutableArray<StarOffer> StarOffers(
        ScenarioContext context, CompanyInfo info, CompanyState state, Tick tick, MarketView view, double headroomMonthly,
        IReadOnlyList<StarOffer>? named = null)
    {
        var policy = state.Policy;
        if (policy.PoachRate <= 0 || view.Researchers.IsEmpty)
        {
            return [];
        }
        var cache = CacheOf(context, info, state);
        var rng = RandomStreams.Draws(cache.StreamKey, tick.Index, "offers");
        // Companies poach in their own labour market only.
        var region = cache.Region;
        // The chance of an offer, and the lower one for staff of a recent filer: the same for every star.
        var rate = policy.PoachRate * tick.Months;
        var deterrence = context.Info.Legal.Deterrence;
        if (rate != cache.OfferRate || deterrence != cache.OfferDeterrence)
        {
            cache.OfferChance = 1 - Math.Exp(-rate);
            cache.DeterredChance = 1 - Math.Exp(-(rate * (1 - deterrence)));
            cache.LogMiss = Math.Log(1 - cache.OfferChance);
            (cache.OfferRate, cache.OfferDeterrence) = (rate, deterrence);
        }
        var chance = cache.OfferChance;
        var deterredChance = cache.DeterredChance;
        if (chance <= 0)
        {
            return [];
        }
        ImmutableArray<StarOffer>.Builder? offers = null;
        // Each star is approached independently with the same chance, so instead of a draw per star the
        // loop jumps from one approached star to the next by geometric skips: the cost follows the
        // number of offers, not the number of companies times the number of stars.
        var researchers = view.Researchers;
        var logMiss = cache.LogMiss;
        // No offer is below the scenario's lowest star salary with this premium: once the headroom is under it, no approach
        // can become an offer, so the loop stops (the draws it leaves are this company's, for this tick only).
        var cheapest = context.LowestStarSalaryUsd * (1 + policy.StarPremium);
        for (var i = NextApproached(ref rng, -1, logMiss); i < researchers.Length && headroomMonthly >= cheapest; i = NextApproached(ref rng, i, logMiss))
        {
            var r = researchers[i];
            if (r.Employer == info.Id || !r.InAi || r.Scripted || r.Region != region || named is not null && Offered(named, r.Id))
            {
                continue;
            }
            // A recent filing by the star's employer thins the approaches down to the deterred chance.
            var deterred = r.Employer is not null && !view.Deterred.IsEmpty && context.IsDeterred(view.Deterred, r.Employer);
            if (deterred && !rng.Chance(deterredChance / chance))
            {
                continue;
            }
            // The premium is over the star's market salary (from the scenario), never below what they earn
            // now: repeated bidding raises pay to the best premium on offer instead of compounding it.
            var marketSalary = context.MarketSalaryUsd[i];
            var salary = Math.Max(r.MonthlySalaryUsd, marketSalary * (1 + policy.StarPremium));
            if (salary > headroomMonthly)
            {
                continue;
            }
            headroomMonthly -= salary;
            offers ??= ImmutableArray.CreateBuilder<StarOffer>();
            offers.Add(new StarOffer { Person = r.Id, Company = info.Id, MonthlySalaryUsd = salary, FounderAttention = policy.FounderAttention, PersonIndex = i });
        }
        return offers?.ToImmutable() ?? [];
    }

    /// <summary>
    /// Whether <paramref name="offers"/> has one to <paramref name="person"/>: a loop, not a lambda, since a lambda over the
    /// approach loop's researcher would allocate its closure on every approach, offered or not.
    /// </summary>
    private static bool Offered(IReadOnlyList<StarOffer> offers, string person)
    {
        for (var k = 0; k < offers.Count; k++)
        {
            if (offers[k].Person == person)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The index of the next approached star after <paramref name="current"/>: a geometric skip with miss log-probability <paramref name="logMiss"/>.</summary>
    private static int NextApproached(ref StreamDraws rng, int current, double logMiss)
    {
        var skip = Math.Floor(Math.Log(1 - rng.NextDouble()) / logMiss);
        return skip >= int.MaxValue - current - 1 ? int.MaxValue : current + 1 + (int)skip;
    }

    /// <summary>Pool openings: the salary headroom filled over the hiring lag, split across tiers as the current workforce is.</summary>
    private static ImmutableArray<double> Openings(ScenarioContext context, double[] headcount, PolicyInfo policy, double headroomMonthly, double months)
    {
        if (headroomMonthly <= 0)
        {
            return context.NoOpenings;
        }
        var tiers = context.Info.Talent.Tiers;
        var openings = new double[tiers.Length];
        var bill = 0.0;
        for (var t = 0; t < tiers.Length; t++)
        {
            bill += headcount[t] * tiers[t].MonthlySalaryUsd;
        }
        var pace = Math.Min(1, months / Math.Max(policy.HiringLagMonths, 1e-9));
        for (var t = 0; t < tiers.Length; t++)
        {
            var mix = bill > 0 ? headcount[t] * tiers[t].MonthlySalaryUsd / bill : 1.0 / tiers.Length;
            openings[t] = headroomMonthly * mix / (tiers[t].MonthlySalaryUsd * (1 + policy.PoolPremium)) * pace;
        }
        // Made for this decision alone: it becomes the immutable array as it is.
        return ImmutableCollectionsMarshal.AsImmutableArray(openings);
    }

    /// <summary>
    /// Applies the job market's result and produces quality: effective talent T = E x (1 + mu x H) (pools by
    /// productivity, times the stars' team lift) and compute K give capability C = T^a K^b; quality moves toward C
    /// with the adjustment time constant; each app's quality is measured against the rising frontier.
    /// </summary>
    public static ImmutableArray<AppSupply> Produce(ScenarioContext context, CompanyInfo info, CompanyState state, Tick tick, CompanyDecision decision, CompanyTalent talent)
    {
        var tiers = context.Info.Talent.Tiers;
        var quality = context.Info.Quality;
        var effective = 0.0;
        for (var t = 0; t < tiers.Length; t++)
        {
            var h = state.Headcount[t] * (1 - decision.LayoffShare) - talent.Leavers[t] + talent.Hires[t]
                + (talent.Followers.IsDefaultOrEmpty ? 0 : talent.Followers[t]);
            state.Headcount[t] = Math.Max(0, h);
            effective += state.Headcount[t] * tiers[t].Productivity;
        }
        effective = effective * state.ProductivityMultiplier * talent.StarLift;
        state.StarCount = talent.StarCount;
        state.StarLift = talent.StarLift;
        state.StarPayrollMonthlyUsd = talent.StarPayrollMonthlyUsd;

        var compute = tick.Months > 0 ? decision.ComputeUsd / tick.Months / quality.ComputeUnitUsd : 0;
        var capability = effective > 0 && compute > 0
            ? Math.Pow(effective, quality.TalentElasticity) * ComputeTerm(CacheOf(context, info, state), compute, quality.ComputeElasticity)
            : 0;
        if (quality.Volatility > 0)
        {
            capability *= Math.Exp(ResearchLuck(context, state, tick, quality.Volatility));
        }
        state.ModelQuality = double.IsNaN(state.ModelQuality)
            ? capability
            : capability + (state.ModelQuality - capability) * context.QualityPullAt(tick.Index);

        var frontier = context.FrontierAt(tick.Index);
        Span<double> marketing = info.Apps.Length <= 16 ? stackalloc double[info.Apps.Length] : new double[info.Apps.Length];
        SplitMarketing(info, state.Launched, decision.MarketingUsd, tick, marketing);
        var supplies = new AppSupply[info.Apps.Length];
        for (var i = 0; i < info.Apps.Length; i++)
        {
            var app = info.Apps[i];
            var launched = state.Launched[i];
            supplies[i] = new AppSupply
            {
                App = app.Id,
                Company = info.Id,
                Market = app.Market,
                Launched = launched,
                Quality = state.ModelQuality * app.QualityFactor,
                RelativeQuality = state.ModelQuality * app.QualityFactor / frontier,
                MarketingMonthlyUsd = marketing[i],
                Ecosystem = info.Ecosystem,
            };
        }
        return ImmutableCollectionsMarshal.AsImmutableArray(supplies);
    }

    /// <summary>Each app's marketing a month (in the company's app order): the tick's marketing spread over the launched apps by their marketing weights.</summary>
    public static void SplitMarketing(CompanyInfo info, bool[] launched, double marketingUsd, Tick tick, Span<double> perApp)
    {
        var marketingMonthly = tick.Months > 0 ? marketingUsd / tick.Months : 0;
        var weights = 0.0;
        for (var i = 0; i < info.Apps.Length; i++)
        {
            weights += launched[i] ? info.Apps[i].MarketingWeight : 0;
        }
        for (var i = 0; i < info.Apps.Length; i++)
        {
            perApp[i] = launched[i] && weights > 0 ? marketingMonthly * info.Apps[i].MarketingWeight / weights : 0;
        }
    }

    /// <summary>K^b, recomputed only when compute or its elasticity changed since the last tick (compute holds while the budget does).</summary>
    private static double ComputeTerm(Cache cache, double compute, double elasticity)
    {
        if (compute != cache.Compute || elasticity != cache.ComputeElasticity)
        {
            (cache.Compute, cache.ComputeElasticity, cache.ComputeTerm) = (compute, elasticity, Math.Pow(compute, elasticity));
        }
        return cache.ComputeTerm;
    }

    /// <summary>
    /// The pools' headcount as an immutable array: the last snapshot's workforce when the pools have not changed since
    /// (the usual case at a decision: nothing moves them between settling one tick and deciding the next), else a copy.
    /// </summary>
    private static ImmutableArray<double> HeadcountNow(Cache cache, CompanyState state)
    {
        var last = cache.Workforce;
        if (last.IsDefault || last.Length != state.Headcount.Length)
        {
            return [.. state.Headcount];
        }
        for (var t = 0; t < last.Length; t++)
        {
            if (BitConverter.DoubleToInt64Bits(last[t]) != BitConverter.DoubleToInt64Bits(state.Headcount[t]))
            {
                return [.. state.Headcount];
            }
        }
        return last;
    }

    /// <summary>The company's cache, made on first use (a state copied between grains starts without one).</summary>
    private static Cache CacheOf(ScenarioContext context, CompanyInfo info, CompanyState state)
    {
        if (state.Cache is null)
        {
            var index = context.CompanyIndex(info.Id);
            state.Cache = new Cache { Index = index, Region = context.RegionOf(index), StreamKey = RandomStreams.EntityKey(context.Seed, info.Id) };
        }
        return state.Cache;
    }

    /// <summary>
    /// What a company's rules derive again and again from unchanged inputs: the company's index and region, and the
    /// last results of costly functions with the inputs they were computed from (the same inputs give the same doubles).
    /// </summary>
    internal sealed class Cache
    {
        public required int Index { get; init; }
        public required string Region { get; init; }
        /// <summary>The company's part of its random streams' keys (<see cref="RandomStreams.EntityKey"/>).</summary>
        public required ulong StreamKey { get; init; }
        public double OfferRate = double.NaN, OfferDeterrence = double.NaN, OfferChance, DeterredChance, LogMiss;
        public double Compute = double.NaN, ComputeElasticity = double.NaN, ComputeTerm;
        /// <summary>The workforce of the last snapshot (default before the first).</summary>
        public ImmutableArray<double> Workforce;
    }

    /// <summary>
    /// Research luck: the log of a company's R&amp;D efficiency follows a random walk with the scenario's
    /// volatility per square-root year (a standard normal step each tick, Box-Muller from the company's own
    /// stream), so some labs get lucky and stay ahead. Returns the walk's position after this tick.
    /// </summary>
    private static double ResearchLuck(ScenarioContext context, CompanyState state, Tick tick, double volatility)
    {
        var rng = RandomStreams.Draws(context.Seed, state.Id, tick.Index, "research");
        var u1 = 1 - rng.NextDouble();
        var u2 = rng.NextDouble();
        var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        state.LogEfficiency += volatility * Math.Sqrt(tick.Years) * z;
        return state.LogEfficiency;
    }

    /// <summary>
    /// Settles cash: other revenue and what the apps' users pay in (revenue per user x active users), the
    /// plan's spending and non-compete compensation out, arbitration transfers in and out. The plan and the
    /// job market's payments are capped by cash, so cash never goes below zero; what they could not pay is
    /// accumulated as unpaid. At a month's end the reaction rule compares each app's share with last month's.
    /// </summary>
    public static CompanySnapshot Settle(ScenarioContext context, CompanyInfo info, CompanyState state, Tick tick, CompanyDecision decision, CompanyTalent talent, IReadOnlyList<AppOutcome> apps)
    {
        var userRevenue = 0.0;
        for (var i = 0; i < apps.Count && i < info.Apps.Length; i++)
        {
            userRevenue += info.Apps[i].RevenuePerUserMonthlyUsd * apps[i].Active * tick.Months;
        }
        var spend = decision.PayrollUsd + decision.ComputeUsd + decision.MarketingUsd + talent.CompensationUsd;
        var cash = state.CashUsd + decision.RevenueUsd + userRevenue - spend + talent.TransfersInUsd - talent.TransfersOutUsd;
        if (cash < 0)
        {
            // Only rounding can get here: every payment was capped by the cash it is paid from.
            state.UnpaidUsd += -cash;
            cash = 0;
        }
        state.CashUsd = cash;
        state.UnpaidUsd += talent.UnpaidUsd + decision.UnpaidUsd;

        if (context.Calendar.EndsMonth(tick.Index))
        {
            for (var i = 0; i < apps.Count && i < state.LastMonthShare.Length; i++)
            {
                if (state.LastMonthShare[i] - apps[i].Share >= state.Policy.ReactionShareDrop)
                {
                    state.ReactionUntilTick = context.Calendar.IndexOf(tick.End.AddMonths(1));
                }
                state.LastMonthShare[i] = apps[i].Share;
            }
        }

        var pools = 0.0;
        foreach (var h in state.Headcount)
        {
            pools += h;
        }
        var headcount = pools + state.StarCount;
        return new CompanySnapshot
        {
            Company = info.Id,
            Tick = tick.Index,
            CashUsd = state.CashUsd,
            Headcount = headcount,
            Stars = state.StarCount,
            ModelQuality = state.ModelQuality,
            RevenueUsd = decision.RevenueUsd + userRevenue,
            OtherRevenueUsd = decision.RevenueUsd,
            UserRevenueUsd = userRevenue,
            FundingUsd = state.FundingUsd,
            SpendUsd = spend,
            PayrollUsd = decision.PayrollUsd,
            ComputeUsd = decision.ComputeUsd,
            MarketingUsd = decision.MarketingUsd,
            CompensationUsd = talent.CompensationUsd,
            TransfersInUsd = talent.TransfersInUsd,
            TransfersOutUsd = talent.TransfersOutUsd,
            UnpaidUsd = state.UnpaidUsd,
            Workforce = CacheOf(context, info, state).Workforce = [.. state.Headcount],
            StarLift = state.StarLift,
        };
    }
}
