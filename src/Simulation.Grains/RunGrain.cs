using System.Collections.Immutable;
using Simulation.Contracts;
using Simulation.Grains.State;
using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Model.Time;

namespace Simulation.Grains;

/// <summary>
/// The scheduler of one run. It drives <see cref="TickPipeline"/> with a host whose phases are
/// awaited fan-outs to the run's grains; only the scheduler calls other grains, so no phase has a cycle.
/// </summary>
public sealed class RunGrain(
    [PersistentState("run", StorageNames.Simulation)] IPersistentState<RunGrainState> store) : Grain, IRunGrain, IPhaseHost
{
    private ScenarioContext? _context;
    private TickPipeline? _pipeline;

    private RunGrainState S => store.State;

    private string RunId => this.GetPrimaryKeyString();

    private ScenarioContext Context => _context ?? throw RunSetups.NotStarted(RunId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _context = S.Started ? await RunSetups.LoadAsync(GrainFactory, RunId) : null;

    private TickPipeline Pipeline => _pipeline ??= new TickPipeline(Context);

    async Task IRunGrain.Start(ScenarioInfo scenario, ulong seed)
    {
        await Setup.Store(scenario, seed); // refuses another scenario or seed for this run
        if (S.Started)
        {
            return;
        }
        _context = new ScenarioContext(scenario, seed);
        await Task.WhenAll(scenario.Companies.Select(c => Company(c.Id).Initialize(c.Id)));
        await Task.WhenAll(scenario.Markets.Select(m => Market(m.Id).Initialize(m.Id)));
        await Talent.Initialize();
        S.View = await Talent.View();
        S.NextTick = 0;
        S.Started = true;
        await store.WriteStateAsync();
    }

    async Task<RunProgress> IRunGrain.Advance(int ticks)
    {
        var reports = ImmutableArray.CreateBuilder<TickReport>();
        var calendar = Context.Calendar;
        for (var i = 0; i < ticks && S.NextTick < calendar.Count; i++)
        {
            var (report, next) = await Pipeline.RunAsync(this, calendar[S.NextTick], S.View!);
            reports.Add(report);
            S.View = next;
            S.NextTick++;
        }
        await Checkpoint();
        return new RunProgress { NextTick = S.NextTick, TickCount = calendar.Count, Reports = reports.ToImmutable() };
    }

    Task<RunProgress> IRunGrain.Status() =>
        Task.FromResult(new RunProgress { NextTick = S.NextTick, TickCount = S.Started ? Context.Calendar.Count : 0 });

    async ValueTask<CompanyDecision[]> IPhaseHost.DecideAsync(Tick tick, MarketView view) =>
        await Task.WhenAll(Context.Info.Companies.Select(c => Company(c.Id).Decide(tick.Index, view)));

    async ValueTask<TalentOutcome> IPhaseHost.ResolveAsync(Tick tick, CompanyDecision[] decisions) =>
        await Talent.Resolve(tick.Index, [.. decisions]);

    async ValueTask<AppSupply[][]> IPhaseHost.ProduceAsync(Tick tick, TalentOutcome talent)
    {
        var supplies = await Task.WhenAll(Context.Info.Companies.Select((c, i) => Company(c.Id).Produce(tick.Index, talent.Companies[i])));
        return [.. supplies.Select(s => s.ToArray())];
    }

    async ValueTask<MarketOutcome[]> IPhaseHost.AcquireAsync(Tick tick, AppSupply[][] suppliesByMarket) =>
        await Task.WhenAll(Context.Info.Markets.Select((m, i) => Market(m.Id).Acquire(tick.Index, [.. suppliesByMarket[i]])));

    async ValueTask<CompanySnapshot[]> IPhaseHost.SettleAsync(Tick tick, TalentOutcome talent, AppOutcome[][] outcomesByCompany) =>
        await Task.WhenAll(Context.Info.Companies.Select((c, i) => Company(c.Id).Settle(tick.Index, talent.Companies[i], [.. outcomesByCompany[i]])));

    private async Task Checkpoint()
    {
        await Task.WhenAll(Context.Info.Companies.Select(c => Company(c.Id).Checkpoint()));
        await Task.WhenAll(Context.Info.Markets.Select(m => Market(m.Id).Checkpoint()));
        await Talent.Checkpoint();
        await store.WriteStateAsync();
    }

    private ICompanyGrain Company(string id) => GrainFactory.GetGrain<ICompanyGrain>(GrainKeys.Company(RunId, id));

    private IMarketGrain Market(string id) => GrainFactory.GetGrain<IMarketGrain>(GrainKeys.Market(RunId, id));

    private IScenarioGrain Setup => GrainFactory.GetGrain<IScenarioGrain>(GrainKeys.Scenario(RunId));

    private ITalentMarketGrain Talent => GrainFactory.GetGrain<ITalentMarketGrain>(GrainKeys.Talent(RunId));
}
