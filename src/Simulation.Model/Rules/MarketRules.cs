using System.Collections.Immutable;
using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.State;
using Simulation.Model.Time;

namespace Simulation.Model.Rules;

/// <summary>
/// User growth in one market: newcomers to the category by a Bass process, split between apps by
/// attraction share, each app's users decaying along its own retention curve.
/// </summary>
public static class MarketRules
{
    public const int WeekDays = 7;

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
        return new MarketState { Id = market.Id, Adopters = market.InitialAdopters, Apps = apps };
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
        var startsMonth = context.Calendar.StartsMonth(tick.Index);
        var apps = state.Apps;
        var configured = context.AppsOf(market.Id);
        if (supplies.Count != apps.Length || configured.Count != apps.Length)
        {
            throw new ArgumentException($"market {market.Id} expects {apps.Length} app supplies, got {supplies.Count}");
        }

        if (startsMonth)
        {
            foreach (var app in apps)
            {
                app.MonthStartStock = app.Active;
                app.MonthNewUsers = 0;
            }
        }

        var attractions = new double[apps.Length];
        var totalMarketing = 0.0;
        var anyLaunched = false;
        for (var i = 0; i < apps.Length; i++)
        {
            var s = supplies[i];
            if (s.App != apps[i].App || configured[i].App.Id != apps[i].App)
            {
                throw new ArgumentException($"market {market.Id}: supply {i} is for {s.App}, expected {apps[i].App}");
            }
            if (!s.Launched)
            {
                continue;
            }
            anyLaunched = true;
            totalMarketing += s.MarketingMonthlyUsd;
            attractions[i] = Attraction.Of(market, s.RelativeQuality, s.MarketingMonthlyUsd, s.Ecosystem);
        }
        var shares = Attraction.Shares(attractions);

        var newAdopters = 0.0;
        if (anyLaunched && market.Potential > 0)
        {
            var p = market.Innovation * (1 + market.MarketingLift * Attraction.Saturation(totalMarketing, market.MarketingHalfSaturationUsd));
            var f0 = Math.Min(1, state.Adopters / market.Potential);
            var f1 = Bass.Step(f0, p, market.Imitation, tick.Years);
            newAdopters = Math.Max(0, (f1 - f0) * market.Potential);
            state.Adopters += newAdopters;
        }

        var days = tick.Days;
        var flows = new AppFlow[apps.Length];
        var sumMau = 0.0;
        var sumWau = 0.0;
        var sumNewMonth = 0.0;
        var (maxMau, maxWau, maxNewMonth) = (0.0, 0.0, 0.0);
        var activeBefore = 0.0;
        var activeAfter = 0.0;
        for (var i = 0; i < apps.Length; i++)
        {
            var app = apps[i];
            var curve = configured[i].Retention;
            var newUsers = market.MultiHoming * newAdopters * shares[i];
            var startStock = app.Active;
            activeBefore += startStock;
            for (var k = 0; k < RetentionCurve.Components; k++)
            {
                app.Stock[k] = app.Stock[k] * Math.Exp(-curve.Rate(k) * days) + curve.Weight(k) * newUsers;
            }
            app.MonthNewUsers += newUsers;
            var mau = app.MonthStartStock + app.MonthNewUsers;
            var wau = WeeklyActives(app, startStock, newUsers);
            sumMau += mau;
            sumWau += wau;
            sumNewMonth += app.MonthNewUsers;
            (maxMau, maxWau, maxNewMonth) = (Math.Max(maxMau, mau), Math.Max(maxWau, wau), Math.Max(maxNewMonth, app.MonthNewUsers));
            flows[i] = new AppFlow(newUsers, app.MonthNewUsers, app.Active, mau, wau);
            activeAfter += flows[i].Active;
        }
        ReturnLapsedUsers(market, state, activeBefore, activeAfter, newAdopters);

        var outcomes = ImmutableArray.CreateBuilder<AppOutcome>(apps.Length);
        for (var i = 0; i < apps.Length; i++)
        {
            var flow = flows[i];
            outcomes.Add(new AppOutcome
            {
                App = apps[i].App,
                Company = apps[i].Company,
                NewUsers = flow.NewUsers,
                NewUsersMonth = flow.NewUsersMonth,
                Active = flow.Active,
                Mau = flow.Mau,
                Wau = market.Reports == ActiveWindow.Week ? flow.Wau : double.NaN,
                Share = sumMau > 0 ? flow.Mau / sumMau : 0,
                AttractionShare = shares[i],
                RetentionD30 = configured[i].RetentionD30,
                RelativeQuality = supplies[i].RelativeQuality,
            });
        }

        return new MarketOutcome
        {
            Market = market.Id,
            Tick = tick.Index,
            Adopters = state.Adopters,
            NewAdopters = newAdopters,
            Mau = Deduplicated(sumMau, maxMau, market.MultiHoming),
            Wau = market.Reports == ActiveWindow.Week ? Deduplicated(sumWau, maxWau, market.MultiHoming) : double.NaN,
            NewUsersMonth = Deduplicated(sumNewMonth, maxNewMonth, market.MultiHoming),
            Apps = outcomes.MoveToImmutable(),
        };
    }

    /// <summary>
    /// Users of a market's apps counted once: the apps' sum over <paramref name="multiHoming"/>, but never
    /// fewer than the largest app's (its users are distinct people; with one app live nobody can multi-home)
    /// and never more than the sum.
    /// </summary>
    public static double Deduplicated(double sum, double largest, double multiHoming) =>
        Math.Min(sum, Math.Max(largest, sum / multiHoming));

    /// <summary>An app's users this tick, before its share of the market is known.</summary>
    private readonly record struct AppFlow(double NewUsers, double NewUsersMonth, double Active, double Mau, double Wau);

    /// <summary>
    /// Lapsed users (those who stopped using every app this tick) go back to the pool Bass draws
    /// newcomers from, in the share <see cref="MarketInfo.LapsedReturn"/>: with 0 the category is a
    /// one-way adoption (classic Bass); with 1 every lapsed user can be won again.
    /// </summary>
    private static void ReturnLapsedUsers(MarketInfo market, MarketState state, double activeBefore, double activeAfter, double newAdopters)
    {
        if (market.LapsedReturn <= 0)
        {
            return;
        }
        var lapsed = Math.Max(0, (activeBefore + market.MultiHoming * newAdopters - activeAfter) / market.MultiHoming);
        state.Adopters = Math.Max(0, state.Adopters - market.LapsedReturn * lapsed);
    }

    /// <summary>
    /// Users active in the last 7 days: those active at the window's start plus the window's newcomers
    /// (churn is permanent, so anyone active at the start was active within the window).
    /// </summary>
    private static double WeeklyActives(AppUsers app, double startStock, double newUsers)
    {
        var window = app.WeekStartStock.Length;
        app.WeekStartStock[app.WeekCursor] = startStock;
        app.WeekNewUsers[app.WeekCursor] = newUsers;
        app.WeekCursor = (app.WeekCursor + 1) % window;
        var oldest = app.WeekStartStock[app.WeekCursor % window];
        var fresh = 0.0;
        foreach (var n in app.WeekNewUsers)
        {
            fresh += n;
        }
        return oldest + fresh;
    }
}
