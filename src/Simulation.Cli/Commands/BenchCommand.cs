using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Simulation.Exports;
using System.Text.Json.Nodes;
using Orleans.Runtime.Hosting;
using Simulation.Cli.Bench;
using Simulation.Cli.Engines;
using Simulation.Experiments;
using Simulation.Cli.Hosting;
using Simulation.Contracts;
using Simulation.Scenarios;

namespace Simulation.Cli.Commands;

/// <summary>What <c>sim bench</c> was asked to measure, checked.</summary>
public sealed record BenchRequest(
    bool Scaling,
    string Scenario,
    IReadOnlyList<int> Replicates,
    int Repeat,
    int Parallel,
    int CompanyUpTo,
    int ProfileRuns,
    IReadOnlyList<int> Sizes,
    int Years,
    string? Json,
    double? PoachRate = null,
    ClusterTarget? Cluster = null);

/// <summary>
/// <c>sim bench</c>: prints figures, asserts nothing. By default the Monte Carlo throughput of a scenario on
/// the reference runner and on each Orleans placement, in one process on one embedded silo; with
/// <c>--scaling</c>, the per-tick cost against entity count and against elapsed ticks on synthetic markets; with
/// <c>--scaling --cluster</c>, the same of the company-per-grain engine on that cluster's silos.
/// Progress goes to stderr, the tables to stdout.
/// </summary>
public static class BenchCommand
{
    public static readonly int[] DefaultReplicates = [1, 100, 1000];
    public static readonly int[] DefaultSizes = [10, 20, 50, 100, 200, 500, 1000];

