using Simulation.Contracts;
using Simulation.Grains.State;
using Simulation.Model.Config;

namespace Simulation.Grains;

/// <summary>Keeps a run's scenario and seed once; written when stored, never at a checkpoint.</summary>
public sealed class ScenarioGrain(
    [PersistentState("scenario", StorageNames.Simulation)] IPersistentState<ScenarioGrainState> store) : Grain, IScenarioGrain
{
    async Task IScenarioGrain.Store(ScenarioInfo scenario, ulong seed)
    {
        if (store.State.Setup is { } kept)
        {
            if (kept.Seed != seed || kept.Scenario.Fingerprint() != scenario.Fingerprint())
            {
                throw new InvalidOperationException($"run {GrainKeys.RunOf(this.GetPrimaryKeyString())} was started with another scenario or seed");
            }
            return;
        }
        store.State.Setup = new RunSetup { Scenario = scenario, Seed = seed };
        await store.WriteStateAsync();
    }

    Task<RunSetup?> IScenarioGrain.Setup() => Task.FromResult(store.State.Setup);

    async Task IScenarioGrain.Clear()
    {
        await store.ClearStateAsync();
        DeactivateOnIdle();
    }
}
