using System.Runtime.CompilerServices;
using Simulation.Contracts;
using Simulation.Model.Rules;

namespace Simulation.Grains;

/// <summary>How a run's grains find the scenario they play: from the run's <see cref="IScenarioGrain"/>, by their own key.</summary>
internal static class RunSetups
{
    /// <summary>
    /// One prepared scenario per setup instance. Inside a silo the scenario grain hands every grain of its run the same
    /// (immutable) setup, so a thousand companies share one context instead of building one each; a context does
    /// not change while a run plays, so sharing it across threads is safe.
    /// </summary>
    private static readonly ConditionalWeakTable<RunSetup, ScenarioContext> Contexts = [];

    /// <summary>The context of the run <paramref name="grainKey"/> belongs to, or null before the run has stored its setup.</summary>
    public static async Task<ScenarioContext?> LoadAsync(IGrainFactory grains, string grainKey) =>
        await grains.GetGrain<IScenarioGrain>(GrainKeys.Scenario(GrainKeys.RunOf(grainKey))).Setup() is { } setup
            ? Contexts.GetValue(setup, s => new ScenarioContext(s.Scenario, s.Seed))
            : null;

    public static InvalidOperationException NotStarted(string grainKey) =>
        new($"grain {grainKey} belongs to run {GrainKeys.RunOf(grainKey)}, which has not been started");
}
