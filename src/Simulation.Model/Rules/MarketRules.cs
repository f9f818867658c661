using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.State;
using Simulation.Model.Time;

namespace Simulation.Model.Rules;

/// <summary>
/// User growth in one market. People are never-adopted (N), active (U, de-duplicated) or lapsed (L), and
/// N + U + L is the potential M. Each tick:
/// <list type="number">
/// <item>M grows with the best live app's quality: M = M0 (Qbest / frontierStart)^e, capped, never shrinking.</item>
/// <item>Newcomers: N (1 - e^(-h dt)) with the generalized Bass hazard h = (p (1 + marketing lift) + q U/M) x,
/// x = S^beta the apps' inclusive attraction; returning users: L (1 - e^(-rho x dt)).</item>
/// <item>They choose an app by nested logit (each brings the market's multi-homing, capped by the apps live).</item>
/// <item>Each app's users churn along its retention curve, faster or slower by e^(-kappa (q - qbar)).</item>
/// <item>A share 1 - e^(-sigma dt) of each app's users reconsider: a part lambda chooses among every app, the
/// rest within the app's nest, so an entrant takes most from its closest rivals.</item>
/// </list>
/// People lapse in proportion to the users the apps lose to churn. The 30-day retention reported is measured
/// on a probe cohort that goes through the same churn and switching.
/// </summary>
public static class MarketRules
{
    public const int WeekDays = 7;
    public const double ProbeHorizonDays = 30;

    public static MarketState Create(ScenarioInfo scenario, MarketInfo market)
    {
        var window = WeekWindow(scenario.TickLength);
        var apps = scenario.Apps
            .Where(x => x.App.Market == market.Id)
            .Select(x =>
            {
                var stock = RetentionCurve.From(x.App.Retention).SteadyStateSplit(x.App.InitialUsers);
                return new AppUsers
                {
                    App = x.App.Id,
                    Company = x.Company.Id,
                    Stock = stock,
                    MonthStartStock = x.App.InitialUsers,
                    WeekStartStock = Enumerable.Repeat(x.App.InitialUsers, window).ToArray(),
                    WeekNewUsers = new double[window],
                };
            })
            .ToArray();
        var launched = scenario.Apps.Count(x => x.App.Market == market.Id && x.App.InitialUsers > 0);
        var sum = apps.Sum(a => a.Active);
        var largest = apps.Length == 0 ? 0 : apps.Max(a => a.Active);
        var active = Deduplicated(sum, largest, MultiHomingWith(market, launched));
        var potential = Math.Max(market.Potential, Math.Max(market.InitialAdopters, active));
        return new MarketState
        {
            Id = market.Id,
            Potential = potential,
            Active = active,
            Lapsed = Math.Max(0, market.InitialAdopters - active),
            Apps = apps,
        };
    }

    /// <summary>Ticks that make up a 7-day window (weekly actives need day or week ticks).</summary>
    public static int WeekWindow(TickLength length) => length switch
    {
        TickLength.Day => WeekDays,
        TickLength.Week => 1,
        _ => 1,
    };

