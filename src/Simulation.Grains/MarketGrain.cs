using System.Collections.Immutable;
using Simulation.Contracts;
using Simulation.Grains.State;
using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.Rules;

namespace Simulation.Grains;

public sealed class MarketGrain(
    [PersistentState("market", StorageNames.Simulation)] IPersistentState<MarketGrainState> store) : Grain, IMarketGrain
{
    private ScenarioContext? _context;

    private MarketGrainState S => store.State;

    private ScenarioContext Context => _context ?? throw RunSetups.NotStarted(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _context = await RunSetups.LoadAsync(GrainFactory, this.GetPrimaryKeyString());

    async Task IMarketGrain.Initialize(string market)
    {
        _context ??= await RunSetups.LoadAsync(GrainFactory, this.GetPrimaryKeyString());
        S.Market ??= MarketRules.Create(Context.Info, Context.Info.Market(market));
    }

    Task<MarketOutcome> IMarketGrain.Acquire(int tick, ImmutableArray<AppSupply> supplies)
    {
        if (!PhaseOrder.AlreadyDone("acquire", S.AcquiredTick, tick))
        {
            var info = Context.Market(S.Market!.Id);
            S.Outcome = MarketRules.Acquire(info, S.Market, Context, Context.Calendar[tick], supplies);
            S.AcquiredTick = tick;
        }
        return Task.FromResult(S.Outcome!);
    }

    Task IMarketGrain.Checkpoint() => store.WriteStateAsync();
}
