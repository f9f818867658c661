using System.CommandLine;
using Simulation.Cli.Engines;
using Simulation.Experiments;
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
        var set = SetOption.Create();
        var seed = new Option<ulong?>("--seed") { Description = "Random seed (default: the scenario's seed)." };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default: out/<scenario-name>)." };
        var engine = new Option<string>("--engine")
        {
            Description = "orleans (default: an embedded silo) or reference (the plain loop, same results).",
            DefaultValueFactory = _ => "orleans",
        };
        engine.AcceptOnlyFromAmong("orleans", "reference");
        var format = new Option<string[]>("--format")
        {
            Description = "Table formats: csv (default), parquet, json; repeat the option or separate with commas.",
        };
        var noCharts = new Option<bool>("--no-charts") { Description = "Do not draw the PNG and SVG charts into charts/." };
        var monteCarlo = new MonteCarloOptions();
        var cluster = new ClusterOption();

        var command = new Command("run", "Play a scenario and write monthly, ticks and events tables (CSV, Parquet or JSON), summary.json and charts.") { file, set, seed, outDir, engine, format, noCharts };
        monteCarlo.AddTo(command);
        cluster.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var loaded = ScenarioLoader.Load(parse.GetValue(file)!.ToString(), parse.GetValue(set) ?? []);
            var runSeed = parse.GetValue(seed) ?? loaded.Info.Seed;
            var target = parse.GetValue(outDir)?.ToString() ?? Path.Combine("out", loaded.Info.Name);
            OutputFolder.Check(target);
            var export = Exports(parse.GetValue(format), parse.GetValue(noCharts));
            var clusterTarget = cluster.Target(parse);
            ClusterOption.CheckEngine(clusterTarget, parse.GetValue(engine)!);
            if (await monteCarlo.TryRunAsync(parse, loaded, runSeed, parse.GetValue(engine)!, clusterTarget, target, export, stdout, ct) is { } exitCode)
            {
                return exitCode;
            }

            // Progress (months done, time left) on stderr when it is a terminal and the run takes over a second.
            var months = Months(loaded.Info);
            RunOutput output;
            if (parse.GetValue(engine) == "reference")
            {
                output = await ProgressBar.RunAsync("run", true, progress =>
                    SimulationRun.RunAsync(new ReferenceEngine(), loaded, runSeed, ProgressBar.Months(progress, months), ct), TimeSpan.FromSeconds(1));
            }
            else
            {
                await using var grains = await GrainHost.StartAsync(clusterTarget, s => s.AddCheckpointStorage(), parse.InvocationConfiguration.Error, ct);
                output = await ProgressBar.RunAsync("run", true, progress =>
                    SimulationRun.RunAsync(new OrleansEngine(grains.Grains, grains.Silos, parse.InvocationConfiguration.Error), loaded, runSeed, ProgressBar.Months(progress, months), ct), TimeSpan.FromSeconds(1));
            }

            var written = await RunFiles.WriteAsync(output, target, export, ct);
            await stdout.WriteAsync(SummaryTable.Render(output));
            await stdout.WriteLineAsync($"Wrote {RunFiles.Describe(written.Keys)} to {target}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static int Months(Simulation.Model.Config.ScenarioInfo info) =>
        (info.End.Year - info.Start.Year) * 12 + info.End.Month - info.Start.Month + 1;

    /// <summary>The formats and charts asked for; checked before the run, so a bad option or a machine without fonts costs no simulation.</summary>
    private static ExportOptions Exports(string[]? formats, bool noCharts)
    {
        try
        {
            var options = new ExportOptions { Formats = ExportFormats.Parse(formats), Charts = !noCharts };
            if (options.Charts)
            {
                Simulation.Exports.Charts.ChartRenderer.EnsureFonts();
            }
            return options;
        }
        catch (Exception e) when (e is FormatException or Simulation.Exports.Charts.ChartFontsMissingException)
        {
            throw new UsageException(e.Message);
        }
    }
}
