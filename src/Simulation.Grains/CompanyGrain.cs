using System.Collections.Immutable;
using Orleans.Concurrency;
using Simulation.Contracts;
using Simulation.Contracts.Wire;
using Simulation.Grains.State;
using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Model.State;

namespace Simulation.Grains;

/// <summary>
/// One company: its rules run here, on its own state, two calls a tick (<see cref="ICompanyGrain.Produce"/>,
/// <see cref="ICompanyGrain.Settle"/>). The live state is in memory; checkpoints (the company at the start of a
/// tick) are written when the scheduler asks, at the end of its slices. A grain that lost its activation, or a
/// scheduler that resumes from its last checkpoint, starts again from the checkpoint of the tick it is asked for:
/// the rules are deterministic, so the ticks played again give the same bytes.
/// </summary>
public sealed class CompanyGrain(
    [PersistentState("company", StorageNames.Simulation)] IPersistentState<CompanyGrainState> store) : Grain, ICompanyGrain
{
    private RunSetups.Lease? _setup;
    private CompanyInfo? _info;

    // The live company: its state, the phases it has played and what they returned (a repeated call returns it again).
    private CompanyState? _state;
    private CompanyDecision? _decision;
    private int _decided = -1;
    private int _produced = -1;
    private int _settled = -1;
    private ImmutableArray<AppSupply> _supplies = [];
    private CompanySnapshot? _snapshot;

    private CompanyGrainState S => store.State;

    private string Key => this.GetPrimaryKeyString();

    private RunSetups.Lease Setup => _setup ?? throw RunSetups.NotStarted(Key);

    private ScenarioContext Context => Setup.Context;

    private CompanyInfo Info => _info ??= Context.Company(S.Company!);

    private static long s_active;

    /// <summary>Company grains active in this process (what <c>sim silo</c> reports).</summary>
    public static long Active => Interlocked.Read(ref s_active);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _setup = await RunSetups.AcquireAsync(GrainFactory, Key);
        Interlocked.Increment(ref s_active);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _setup?.Dispose();
        _setup = null;
        Interlocked.Decrement(ref s_active);
        return Task.CompletedTask;
    }

    async Task<CompanyDecision> ICompanyGrain.Begin(string company, MarketView? view)
    {
        _setup ??= await RunSetups.AcquireAsync(GrainFactory, Key);
        if (S.Company is null)
        {
            view ??= await Setup.View(GrainFactory, 0, GrainContext.Address.SiloAddress!);
            S.Company = company;
            _state = CompanyRules.Create(Context, Info);
            Decide(0, view);
            S.Checkpoints = [Checkpoint()];
            await store.WriteStateAsync();
        }
        else if (_decided != 0 || _produced >= 0)
        {
            Restore(0);
        }
        return _decision!;
    }

    Task<Immutable<ImmutableArray<AppSupply>>> ICompanyGrain.Produce(int tick, CompanyTalent talent)
    {
        if (_produced != tick)
        {
            if (_decided != tick || _produced != tick - 1)
            {
                Restore(tick);
            }
            _supplies = CompanyRules.Produce(Context, Info, _state!, Context.Calendar[tick], _decision!, talent);
            _produced = tick;
        }
        return Task.FromResult(_supplies.AsImmutable());
    }

    async Task<Settlement> ICompanyGrain.Settle(int tick, CompanyTalent talent, Immutable<ImmutableArray<AppOutcome>> apps, bool decideNext, int committed)
    {
        if (_settled != tick)
        {
            PhaseOrder.Require(_produced == tick && _settled == tick - 1, Key, "settle", tick,
                _state is null ? "it has no live state (a new activation: the scheduler resumes from its checkpoint)" : $"produced tick {_produced}, settled tick {_settled}");
            // Fetched before anything changes: a fetch that fails leaves the tick to be settled again.
            var next = decideNext ? await Setup.View(GrainFactory, tick + 1, GrainContext.Address.SiloAddress!) : null;
            _snapshot = CompanyRules.Settle(Context, Info, _state!, Context.Calendar[tick], _decision!, talent, apps.Value);
            _settled = tick;
            if (next is not null)
            {
                Decide(tick + 1, next);
            }
        }
        if (committed >= 0 && !HasCheckpoint(tick + 1))
        {
            var kept = S.Checkpoints.Where(c => c.Tick == committed);
            S.Checkpoints = [.. kept, Checkpoint()];
            await store.WriteStateAsync();
        }
        return new Settlement { Snapshot = _snapshot!, Next = _decided == tick + 1 ? _decision : null };
    }

    private void Decide(int tick, MarketView view)
    {
        var t = Context.Calendar[tick];
        CompanyRules.ApplyEvents(Context, Info, _state!, t);
        _decision = CompanyRules.Decide(Context, Info, _state!, t, view);
        _decided = tick;
    }

    /// <summary>The live company at the start of the tick after its last settled one.</summary>
    private CompanyCheckpoint Checkpoint()
    {
        var tick = _settled + 1;
        return new CompanyCheckpoint { Tick = tick, State = ModelJson.Serialize(_state!), Decision = _decided == tick ? _decision : null };
    }

    private bool HasCheckpoint(int tick)
    {
        foreach (var c in S.Checkpoints)
        {
            if (c.Tick == tick)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Makes the checkpoint of <paramref name="tick"/> the live company; throws when there is none.</summary>
    private void Restore(int tick)
    {
        var checkpoint = S.Checkpoints.FirstOrDefault(c => c.Tick == tick);
        PhaseOrder.Require(checkpoint is not null, Key, "a phase", tick,
            $"it is at decided tick {_decided}, produced tick {_produced} and keeps checkpoints of ticks [{string.Join(", ", S.Checkpoints.Select(c => c.Tick))}]");
        _state = ModelJson.Deserialize<CompanyState>(checkpoint!.State);
        _decision = checkpoint.Decision;
        _decided = checkpoint.Decision is null ? tick - 1 : tick;
        _produced = _settled = tick - 1;
        _supplies = [];
        _snapshot = null;
    }
}
