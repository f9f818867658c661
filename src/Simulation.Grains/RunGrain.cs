using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Orleans.Concurrency;
using Simulation.Contracts;
using Simulation.Grains.State;
using Simulation.Model.Engine;
using Simulation.Model.Phases;
using Simulation.Model.Rules;
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
/// company write its start of the next tick, then the scheduler writes its own state: that write commits the
/// checkpoint. A failure anywhere in a slice (a company that lost its activation, a call that failed, a storage
/// error) makes the scheduler read its last checkpoint back and play the slice again from it; the companies return
/// to the same checkpoint when asked for its tick. A scheduler that lost its own activation resumes from the same
/// place when its caller asks again. Storage that keeps nothing (<c>TransientGrainStorage</c>) makes a failure final.
/// </remarks>
public sealed class RunGrain(
    [PersistentState("run", StorageNames.Simulation)] IPersistentState<RunGrainState> store) : Grain, IRunGrain, IPhaseHost
{
    /// <summary>Times a slice is played again from the last checkpoint before its failure is passed on.</summary>
    public const int Replays = 3;

    private ScenarioContext? _context;
    private TickPipeline? _pipeline;
    private ICompanyGrain[]? _companies;
    // Per-tick working arrays, kept from tick to tick: a fan-out allocates only what it hands on.
    private Task<Immutable<ImmutableArray<AppSupply>>>[]? _produced;
    private AppSupply[][]? _supplies;
    private Task<Settlement>[]? _settled;
    /// <summary>For the tick being played: the checkpoint the companies keep when they write the next (-1: none is written).</summary>
    private int _committed = -1;
    private RunCalls _calls;

    private RunGrainState S => store.State;

    private string RunId => this.GetPrimaryKeyString();

    private ScenarioContext Context => _context ?? throw RunSetups.NotStarted(RunId);

    private TickPipeline Pipeline => _pipeline ??= new TickPipeline(Context);

    /// <summary>The company grains in scenario order (references made once, not per call).</summary>
    private ICompanyGrain[] Companies => _companies ??=
        [.. Context.Info.Companies.Select(c => GrainFactory.GetGrain<ICompanyGrain>(GrainKeys.Company(RunId, c.Id)))];

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _context = S.Started ? await RunSetups.LoadAsync(GrainFactory, RunId) : null;

    async Task IRunGrain.Start(Simulation.Model.Config.ScenarioInfo scenario, ulong seed)
    {
        await Setup.Store(scenario, seed); // refuses another scenario or seed for this run
        if (S.Started)
        {
            return;
        }
        _context = await RunSetups.LoadAsync(GrainFactory, RunId);
        var info = Context.Info;
        var talent = TalentRules.Create(Context);
        var view = TalentRules.View(Context, talent, 0);
        var companies = Companies;
        var begun = new Task<CompanyDecision>[companies.Length];
        for (var i = 0; i < companies.Length; i++)
        {
            begun[i] = companies[i].Begin(info.Companies[i].Id, view);
        }
        S.Decisions = ImmutableCollectionsMarshal.AsImmutableArray(await Task.WhenAll(begun));
        S.Talent = talent;
        S.Markets = [.. info.Markets.Select(m => MarketRules.Create(info, m))];
        S.View = view;
        S.NextTick = 0;
        S.LastReports = [];
        S.Started = true;
        await store.WriteStateAsync();
    }

    async Task<RunProgress> IRunGrain.Advance(int fromTick, int ticks)
    {
        var calendar = Context.Calendar;
        if (fromTick != S.NextTick)
        {
            return Resend(fromTick);
        }
        var stop = Math.Min(calendar.Count, fromTick + Math.Max(0, ticks));
        var reports = ImmutableArray.CreateBuilder<TickReport>(stop - fromTick);
        var played = ImmutableArray<TickReport>.Empty;
        _calls = default;
        try
        {
            for (var replay = 0; ; replay++)
            {
                try
                {
                    while (S.NextTick < stop)
                    {
                        // The slice's last tick writes the checkpoint, keeping the one this slice started from.
                        _committed = S.NextTick + 1 == stop ? fromTick : -1;
                        var (report, next) = await Pipeline.RunAsync(this, calendar[S.NextTick], S.View!);
                        S.View = next;
                        S.NextTick++;
                        reports.Add(report);
                    }
                    if (reports.Count > 0)
                    {
                        S.LastReports = played = reports.DrainToImmutable();
                        await store.WriteStateAsync();
                    }
                    break;
                }
                catch (Exception e) when (replay < Replays && e is not RunStateLostException)
                {
                    // Back to the last checkpoint: this activation's markets may be part-way through a tick.
                    await store.ReadStateAsync();
                    if (!store.RecordExists || !S.Started || S.NextTick != fromTick)
                    {
                        throw new RunStateLostException($"run {RunId} failed in the slice from tick {fromTick} and its storage has no checkpoint of that tick to play it again from", e);
                    }
                    reports.Clear();
                }
            }
        }
        catch
        {
            // Whatever this activation holds may be part-way through a tick: the next call reads the last checkpoint.
            DeactivateOnIdle();
            throw;
        }
        // Ticks as delivered; fan-outs and calls as made, those of slices played again included.
        return new RunProgress { NextTick = S.NextTick, TickCount = calendar.Count, Reports = played, Calls = _calls with { Ticks = played.Length } };
    }

    /// <summary>The reports of the last slice from <paramref name="fromTick"/> on, for a caller whose answer was lost.</summary>
    private RunProgress Resend(int fromTick)
    {
        var lastFrom = S.NextTick - S.LastReports.Length;
        if (fromTick < lastFrom || fromTick > S.NextTick)
        {
            throw new InvalidOperationException(
                $"run {RunId}: reports from tick {fromTick} asked for, but the run is at tick {S.NextTick} and keeps the reports from tick {lastFrom} on");
        }
        return new RunProgress { NextTick = S.NextTick, TickCount = Context.Calendar.Count, Reports = S.LastReports[(fromTick - lastFrom)..] };
    }

    Task<RunProgress> IRunGrain.Status() =>
        Task.FromResult(new RunProgress { NextTick = S.NextTick, TickCount = S.Started ? Context.Calendar.Count : 0 });

    /// <summary>The decisions the companies took at the end of the tick before (or at the start): no call.</summary>
    ValueTask<CompanyDecision[]> IPhaseHost.DecideAsync(Tick tick, MarketView view)
    {
        PhaseOrder.Require(S.Decisions.Length == Companies.Length && (S.Decisions.IsEmpty || S.Decisions[0].Tick == tick.Index),
            RunId, "decide", tick.Index, $"holding {S.Decisions.Length} decisions for tick {(S.Decisions.IsEmpty ? -1 : S.Decisions[0].Tick)}");
        return ValueTask.FromResult(ImmutableCollectionsMarshal.AsArray(S.Decisions)!);
    }

    /// <summary>The job market, played here on the decisions of every company.</summary>
    ValueTask<TalentOutcome> IPhaseHost.ResolveAsync(Tick tick, CompanyDecision[] decisions) =>
        ValueTask.FromResult(TalentRules.Resolve(Context, S.Talent!, tick, decisions, S.View));

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
            result[i] = MarketRules.Acquire(infos[i], S.Markets[i], Context, tick, suppliesByMarket[i]);
        }
        return ValueTask.FromResult(result);
    }

    /// <summary>Fan-out 2: every company settles the tick and decides the next one (on the job market's new roster).</summary>
    async ValueTask<CompanySnapshot[]> IPhaseHost.SettleAsync(Tick tick, TalentOutcome talent, AppOutcome[][] outcomesByCompany)
    {
        var companies = Companies;
        var next = tick.Index + 1 < Context.Calendar.Count ? talent.NextView : null;
        var calls = _settled ??= new Task<Settlement>[companies.Length];
        for (var i = 0; i < companies.Length; i++)
        {
            // The pipeline's array, refilled next tick: the call is awaited before then and the company does not keep it.
            calls[i] = companies[i].Settle(tick.Index, talent.Companies[i], ImmutableCollectionsMarshal.AsImmutableArray(outcomesByCompany[i]).AsImmutable(), next, _committed);
        }
        await Task.WhenAll(calls);
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
        S.Decisions = decisions is null ? [] : ImmutableCollectionsMarshal.AsImmutableArray(decisions);
        return snapshots;
    }

    private void Counted(int calls) => _calls = _calls with { FanOuts = _calls.FanOuts + 1, CompanyCalls = _calls.CompanyCalls + calls };

    private IScenarioGrain Setup => GrainFactory.GetGrain<IScenarioGrain>(GrainKeys.Scenario(RunId));
}

/// <summary>A run whose storage cannot give back the checkpoint it must resume from: not worth trying again.</summary>
[GenerateSerializer, Alias("sim.run-state-lost")]
public sealed class RunStateLostException : Exception
{
    public RunStateLostException(string message, Exception inner) : base(message, inner)
    {
    }

    public RunStateLostException(string message) : base(message)
    {
    }

    public RunStateLostException()
    {
    }
}
