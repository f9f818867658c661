using System.CommandLine;
using Simulation.Cli.Engines;
using Simulation.Cli.Hosting;
using Simulation.Contracts;
using Simulation.Exports;
using Simulation.Scenarios;

namespace Simulation.Cli.Commands;

public static class RunCommand
{
    public static Command Create(TextWriter stdout)
    {
        var file = new Argument<FileInfo>("file") { Description = "The scenario file (YAML)." };
        var seed = new Option<ulong?>("--seed") { Description = "Random seed (default: the scenario's seed)." };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default: out/<scenario-name>)." };
        var engine = new Option<string>("--engine")
        {
            Description = "orleans (default: an embedded silo) or reference (the plain loop, same results).",
            DefaultValueFactory = _ => "orleans",
        };
        engine.AcceptOnlyFromAmong("orleans", "reference");

        var command = new Command("run", "Play a scenario and write monthly.csv, ticks.csv, events.csv and summary.json.") { file, seed, outDir, engine };
        command.SetAction(async (parse, ct) =>
        {
            var loaded = ScenarioLoader.Load(parse.GetValue(file)!.ToString());
            var runSeed = parse.GetValue(seed) ?? loaded.Info.Seed;
            var target = parse.GetValue(outDir)?.ToString() ?? Path.Combine("out", loaded.Info.Name);

            RunOutput output;
            if (parse.GetValue(engine) == "reference")
            {
                output = await SimulationRun.RunAsync(new ReferenceEngine(), loaded, runSeed, ct: ct);
            }
            else
            {
                await using var silo = await EmbeddedSilo.StartAsync(s => s.AddMemoryGrainStorage(StorageNames.Simulation), ct);
                output = await SimulationRun.RunAsync(new OrleansEngine(silo.Grains), loaded, runSeed, ct: ct);
            }

            RunExport.Write(output, target);
            await stdout.WriteAsync(SummaryTable.Render(output));
            await stdout.WriteLineAsync($"Wrote {string.Join(", ", RunExport.Render(output).Keys)} to {target}");
            return ExitCodes.Success;
        });
        return command;
    }
}