    /// <summary>
    /// Plays one tick of the market. <paramref name="supplies"/> holds one entry per app of the market,
    /// in the state's app order.
    /// </summary>
    public static MarketOutcome Acquire(
        MarketInfo market, MarketState state, ScenarioContext context, Tick tick,
        IReadOnlyList<AppSupply> supplies)
    {
        var apps = state.Apps;
        var configured = context.AppsOf(market.Id);
        // Read many times per app below: as arrays (what the engines pass) rather than through the list interface.
        var supply = supplies as AppSupply[] ?? [.. supplies];
        var retention = configured as ScenarioApp[] ?? [.. configured];
        if (supplies.Count != apps.Length || configured.Count != apps.Length)
        {
            throw new ArgumentException($"market {market.Id} expects {apps.Length} app supplies, got {supplies.Count}");
        }
        var n = apps.Length;
        var (nestOf, nestCount) = context.Nests(market.Id);

        var startsMonth = context.Calendar.StartsMonth(tick.Index);
        if (startsMonth)
        {
            foreach (var app in apps)
            {
                app.MonthStartStock = app.Active;
                app.MonthNewUsers = 0;
                app.MonthSwitchIn = 0;
                app.MonthSwitchOut = 0;
            }
        }

        // Choice: utilities, who is live, the nested-logit shares and the inclusive attraction.
        var scratch = state.Scratch is { } kept && kept.Utility.Length == n ? kept.Clear() : state.Scratch = new Scratch(n);
        var utility = scratch.Utility;
        var live = scratch.Live;
        var liveCount = 0;
        var totalMarketing = 0.0;
        var bestQuality = 0.0;
        for (var i = 0; i < n; i++)
        {
            var s = supply[i];
            if (s.App != apps[i].App || retention[i].App.Id != apps[i].App)
            {
                throw new ArgumentException($"market {market.Id}: supply {i} is for {s.App}, expected {apps[i].App}");
            }
            if (!s.Launched)
            {
                continue;
            }
            live[i] = true;
            liveCount++;
            totalMarketing += s.MarketingMonthlyUsd;
            bestQuality = Math.Max(bestQuality, s.Quality);
            utility[i] = Attraction.LogFromTerms(market, s.RelativeQuality, scratch.MarketingLog(market, i, s.MarketingMonthlyUsd), scratch.EcosystemLog(market, i, s.Ecosystem));
        }
        var shares = scratch.Shares;
        var withinNest = scratch.WithinNest;
        var inclusive = NestedLogit.Shares(utility, live, nestOf, nestCount, market.Nesting, shares, withinNest);
        var attractionFactor = liveCount > 0 ? Math.Exp(market.AdoptionAttractionWeight * inclusive) : 0;
        var multiHoming = MultiHomingWith(market, liveCount);

        // People: the potential grows with the best quality, then newcomers and returning users arrive.
        var potentialBefore = state.Potential;
        if (liveCount > 0 && market.PotentialElasticity > 0 && bestQuality > 0)
        {
            var grown = market.Potential * Math.Pow(bestQuality / context.Info.Quality.FrontierStart, market.PotentialElasticity);
            if (market.PotentialCeiling is { } ceiling)
            {
                grown = Math.Min(grown, Math.Max(ceiling, market.Potential));
            }
            if (double.IsFinite(grown))
            {
                state.Potential = Math.Max(state.Potential, grown);
            }
        }
        var years = tick.Years;
        var never = state.NeverAdopted;
        var newAdopters = 0.0;
        var reactivated = 0.0;
        if (liveCount > 0 && state.Potential > 0)
        {
            var p = market.Innovation * (1 + market.MarketingLift * Attraction.Saturation(totalMarketing, market.MarketingHalfSaturationUsd));
            var hazard = (p + market.Imitation * state.Active / state.Potential) * attractionFactor;
            newAdopters = never * -double.ExpM1(-hazard * years);
            reactivated = state.Lapsed * -double.ExpM1(-market.Reactivation * attractionFactor * years);
        }
        var arriving = newAdopters + reactivated;

        // Users of each app: churn (quality-adjusted), switching, then the arrivals' choices.
        var days = tick.Days;
        var meanQuality = MeanQuality(apps, supply, live);
        var churnFactor = scratch.ChurnFactor;
        // Each app's stock per retention component after churn, app after app (one array for the market).
        const int components = RetentionCurve.Components;
        var decayed = scratch.Decayed;
        var churned = scratch.Churned;
        var activeBefore = 0.0;
        var churnedTotal = 0.0;
        for (var i = 0; i < n; i++)
        {
            var curve = retention[i].Retention;
            var app = apps[i];
            churnFactor[i] = live[i] && market.RetentionQualityWeight > 0
                ? scratch.Exp(i * (components + 1), -market.RetentionQualityWeight * (supply[i].RelativeQuality - meanQuality))
                : 1;
            for (var k = 0; k < components; k++)
            {
                decayed[i * components + k] = app.Stock[k] * scratch.Exp(i * (components + 1) + 1 + k, -curve.Rate(k) * churnFactor[i] * days);
                churned[i] += app.Stock[k] - decayed[i * components + k];
            }
            activeBefore += app.Active;
            churnedTotal += churned[i];
        }

        var switchIn = scratch.SwitchIn;
        var switchOut = scratch.SwitchOut;
        if (market.Switching > 0 && liveCount > 1)
        {
            var reconsider = -double.ExpM1(-market.Switching * years);
            for (var i = 0; i < n; i++)
            {
                var users = Total(decayed.AsSpan(i * components, components));
                if (users <= 0)
                {
                    continue;
                }
                // A part lambda of those who reconsider choose among all apps, the rest within the nest.
                var across = users * reconsider * market.Nesting;
                var within = users * reconsider * (1 - market.Nesting);
                for (var j = 0; j < n; j++)
                {
                    if (j == i || !live[j])
                    {
                        continue;
                    }
                    var flow = across * shares[j] + (nestOf[j] == nestOf[i] ? within * withinNest[j] : 0);
                    switchOut[i] += flow;
                    switchIn[j] += flow;
                }
            }
        }

        var lapsing = activeBefore > 0 ? Math.Min(state.Active, state.Active * churnedTotal / activeBefore) : 0;
        state.Active += arriving - lapsing;
        state.Lapsed += lapsing - reactivated;

        var flows = scratch.Flows;
        var (sumMau, sumWau, sumNewMonth) = (0.0, 0.0, 0.0);
        var (maxMau, maxWau, maxNewMonth) = (0.0, 0.0, 0.0);
        for (var i = 0; i < n; i++)
        {
            var app = apps[i];
            var curve = retention[i].Retention;
            var startStock = app.Active;
            var users = Total(decayed.AsSpan(i * components, components));
            var keep = users > 0 ? 1 - switchOut[i] / users : 1;
            var newUsers = multiHoming * arriving * shares[i];
            for (var k = 0; k < components; k++)
            {
                app.Stock[k] = decayed[i * components + k] * keep + curve.Weight(k) * (newUsers + switchIn[i]);
            }
            FollowProbe(app, curve, live[i], churnFactor[i], users, keep, days, startsMonth);
            app.MonthNewUsers += newUsers + switchIn[i];
            app.MonthSwitchIn += switchIn[i];
            app.MonthSwitchOut += switchOut[i];
            var mau = app.MonthStartStock + app.MonthNewUsers;
            var wau = WeeklyActives(app, startStock, newUsers + switchIn[i]);
            sumMau += mau;
            sumWau += wau;
            sumNewMonth += app.MonthNewUsers;
            (maxMau, maxWau, maxNewMonth) = (Math.Max(maxMau, mau), Math.Max(maxWau, wau), Math.Max(maxNewMonth, app.MonthNewUsers));
            flows[i] = new AppFlow(newUsers, app.Active, mau, wau);
        }

        var outcomes = new AppOutcome[n];
        for (var i = 0; i < n; i++)
        {
            var flow = flows[i];
            outcomes[i] = new AppOutcome
            {
                App = apps[i].App,
                Company = apps[i].Company,
                NewUsers = flow.NewUsers,
                NewUsersMonth = apps[i].MonthNewUsers,
                SwitchIn = switchIn[i],
                SwitchOut = switchOut[i],
                Churned = churned[i],
                SwitchInMonth = apps[i].MonthSwitchIn,
                SwitchOutMonth = apps[i].MonthSwitchOut,
                Active = flow.Active,
                Mau = flow.Mau,
                Wau = market.Reports == ActiveWindow.Week ? flow.Wau : double.NaN,
                Share = sumMau > 0 ? flow.Mau / sumMau : 0,
                AttractionShare = shares[i],
                ChurnFactor = churnFactor[i],
                RetentionD30 = live[i] ? apps[i].MeasuredD30 : double.NaN,
                RelativeQuality = supply[i].RelativeQuality,
            };
        }

        return new MarketOutcome
        {
            Market = market.Id,
            Tick = tick.Index,
            Potential = state.Potential,
            NeverAdopted = state.NeverAdopted,
            ActivePeople = state.Active,
            Lapsed = state.Lapsed,
            PotentialGrowth = state.Potential - potentialBefore,
            NewAdopters = newAdopters,
            Reactivated = reactivated,
            Lapsing = lapsing,
            AttractionFactor = attractionFactor,
            MultiHoming = multiHoming,
            Mau = Deduplicated(sumMau, maxMau, multiHoming),
            Wau = market.Reports == ActiveWindow.Week ? Deduplicated(sumWau, maxWau, multiHoming) : double.NaN,
            NewUsersMonth = Deduplicated(sumNewMonth, maxNewMonth, multiHoming),
            Apps = ImmutableCollectionsMarshal.AsImmutableArray(outcomes),
        };
    }

