using System.Collections.Immutable;
using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Model.Time;

namespace Simulation.Model.Engine;

/// <summary>
/// The order of a tick, shared by every engine: decide -> resolve offers -> produce quality ->
/// acquire and retain users -> settle cash -> collect. Each phase is a barrier; data flows only
/// from the pipeline to the entities and back, so no entity ever calls another (no cycles).
/// </summary>
public sealed class TickPipeline(ScenarioContext context)
{
    private readonly (int Market, int Slot)[][] _appRoute = BuildRoutes(context);
    private readonly int[] _marketAppCounts = [.. context.Info.Markets.Select(m => context.AppsOf(m.Id).Count)];

    public async ValueTask<(TickReport Report, MarketView NextView)> RunAsync(IPhaseHost host, Tick tick, MarketView view)
    {
        var decisions = await host.DecideAsync(tick, view);
        var talent = await host.ResolveAsync(tick, decisions);
        var supplies = await host.ProduceAsync(tick, talent);
        var markets = await host.AcquireAsync(tick, ByMarket(supplies));
        var snapshots = await host.SettleAsync(tick, talent, ByCompany(markets));
        var report = new TickReport
        {
            Tick = tick.Index,
            Companies = [.. snapshots],
            Markets = [.. markets],
            Events = talent.Events,
            Labour = talent.Labour,
        };
        return (report, talent.NextView);
    }

    private AppSupply[][] ByMarket(AppSupply[][] byCompany)
    {
        var result = new AppSupply[_marketAppCounts.Length][];
        for (var m = 0; m < result.Length; m++)
        {
            result[m] = new AppSupply[_marketAppCounts[m]];
        }
        for (var c = 0; c < byCompany.Length; c++)
        {
            for (var a = 0; a < byCompany[c].Length; a++)
            {
                var (market, slot) = _appRoute[c][a];
                result[market][slot] = byCompany[c][a];
            }
        }
        return result;
    }

    private AppOutcome[][] ByCompany(MarketOutcome[] markets)
    {
        var result = new AppOutcome[_appRoute.Length][];
        for (var c = 0; c < _appRoute.Length; c++)
        {
            var routes = _appRoute[c];
            result[c] = new AppOutcome[routes.Length];
            for (var a = 0; a < routes.Length; a++)
            {
                result[c][a] = markets[routes[a].Market].Apps[routes[a].Slot];
            }
        }
        return result;
    }

    /// <summary>For each company's apps, the market index and the app's slot within that market.</summary>
    private static (int Market, int Slot)[][] BuildRoutes(ScenarioContext context)
    {
        var markets = context.Info.Markets;
        var slots = new int[markets.Length];
        return
        [
            .. context.Info.Companies.Select(c => c.Apps.Select(a =>
            {
                var m = markets.IndexOf(markets.First(x => x.Id == a.Market));
                return (m, slots[m]++);
            }).ToArray()),
        ];
    }
}
