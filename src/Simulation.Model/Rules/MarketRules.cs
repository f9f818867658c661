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
        if (supplies.Count != apps.Length)
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
            if (s.App != apps[i].App)
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
        var outcomes = new AppOutcome[apps.Length];
        var sumMau = 0.0;
        var sumWau = 0.0;
        var sumNewMonth = 0.0;
        for (var i = 0; i < apps.Length; i++)
        {
            var app = apps[i];
            var curve = context.Retention(app.App);
            var newUsers = market.MultiHoming * newAdopters * shares[i];
            var startStock = app.Active;
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
            outcomes[i] = new AppOutcome
            {
                App = app.App,
                Company = app.Company,
                NewUsers = newUsers,
                NewUsersMonth = app.MonthNewUsers,
                Active = app.Active,
                Mau = mau,
                Wau = market.Reports == ActiveWindow.Week ? wau : double.NaN,
                Share = 0,
                AttractionShare = shares[i],
                RetentionD30 = curve.At(30),
                RelativeQuality = supplies[i].RelativeQuality,
            };
        }
        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = outcomes[i] with { Share = sumMau > 0 ? outcomes[i].Mau / sumMau : 0 };
        }

        return new MarketOutcome
        {
            Market = market.Id,
            Tick = tick.Index,
            Adopters = state.Adopters,
            NewAdopters = newAdopters,
            Mau = sumMau / market.MultiHoming,
            Wau = market.Reports == ActiveWindow.Week ? sumWau / market.MultiHoming : double.NaN,
            NewUsersMonth = sumNewMonth / market.MultiHoming,
            Apps = [.. outcomes],
        };
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