    /// <summary>
    /// Users of a market's apps counted once: the apps' sum over <paramref name="multiHoming"/>, but never
    /// fewer than the largest app's (its users are distinct people; with one app live nobody can multi-home)
    /// and never more than the sum.
    /// </summary>
    public static double Deduplicated(double sum, double largest, double multiHoming) =>
        Math.Min(sum, Math.Max(largest, sum / multiHoming));

    /// <summary>The market's multi-homing with <paramref name="live"/> apps available: nobody uses more apps than exist.</summary>
    public static double MultiHomingWith(MarketInfo market, int live) => Math.Min(market.MultiHoming, Math.Max(1, live));

    /// <summary>An app's users this tick, before its share of the market is known.</summary>
    internal readonly record struct AppFlow(double NewUsers, double Active, double Mau, double Wau);

    /// <summary>A market's working arrays for one tick, one entry per app (kept by <see cref="MarketState"/>, cleared each tick).</summary>
    internal sealed class Scratch(int apps)
    {
        public readonly double[] Utility = new double[apps];
        public readonly bool[] Live = new bool[apps];
        public readonly double[] Shares = new double[apps];
        public readonly double[] WithinNest = new double[apps];
        public readonly double[] ChurnFactor = new double[apps];
        /// <summary>Each app's stock per retention component after churn, app after app.</summary>
        public readonly double[] Decayed = new double[apps * RetentionCurve.Components];
        public readonly double[] Churned = new double[apps];
        public readonly double[] SwitchIn = new double[apps];
        public readonly double[] SwitchOut = new double[apps];
        public readonly AppFlow[] Flows = new AppFlow[apps];
        /// <summary>Per app, the last marketing and ecosystem inputs and their attraction terms (kept across ticks, not cleared).</summary>
        private readonly (double In, double Log)[] _marketing = [.. Enumerable.Repeat((double.NaN, 0.0), apps)];
        private readonly (double In, double Log)[] _ecosystem = [.. Enumerable.Repeat((double.NaN, 0.0), apps)];
        /// <summary>
        /// Per app, the last argument and result of e^x for its churn factor and for each retention component's decay (kept
        /// across ticks, not cleared): they repeat while an app is not live, or its quality holds against its rivals'.
        /// </summary>
        private readonly (double In, double Out)[] _exp = [.. Enumerable.Repeat((double.NaN, 0.0), apps * (RetentionCurve.Components + 1))];