    public static Command Create(TextWriter stdout)
    {
        var scenario = new Option<FileInfo?>("--scenario") { Description = "The scenario of the throughput benchmark (default: scenarios/baseline.yaml)." };
        var replicates = new Option<string[]>("--replicates") { Description = "Batch sizes N, comma-separated or repeated (default: 1,100,1000)." };
        var repeat = new Option<int>("--repeat") { Description = "Times each measurement is repeated; the median and the spread are reported.", DefaultValueFactory = _ => 3 };
        var parallel = new Option<int?>("--parallel") { Description = "Replicates in flight at once (default: the number of cores)." };
        var companyUpTo = new Option<int>("--skip-company-above")
        {
            Description = "Measure the orleans company placement only for N up to this (it is slow).",
            DefaultValueFactory = _ => 100,
        };
        var profileRuns = new Option<int>("--profile-runs")
        {
            Description = "Replicates timed step by step for the breakdown of a replicate's time (0: no breakdown).",
            DefaultValueFactory = _ => 20,
        };
        var scaling = new Option<bool>("--scaling") { Description = "Measure per-tick cost against entity count and elapsed ticks on synthetic markets instead, the company engine against the reference runner, and Orleans's own cost of an empty call." };
        var sizes = new Option<string[]>("--sizes") { Description = "With --scaling: companies per synthetic market, comma-separated (default: 10,20,50,100,200,500,1000; 100 researchers per company, 20 companies per market)." };
        var years = new Option<int?>("--years") { Description = "With --scaling: years of day ticks of the long run timed year by year (default: 10); with --synthetic: the horizon in calendar years instead of --ticks." };
        var json = new Option<FileInfo?>("--json") { Description = "Also save the figures and the machine as JSON to FILE." };
        var synthetic = new SyntheticOptions();
        var run = new Option<FileInfo?>("--run") { Description = "Play FILE once as `sim run FILE --engine reference --out DIR` does, in this process, and print its wall time, CPU time, peak memory and output sizes." };
        var outPath = new Option<string?>("--out") { Description = "With --synthetic: the scenario file to write; with --run: the output folder (default: out/<scenario-name>)." };
        var cluster = new ClusterOption();

        var command = new Command("bench", "Measure: Monte Carlo runs per second on each engine and placement, or (--scaling) per-tick cost against entities and elapsed ticks. Prints figures; asserts nothing.")
        {
            scenario, replicates, repeat, parallel, companyUpTo, profileRuns, scaling, sizes, years, json, run, outPath,
        };
        synthetic.AddTo(command);
        cluster.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            // The company engine's scaling is what a cluster can be asked to measure; the rest plays in this process.
            var clusterTarget = cluster.Target(parse);
            if (clusterTarget is not null && (!parse.GetValue(scaling) || parse.GetValue(run) is not null || synthetic.Asked(parse)))
            {
                throw new UsageException(
                    "--cluster applies only with --scaling (the company engine's per-tick cost measured on the cluster's silos); " +
                    "the throughput benchmark, --synthetic and --run play in this process");
            }
            if (synthetic.Parse(parse, parse.GetValue(outPath), parse.GetValue(years)) is { } market)
            {
                if (parse.GetValue(scaling) || parse.GetValue(run) is not null)
                {
                    throw new UsageException("--synthetic writes a scenario file: it does not go with --scaling or --run");
                }
                return await SyntheticOptions.WriteAsync(market, parse.GetValue(outPath)!, stdout);
            }
            if (parse.GetValue(run) is { } runFile)
            {
                if (parse.GetValue(scaling) || parse.GetValue(scenario) is not null || parse.GetValue(replicates) is { Length: > 0 })
                {
                    throw new UsageException("--run plays one scenario: it does not go with --scaling, --scenario or --replicates");
                }
                return await WholeRunAsync(runFile.ToString(), parse.GetValue(outPath), parse.GetValue(json)?.ToString(), stdout, parse.InvocationConfiguration.Error, ct);
            }
            if (parse.GetValue(outPath) is not null)
            {
                throw new UsageException("--out applies only with --synthetic or --run");
            }
            var scalingMode = parse.GetValue(scaling);
            if (scalingMode && (parse.GetValue(scenario) is not null || parse.GetValue(replicates) is { Length: > 0 }))
            {
                throw new UsageException("--scenario and --replicates apply to the throughput benchmark, not to --scaling");
            }
            if (!scalingMode && (parse.GetValue(sizes) is { Length: > 0 } || parse.GetValue(years) is not null || synthetic.PoachRate(parse) is not null))
            {
                throw new UsageException("--sizes, --years and --poach-rate apply only with --scaling (or --synthetic)");
            }
            var request = new BenchRequest(
                scalingMode,
                parse.GetValue(scenario)?.ToString() ?? Path.Combine("scenarios", "baseline.yaml"),
                Counts("--replicates", parse.GetValue(replicates), DefaultReplicates),
                AtLeast("--repeat", parse.GetValue(repeat), 1),
                AtLeast("--parallel", parse.GetValue(parallel) ?? Environment.ProcessorCount, 1),
                AtLeast("--skip-company-above", parse.GetValue(companyUpTo), 0),
                AtLeast("--profile-runs", parse.GetValue(profileRuns), 0),
                Counts("--sizes", parse.GetValue(sizes), DefaultSizes),
                AtLeast("--years", parse.GetValue(years) ?? 10, 1),
                parse.GetValue(json)?.ToString(),
                synthetic.PoachRate(parse),
                clusterTarget);
            if (request.Json is { } jsonFile)
            {
                OutputFolder.CheckFile(jsonFile);
            }
            return await RunAsync(request, stdout, parse.InvocationConfiguration.Error, ct);
        });
        return command;
    }

    public static async Task<int> RunAsync(BenchRequest request, TextWriter stdout, TextWriter log, CancellationToken ct)
    {
        var loaded = request.Scaling ? null : ScenarioLoader.Load(request.Scenario);
        // On a cluster, connect before printing anything: a cluster that cannot be used is said in one line (exit code 2).
        await using var host = request.Cluster is null ? null : await GrainHost.StartAsync(request.Cluster, s => s.AddTransientStorage(), log, ct);
        var machine = MachineInfo.Capture();
        await stdout.WriteAsync(BenchReport.Machine(machine));
        await stdout.WriteLineAsync();
        var figures = new JsonObject();
        if (host is not null)
        {
            await ScalingAsync(request, host.Grains, new ClusterRun(request.Cluster!, host.Silos!), stdout, log, figures, ct);
        }
        else
        {
            await using var silo = await EmbeddedSilo.StartAsync(s => s.AddTransientStorage(), ct);
            if (loaded is null)
            {
                await ScalingAsync(request, silo.Grains, null, stdout, log, figures, ct);
            }
            else
            {
                await ThroughputAsync(request, loaded, silo.Grains, stdout, log, figures, ct);
            }
        }
        machine = machine.Finish();
        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync(string.Join(Environment.NewLine, machine.LoadLines()));
        if (request.Json is { } path)
        {
            figures["machine"] = BenchReport.MachineJson(machine);
            AtomicFile.Write(path, figures.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            await stdout.WriteLineAsync($"Wrote {path}");
        }
        return ExitCodes.Success;
    }

    /// <summary><c>--scaling</c>: in this process and its embedded silo, or (<paramref name="cluster"/>) the company engine on a cluster's silos.</summary>
    private static async Task ScalingAsync(BenchRequest request, IGrainFactory grains, ClusterRun? cluster, TextWriter stdout, TextWriter log, JsonObject figures, CancellationToken ct)
    {
        // The company engine is also compared on the baseline, whatever its ratio there.
        var baseline = File.Exists(request.Scenario) ? ScenarioLoader.Load(request.Scenario) : null;
        var result = await new ScalingBench(grains, request.Repeat, log, request.PoachRate, baseline is null ? null : (baseline.Info.Name, baseline.Info), cluster)
            .RunAsync(request.Sizes, request.Years, ct);
        await stdout.WriteAsync(BenchReport.Scaling(result, request.Repeat));
        figures["scaling"] = BenchReport.ScalingJson(result);
    }

    private static async Task ThroughputAsync(BenchRequest request, LoadedScenario loaded, IGrainFactory grains, TextWriter stdout, TextWriter log, JsonObject figures, CancellationToken ct)
    {
        var bench = new ThroughputBench(grains, loaded, request.Parallel, request.Repeat, request.CompanyUpTo, log);
        var rows = await bench.RunAsync(request.Replicates, ct);
        var name = $"{request.Scenario} ({loaded.Info.Name})";
        await stdout.WriteAsync(BenchReport.Throughput(name, request.Parallel, request.Repeat, request.CompanyUpTo, rows));
        await stdout.WriteLineAsync();
        await stdout.WriteAsync(BenchReport.ThroughputTargets(rows, Environment.ProcessorCount));
        figures["scenario"] = request.Scenario;
        figures["parallel"] = request.Parallel;
        figures["repeat"] = request.Repeat;
        figures["throughput"] = BenchReport.ThroughputJson(rows);
        if (request.ProfileRuns > 0)
        {
            var parts = await ReplicateProfile.MeasureAsync(loaded.Info, loaded.Info.Seed, request.ProfileRuns, grains);
            await stdout.WriteLineAsync();
            await stdout.WriteAsync(BenchReport.Profile(parts, request.ProfileRuns));
            figures["profile"] = BenchReport.ProfileJson(parts);
        }
    }

    /// <summary><c>--run FILE</c>: one whole reference run measured by this process (no silo is started).</summary>
    private static async Task<int> WholeRunAsync(string scenario, string? outDir, string? json, TextWriter stdout, TextWriter log, CancellationToken ct)
    {
        if (json is not null)
        {
            OutputFolder.CheckFile(json);
        }
        var machine = MachineInfo.Capture();
        await stdout.WriteAsync(BenchReport.Machine(machine));
        await stdout.WriteLineAsync();
        var target = outDir ?? Path.Combine("out", ScenarioLoader.Load(scenario).Info.Name);
        var result = await WholeRunBench.RunAsync(scenario, target, ExportOptions.Default, log, ct);
        await stdout.WriteAsync(WholeRunBench.Report(result));
        machine = machine.Finish();
        await stdout.WriteLineAsync(string.Join(Environment.NewLine, machine.LoadLines()));
        if (json is not null)
        {
            var figures = new JsonObject { ["run"] = WholeRunBench.Json(result), ["machine"] = BenchReport.MachineJson(machine) };
            AtomicFile.Write(json, figures.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            await stdout.WriteLineAsync($"Wrote {json}");
        }
        return ExitCodes.Success;
    }

    private static IReadOnlyList<int> Counts(string option, string[]? values, int[] defaults)
    {
        var parts = (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (parts.Count == 0)
        {
            return defaults;
        }
        return [.. parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new UsageException($"{option}: expected whole numbers of at least 1, comma-separated; got '{p}'"))];
    }

    private static int AtLeast(string option, int value, int minimum) =>
        value >= minimum ? value : throw new UsageException($"{option} must be at least {minimum} (got {value})");
}
