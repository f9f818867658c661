using Simulation.Experiments;
using Simulation.Cli.Engines;
using Simulation.Exports;
using Simulation.Scenarios;

namespace Simulation.Tests.Support;

/// <summary>Runs scenarios with an engine and renders the exports a user would get.</summary>
public static class Runs
{
    private static readonly Lazy<LoadedScenario> LazyBaseline = new(() => ScenarioLoader.Load(Repo.Baseline));

    public static LoadedScenario Baseline => LazyBaseline.Value;

    public static async Task<IReadOnlyDictionary<string, string>> RenderAsync(IRunEngine engine, LoadedScenario scenario, ulong seed) =>
        RunExport.Render(await SimulationRun.RunAsync(engine, scenario, seed));

    /// <summary>The three exports that must not depend on the engine.</summary>
    public static readonly string[] EngineFreeFiles = ["monthly.csv", "ticks.csv", "events.csv"];
}