        /// <summary>e^<paramref name="x"/>, computed again only when x differs from the last argument at <paramref name="slot"/>.</summary>
        public double Exp(int slot, double x)
        {
            ref var memo = ref _exp[slot];
            if (memo.In != x)
            {
                memo = (x, Math.Exp(x));
            }
            return memo.Out;
        }

        /// <summary><see cref="Attraction.MarketingLog"/> of app <paramref name="i"/>, computed again only when its marketing changed.</summary>
        public double MarketingLog(MarketInfo market, int i, double marketingMonthlyUsd)
        {
            if (_marketing[i].In != marketingMonthlyUsd)
            {
                _marketing[i] = (marketingMonthlyUsd, Attraction.MarketingLog(market, marketingMonthlyUsd));
            }
            return _marketing[i].Log;
        }

        /// <summary><see cref="Attraction.EcosystemLog"/> of app <paramref name="i"/>, computed again only when its ecosystem changed.</summary>
        public double EcosystemLog(MarketInfo market, int i, double ecosystem)
        {
            if (_ecosystem[i].In != ecosystem)
            {
                _ecosystem[i] = (ecosystem, Attraction.EcosystemLog(market, ecosystem));
            }
            return _ecosystem[i].Log;
        }

        /// <summary>
        /// Zeroes the arrays a tick sets in part or adds to (the live flags, churn and switching), as new ones would be; a tick
        /// writes every entry of the others before it reads it (utilities are read only where an app is live).
        /// </summary>
        public Scratch Clear()
        {
            Array.Clear(Live);
            Array.Clear(Churned);
            Array.Clear(SwitchIn);
            Array.Clear(SwitchOut);
            return this;
        }
    }

