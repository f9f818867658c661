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

    private ScenarioContext Context => _context ??= new ScenarioContext(
        S.Scenario ?? throw new InvalidOperationException($"market grain {this.GetPrimaryKeyString()} is not initialised"), S.Seed);

    Task IMarketGrain.Initialize(ScenarioInfo scenario, ulong seed, string market)
    {
        if (S.Scenario is null)
        {
            S.Scenario = scenario;
            S.Seed = seed;
            S.Market = MarketRules.Create(scenario, scenario.Market(market));
        }
        return Task.CompletedTask;
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
