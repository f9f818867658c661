using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Orleans.Concurrency;
using Simulation.Contracts;
using Simulation.Contracts.Wire;
using Simulation.Grains.State;
using Simulation.Model.Engine;
using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Model.State;
using Simulation.Model.Time;

namespace Simulation.Grains;

/// <summary>
/// The scheduler of one run. It drives <see cref="TickPipeline"/> with a host whose company phases are awaited
/// fan-outs to the run's company grains, two per tick: <c>Produce</c>, then <c>Settle</c>, which also takes the
/// next tick's decisions (the first tick's come with <c>Begin</c>, at the start). The job market and the user
/// markets need every company's input and serve the run as a whole: they are played here, between the two
/// fan-outs, with the same rules as the reference runner. Only the scheduler calls other grains, so no phase has a
/// cycle.
/// </summary>
/// <remarks>
/// Checkpoints: at the end of each slice (<see cref="IRunGrain.Advance"/>) the last <c>Settle</c> fan-out has every
/// company write its start of the next tick, then the scheduler writes its own (<see cref="RunCheckpoint"/>), keeping
/// the slice's start until its caller has the slice's reports. A failure anywhere in a slice (a company that lost its
/// activation, a failed call, a storage error) makes the scheduler play the slice again from its start; the companies
/// return to the same checkpoint when asked for its tick. A scheduler that lost its own activation resumes from its
/// stored checkpoints when its caller asks again. The rules are deterministic: a slice played again gives the same bytes.
/// </remarks>
public sealed class RunGrain(
    [PersistentState("run", StorageNames.Simulation)] IPersistentState<RunGrainState> store) : Grain, IRunGrain, IPhaseHost
{
    /// <summary>Times a slice is played again from the last checkpoint before its failure is passed on.</summary>
    public const int Replays = 3;

    private RunSetups.Lease? _setup;
    private TickPipeline? _pipeline;
    private ICompanyGrain[]? _companies;
    // Per-tick working arrays, kept from tick to tick: a fan-out allocates only what it hands on.
    private Task<Immutable<ImmutableArray<AppSupply>>>[]? _produced;
    private AppSupply[][]? _supplies;
    private Task<Settlement>[]? _settled;
    /// <summary>For the tick being played: the checkpoint the companies keep when they write the next (-1: none is written).</summary>
    private int _committed = -1;
    private RunCalls _calls;

    // The live run: the next tick, the roster and decisions for it, the job market and the user markets.
    private int _tick = -1;
    private MarketView? _view;
    /// <summary>The roster the companies decide on while the fan-out that asks them to is out (<see cref="IRunGrain.View"/>).</summary>
    private MarketView? _shared;
    /// <summary>The last roster changes sent to another silo (every silo that asks for a tick asks from the same tick before).</summary>
    private RosterChanges? _sharedChanges;
    private ImmutableArray<CompanyDecision> _decisions = [];
    private TalentState? _talent;
    private MarketState[] _markets = [];

    private RunGrainState S => store.State;

    private string RunId => this.GetPrimaryKeyString();

    private ScenarioContext Context => _setup?.Context ?? throw RunSetups.NotStarted(RunId);

    private TickPipeline Pipeline => _pipeline ??= new TickPipeline(Context);

    /// <summary>The company grains in scenario order (references made once, not per call).</summary>
    private ICompanyGrain[] Companies => _companies ??=
        [.. Context.Info.Companies.Select(c => GrainFactory.GetGrain<ICompanyGrain>(GrainKeys.Company(RunId, c.Id)))];

    private static long s_active;
    private static long s_ticks;

    /// <summary>Schedulers active in this process (what <c>sim silo</c> reports: which silo holds a run).</summary>
    public static long Active => Interlocked.Read(ref s_active);

    /// <summary>Ticks the schedulers of this process have played, replays included.</summary>
    public static long TicksPlayed => Interlocked.Read(ref s_ticks);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _setup = S.Started ? await RunSetups.AcquireAsync(GrainFactory, RunId) : null;
        Interlocked.Increment(ref s_active);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _setup?.Dispose();
        _setup = null;
        Interlocked.Decrement(ref s_active);
        return Task.CompletedTask;
    }

    async Task IRunGrain.Start(Simulation.Model.Config.ScenarioInfo scenario, ulong seed)
    {
        await Setup.Store(scenario, seed); // refuses another scenario or seed for this run
        if (S.Started)
        {
            return;
        }
        _setup ??= await RunSetups.AcquireAsync(GrainFactory, RunId);
        var info = Context.Info;
        var talent = TalentRules.Create(Context);
        var view = TalentRules.View(Context, talent, 0);
        var companies = Companies;
        var begun = new Task<CompanyDecision>[companies.Length];
        _shared = view;
        try
        {
            for (var i = 0; i < companies.Length; i++)
            {
                begun[i] = companies[i].Begin(info.Companies[i].Id, null);
            }
            _decisions = ImmutableCollectionsMarshal.AsImmutableArray(await Task.WhenAll(begun));
        }
        finally
        {
            _shared = null;
        }
        _talent = talent;
        _markets = [.. info.Markets.Select(m => MarketRules.Create(info, m))];
        _view = view;
        _tick = 0;
        S.Latest = Checkpoint();
        S.Previous = null;
        S.Started = true;
        await store.WriteStateAsync();
    }

    async Task<RunProgress> IRunGrain.Advance(int fromTick, int ticks)
    {
        var calendar = Context.Calendar;
        var start = S.Latest?.Tick == fromTick ? S.Latest
            : S.Previous?.Tick == fromTick ? S.Previous // the caller lost the last answer: the slice is played again
            : throw new InvalidOperationException(
                $"run {RunId}: reports from tick {fromTick} asked for, but the run keeps its checkpoints of ticks {S.Previous?.Tick.ToString() ?? "-"} and {S.Latest?.Tick.ToString() ?? "-"}");
        if (_tick != fromTick || _talent is null || ReferenceEquals(start, S.Previous))
        {
            Restore(start);
        }
        var stop = Math.Min(calendar.Count, fromTick + Math.Max(0, ticks));
        var reports = ImmutableArray.CreateBuilder<TickReport>(stop - fromTick);
        _calls = default;
        try
        {
            for (var replay = 0; ; replay++)
            {
                try
                {
                    while (_tick < stop)
                    {
                        // The slice's last tick writes the companies' checkpoints, keeping the ones this slice started from.
                        _committed = _tick + 1 == stop ? fromTick : -1;
                        var (report, next) = await Pipeline.RunAsync(this, calendar[_tick], _view!);
                        _view = next;
                        _tick++;
                        Interlocked.Increment(ref s_ticks);
                        reports.Add(report);
                    }
                    if (stop > fromTick)
                    {
                        S.Previous = start;
                        S.Latest = Checkpoint();
                        await store.WriteStateAsync();
                    }
                    break;
                }
                catch (Exception) when (replay < Replays)
                {
                    // Back to the slice's start: this activation's markets may be part-way through a tick.
                    Restore(start);
                    reports.Clear();
                }
            }
        }
        catch
        {
            // Whatever this activation holds may be part-way through a tick: the next call reads the stored checkpoints.
            _talent = null;
            DeactivateOnIdle();
            throw;
        }
        // Ticks as delivered; fan-outs and calls as made, those of slices played again included.
        return new RunProgress { NextTick = _tick, TickCount = calendar.Count, Reports = reports.DrainToImmutable(), Calls = _calls with { Ticks = stop - fromTick }, Silo = GrainContext.Address.SiloAddress };
    }

    /// <summary>
    /// The live run at the start of the tick after the last one played: the job market in its binary form
    /// (<see cref="TalentStateCodec"/>), the user markets as model JSON; not the roster, which the job market's state makes.
    /// </summary>
    private RunCheckpoint Checkpoint() => new()
    {
        Tick = _tick,
        Decisions = _decisions,
        Talent = TalentStateCodec.Write(_talent!),
        Markets = ModelJson.Serialize(_markets),
    };

    /// <summary>The run as a checkpoint left it; the roster made again from the job market's state (what the live run held).</summary>
    private void Restore(RunCheckpoint checkpoint)
    {
        _tick = checkpoint.Tick;
        _decisions = checkpoint.Decisions;
        _talent = TalentStateCodec.Read(checkpoint.Talent);
        _view = TalentRules.View(Context, _talent, _tick);
        _markets = ModelJson.Deserialize<MarketState[]>(checkpoint.Markets);
    }

    Task<RosterChanges> IRunGrain.View(int tick, int since, SiloAddress asker)
    {
        if (_shared is not { } view || view.Tick != tick)
        {
            throw new InvalidOperationException(
                $"run {RunId}: the roster of tick {tick} asked for, but the scheduler shares {(_shared is null ? "none" : $"tick {_shared.Tick}'s")} now");
        }
        // Another silo holding the roster the companies decided the tick before on (the scheduler's own) is sent the
        // changes from it, made once a tick; this silo's grains are handed the roster itself (a call here copies nothing).
        if (since < 0 || asker == GrainContext.Address.SiloAddress || _view is not { } basis || basis.Tick != since)
        {
            return Task.FromResult(RosterChanges.Between(null, view));
        }
        if (_sharedChanges is not { } changes || !ReferenceEquals(changes.Made, view) || changes.Since != since)
        {
            _sharedChanges = changes = RosterChanges.Between(basis, view);
        }
        return Task.FromResult(changes);
    }

    Task<RunProgress> IRunGrain.Status() =>
        Task.FromResult(new RunProgress { NextTick = S.Latest?.Tick ?? 0, TickCount = S.Started ? Context.Calendar.Count : 0 });

    /// <summary>The decisions the companies took at the end of the tick before (or at the start): no call.</summary>
    ValueTask<CompanyDecision[]> IPhaseHost.DecideAsync(Tick tick, MarketView view)
    {
        PhaseOrder.Require(_decisions.Length == Companies.Length && (_decisions.IsEmpty || _decisions[0].Tick == tick.Index),
            RunId, "decide", tick.Index, $"holding {_decisions.Length} decisions for tick {(_decisions.IsEmpty ? -1 : _decisions[0].Tick)}");
        return ValueTask.FromResult(ImmutableCollectionsMarshal.AsArray(_decisions)!);
    }

    /// <summary>The job market, played here on the decisions of every company.</summary>
    ValueTask<TalentOutcome> IPhaseHost.ResolveAsync(Tick tick, MarketView view, CompanyDecision[] decisions) =>
        ValueTask.FromResult(TalentRules.Resolve(Context, _talent!, tick, decisions, view));

    /// <summary>Fan-out 1: every company applies its talent outcome and produces.</summary>
    async ValueTask<AppSupply[][]> IPhaseHost.ProduceAsync(Tick tick, TalentOutcome talent)
    {
        var companies = Companies;
        var calls = _produced ??= new Task<Immutable<ImmutableArray<AppSupply>>>[companies.Length];
        for (var i = 0; i < companies.Length; i++)
        {
            calls[i] = companies[i].Produce(tick.Index, talent.Companies[i]);
        }
        await Task.WhenAll(calls);
        Counted(companies.Length);
        // The pipeline regroups the supplies into arrays of its own: these are read, not kept.
        var supplies = _supplies ??= new AppSupply[companies.Length][];
        for (var i = 0; i < companies.Length; i++)
        {
            supplies[i] = ImmutableCollectionsMarshal.AsArray(calls[i].Result.Value)!;
            calls[i] = null!;
        }
        return supplies;
    }

    /// <summary>The user markets, played here on every company's supplies.</summary>
    ValueTask<MarketOutcome[]> IPhaseHost.AcquireAsync(Tick tick, AppSupply[][] suppliesByMarket)
    {
        var infos = Context.Info.Markets;
        var result = new MarketOutcome[infos.Length];
        for (var i = 0; i < infos.Length; i++)
        {
            result[i] = MarketRules.Acquire(infos[i], _markets[i], Context, tick, suppliesByMarket[i]);
        }
        return ValueTask.FromResult(result);
    }

    /// <summary>Fan-out 2: every company settles the tick and decides the next one (on the job market's new roster).</summary>
    async ValueTask<CompanySnapshot[]> IPhaseHost.SettleAsync(Tick tick, TalentOutcome talent, AppOutcome[][] outcomesByCompany)
    {
        var companies = Companies;
        var next = tick.Index + 1 < Context.Calendar.Count ? talent.NextView : null;
        var calls = _settled ??= new Task<Settlement>[companies.Length];
        _shared = next;
        try
        {
            for (var i = 0; i < companies.Length; i++)
            {
                // The pipeline's array, refilled next tick: the call is awaited before then and the company does not keep it.
                calls[i] = companies[i].Settle(tick.Index, talent.Companies[i], ImmutableCollectionsMarshal.AsImmutableArray(outcomesByCompany[i]).AsImmutable(), next is not null, _committed);
            }
            await Task.WhenAll(calls);
        }
        finally
        {
            _shared = null;
        }
        Counted(companies.Length);
        var snapshots = new CompanySnapshot[companies.Length];
        var decisions = next is null ? null : new CompanyDecision[companies.Length];
        for (var i = 0; i < companies.Length; i++)
        {
            var settled = calls[i].Result;
            calls[i] = null!;
            snapshots[i] = settled.Snapshot;
            if (decisions is not null)
            {
                decisions[i] = settled.Next ?? throw new InvalidOperationException($"{GrainKeys.Company(RunId, Context.Info.Companies[i].Id)} settled tick {tick.Index} without deciding the next");
            }
        }
        _decisions = decisions is null ? [] : ImmutableCollectionsMarshal.AsImmutableArray(decisions);
        return snapshots;
    }

    private void Counted(int calls) => _calls = _calls with { FanOuts = _calls.FanOuts + 1, CompanyCalls = _calls.CompanyCalls + calls };

    private IScenarioGrain Setup => GrainFactory.GetGrain<IScenarioGrain>(GrainKeys.Scenario(RunId));
}
