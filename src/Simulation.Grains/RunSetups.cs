using Simulation.Contracts;
using Simulation.Model.Rules;

namespace Simulation.Grains;

/// <summary>How a run's grains find the scenario they play: from the run's <see cref="IScenarioGrain"/>, by their own key.</summary>
internal static class RunSetups
{
    /// <summary>The context of the run <paramref name="grainKey"/> belongs to, or null before the run has stored its setup.</summary>
    public static async Task<ScenarioContext?> LoadAsync(IGrainFactory grains, string grainKey) =>
        await grains.GetGrain<IScenarioGrain>(GrainKeys.Scenario(GrainKeys.RunOf(grainKey))).Setup() is { } setup
            ? new ScenarioContext(setup.Scenario, setup.Seed)
            : null;

    public static InvalidOperationException NotStarted(string grainKey) =>
        new($"grain {grainKey} belongs to run {GrainKeys.RunOf(grainKey)}, which has not been started");
}
