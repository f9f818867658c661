using System.Collections.Immutable;
using Simulation.Contracts;
using Simulation.Grains.State;
using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.Rules;

namespace Simulation.Grains;

public sealed class TalentMarketGrain(
    [PersistentState("talent", StorageNames.Simulation)] IPersistentState<TalentGrainState> store) : Grain, ITalentMarketGrain
{
    private ScenarioContext? _context;

    private TalentGrainState S => store.State;

    private ScenarioContext Context => _context ??= new ScenarioContext(
        S.Scenario ?? throw new InvalidOperationException($"talent grain {this.GetPrimaryKeyString()} is not initialised"), S.Seed);

    Task ITalentMarketGrain.Initialize(ScenarioInfo scenario, ulong seed)
    {
        if (S.Scenario is null)
        {
            S.Scenario = scenario;
            S.Seed = seed;
            S.Talent = TalentRules.Create(Context);
        }
        return Task.CompletedTask;
    }

    Task<MarketView> ITalentMarketGrain.View() => Task.FromResult(TalentRules.View(Context, S.Talent!, S.ResolvedTick + 1));

    Task<TalentOutcome> ITalentMarketGrain.Resolve(int tick, ImmutableArray<CompanyDecision> decisions)
    {
        if (!PhaseOrder.AlreadyDone("resolve", S.ResolvedTick, tick))
        {
            // The last outcome's next view is the roster the companies decided on this tick.
            S.Outcome = TalentRules.Resolve(Context, S.Talent!, Context.Calendar[tick], decisions, S.Outcome?.NextView);
            S.ResolvedTick = tick;
        }
        return Task.FromResult(S.Outcome!);
    }

    Task ITalentMarketGrain.Checkpoint() => store.WriteStateAsync();
}
