using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Model.Time;

namespace Simulation.Model.Engine;

/// <summary>
/// The order of a tick, shared by every engine: decide -> resolve offers -> produce quality ->
/// acquire and retain users -> settle cash -> collect. Each phase is a barrier; data flows only
/// from the pipeline to the entities and back, so no entity ever calls another (no cycles). A pipeline
/// serves one run, one tick at a time: it regroups each tick's supplies and outcomes in arrays of its own.
/// </summary>
public sealed class TickPipeline(ScenarioContext context)
{
    private readonly (int Market, int Slot)[][] _appRoute = BuildRoutes(context);
    /// <summary>The supplies by market and the outcomes by company handed to the host: the pipeline's, refilled every tick.</summary>
    private readonly AppSupply[][] _byMarket = [.. context.Info.Markets.Select(m => new AppSupply[context.AppsOf(m.Id).Count])];
    private readonly AppOutcome[][] _byCompany = [.. context.Info.Companies.Select(c => new AppOutcome[c.Apps.Length])];

    public async ValueTask<(TickReport Report, MarketView NextView)> RunAsync(IPhaseHost host, Tick tick, MarketView view)
    {
        var decisions = await host.DecideAsync(tick, view);
        var talent = await host.ResolveAsync(tick, view, decisions);
        var supplies = await host.ProduceAsync(tick, talent);
        var markets = await host.AcquireAsync(tick, ByMarket(supplies));
        var snapshots = await host.SettleAsync(tick, talent, ByCompany(markets));
        return (Report(tick, talent, markets, snapshots), talent.NextView);
    }

    /// <summary>
    /// <see cref="RunAsync"/> for a host whose phases all complete synchronously (the in-process hosts), the same phases in the
    /// same order without an async state machine around them: an in-process tick costs a few microseconds, and a calibration
    /// plays hundreds of thousands of runs of them.
    /// </summary>
    public (TickReport Report, MarketView NextView) Run(IPhaseHost host, Tick tick, MarketView view)
    {
        var decisions = Completed(host.DecideAsync(tick, view));
        var talent = Completed(host.ResolveAsync(tick, view, decisions));
        var supplies = Completed(host.ProduceAsync(tick, talent));
        var markets = Completed(host.AcquireAsync(tick, ByMarket(supplies)));
        var snapshots = Completed(host.SettleAsync(tick, talent, ByCompany(markets)));
        return (Report(tick, talent, markets, snapshots), talent.NextView);
    }

    private static T Completed<T>(ValueTask<T> phase) => phase.IsCompletedSuccessfully ? phase.Result : phase.AsTask().GetAwaiter().GetResult();

    private static TickReport Report(Tick tick, TalentOutcome talent, MarketOutcome[] markets, CompanySnapshot[] snapshots) => new()
    {
        Tick = tick.Index,
        // Each host hands over arrays made for this tick: they become the report's as they are.
        Companies = ImmutableCollectionsMarshal.AsImmutableArray(snapshots),
        Markets = ImmutableCollectionsMarshal.AsImmutableArray(markets),
        Events = talent.Events,
        Labour = talent.Labour,
    };

    /// <summary>
    /// Plays the ticks from <paramref name="from"/> up to <paramref name="end"/> (exclusive), at most <paramref name="ticks"/>
    /// of them, on a host whose phases all complete synchronously: their reports, and the view after the last.
    /// </summary>
    public (IReadOnlyList<TickReport> Reports, MarketView View) Run(IPhaseHost host, int from, int end, int ticks, MarketView view)
    {
        var reports = new List<TickReport>(Math.Clamp(Math.Min(ticks, end - from), 0, int.MaxValue));
        for (var t = from; t < end && reports.Count < ticks; t++)
        {
            (var report, view) = Run(host, context.Calendar[t], view);
            reports.Add(report);
        }
        return (reports, view);
    }

    /// <summary>The supplies regrouped by market, in the pipeline's arrays (every slot is written each tick).</summary>
    private AppSupply[][] ByMarket(AppSupply[][] byCompany)
    {
        for (var c = 0; c < byCompany.Length; c++)
        {
            for (var a = 0; a < byCompany[c].Length; a++)
            {
                var (market, slot) = _appRoute[c][a];
                _byMarket[market][slot] = byCompany[c][a];
            }
        }
        return _byMarket;
    }

    /// <summary>The apps' outcomes regrouped by company, in the pipeline's arrays (every slot is written each tick).</summary>
    private AppOutcome[][] ByCompany(MarketOutcome[] markets)
    {
        for (var c = 0; c < _appRoute.Length; c++)
        {
            var routes = _appRoute[c];
            for (var a = 0; a < routes.Length; a++)
            {
                _byCompany[c][a] = markets[routes[a].Market].Apps[routes[a].Slot];
            }
        }
        return _byCompany;
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
