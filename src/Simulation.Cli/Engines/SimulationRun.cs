using Simulation.Experiments;
using Simulation.Exports;
using Simulation.Model.Metrics;
using System.Text.Json.Nodes;
using Simulation.Cli.Commands;
using Simulation.Model.Rules;
using Simulation.Model.Targets;
using Simulation.Scenarios;

namespace Simulation.Cli.Engines;

/// <summary>Runs a loaded scenario with an engine and gathers what the exporters need.</summary>
public static class SimulationRun
{
    public static string ProgramVersion => ProgramInfo.Version;

    public static async Task<RunOutput> RunAsync(IRunEngine engine, LoadedScenario scenario, ulong seed, IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        var context = new ScenarioContext(scenario.Info, seed);
        var collector = new DataCollector(context);
        await engine.RunAsync(scenario.Info, seed, collector.Collect, progress, ct);
        var targets = new TargetEvaluator(scenario.Info, collector.MonthRows, collector.Events).Evaluate();
        return new RunOutput(
            scenario.Info.Name, scenario.Sha256, seed, Run: 0, engine.Name, ProgramVersion,
            collector.TickRows, collector.MonthRows, collector.Events, [.. collector.FinalCompanies],
            Extra: targets.Count == 0 ? null : new JsonObject { ["targets"] = TargetTable.ToJson(targets) })
        {
            Targets = targets,
            FreeParameters = scenario.Provenance.Count(p => p.FitMin is not null),
        };
    }
}