    /// <summary>The values' sum, added in order (as Enumerable.Sum would).</summary>
    private static double Total(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var x in values)
        {
            sum += x;
        }
        return sum;
    }

    /// <summary>The live apps' relative quality weighted by their users (by plain mean while none has users).</summary>
    private static double MeanQuality(AppUsers[] apps, AppSupply[] supplies, bool[] live)
    {
        var (weighted, users, plain, count) = (0.0, 0.0, 0.0, 0);
        for (var i = 0; i < apps.Length; i++)
        {
            if (!live[i])
            {
                continue;
            }
            var a = apps[i].Active;
            weighted += a * supplies[i].RelativeQuality;
            users += a;
            plain += supplies[i].RelativeQuality;
            count++;
        }
        return users > 0 ? weighted / users : count > 0 ? plain / count : 1;
    }

    /// <summary>
    /// Follows the app's probe cohort: a new one starts on the first day of each month while none runs and
    /// the app is live; it churns like the app's users (rates x churn factor) and loses switchers at the
    /// app's switching-out rate (from the share <paramref name="keep"/> of its <paramref name="users"/> who stay, worked out only
    /// while a probe runs), and after 30 days its remainder is the measured 30-day retention.
    /// </summary>
    private static void FollowProbe(AppUsers app, RetentionCurve curve, bool live, double churnFactor, double users, double keep, double days, bool startsMonth)
    {
        if (!live)
        {
            return;
        }
        if (app.ProbeDays < 0 && startsMonth)
        {
            app.Probe[0] = curve.Weight(0);
            app.Probe[1] = curve.Weight(1);
            app.ProbeDays = 0;
        }
        if (app.ProbeDays < 0)
        {
            return;
        }
        var switchOutRate = users > 0 ? -Math.Log(Math.Max(keep, 1e-300)) / Math.Max(days, 1e-9) : 0;
        var step = Math.Min(days, ProbeHorizonDays - app.ProbeDays);
        for (var k = 0; k < RetentionCurve.Components; k++)
        {
            app.Probe[k] *= Math.Exp(-(curve.Rate(k) * churnFactor + switchOutRate) * step);
        }
        app.ProbeDays += step;
        if (app.ProbeDays >= ProbeHorizonDays - 1e-9)
        {
            app.MeasuredD30 = app.Probe[0] + app.Probe[1];
            app.ProbeDays = -1;
        }
    }

    /// <summary>
    /// Users active in the last 7 days: those active at the window's start plus the window's newcomers
    /// (anyone active at the start was active within the window).
    /// </summary>
    private static double WeeklyActives(AppUsers app, double startStock, double newUsers)
    {
        var window = app.WeekStartStock.Length;
        app.WeekStartStock[app.WeekCursor] = startStock;
        app.WeekNewUsers[app.WeekCursor] = newUsers;
        app.WeekCursor = (app.WeekCursor + 1) % window;
        var oldest = app.WeekStartStock[app.WeekCursor % window];
        var fresh = 0.0;
        foreach (var x in app.WeekNewUsers)
        {
            fresh += x;
        }
        return oldest + fresh;
    }
}
