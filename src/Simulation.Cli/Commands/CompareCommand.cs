using System.CommandLine;
using System.Globalization;
using Orleans.Runtime.Hosting;
using Simulation.Calibration.Posterior;
using Simulation.Cli.Engines;
using Simulation.Experiments;
using Simulation.Cli.Hosting;
using Simulation.Contracts;
using Simulation.Exports;
using Simulation.Exports.Charts;
using Simulation.Model.Metrics;
using Simulation.Scenarios;

namespace Simulation.Cli.Commands;

/// <summary>What <c>sim compare A.yaml B.yaml ...</c> was asked to do, checked.</summary>
public sealed record CompareRequest(
    IReadOnlyList<LoadedScenario> Scenarios,
    string Metric,
    ulong BaseSeed,
    int Runs,
    int? Parallel,
    string Engine,
    string Placement,
    IReadOnlyList<string> Months,
    IReadOnlyList<string> Apps,
    bool Charts,
    string OutDir)
{
    /// <summary>Decompose each difference along the causal chain (<see cref="ExplainTable"/>).</summary>
    public bool Explain { get; init; }

    /// <summary>What makes the replicates differ (<c>--uncertainty</c>): seeds by default; posterior draws are shared by every scenario.</summary>
    public ReplicateUncertainty Uncertainty { get; init; } = ReplicateUncertainty.Seed;

    /// <summary>The cluster whose silos play the replicates (<c>--cluster</c>); null: in this process.</summary>
    public ClusterTarget? Cluster { get; init; }
}

/// <summary>
/// <c>sim compare A.yaml B.yaml ...</c>: plays every scenario N times with common random numbers (replicate i
/// of each plays the same seed), and compares each with the first, replicate by replicate: prints a table of
/// differences at chosen months, writes compare.csv, summary.json and overlay charts.
/// </summary>
public static class CompareCommand
{
    public const int DefaultRuns = 50;

    public static Command Create(TextWriter stdout)
    {
        var files = new Argument<FileInfo[]>("files")
        {
            Description = "Scenario files (YAML): the first is the reference, each other is compared with it.",
            Arity = ArgumentArity.OneOrMore,
        };
        var set = SetOption.Create();
        set.Description += " Applies to every scenario.";
        var runs = new Option<int>("--runs") { Description = "Replicates per scenario.", DefaultValueFactory = _ => DefaultRuns };
        var seed = new Option<ulong?>("--seed") { Description = "Base seed shared by every scenario (default: the first scenario's seed)." };
        var months = new Option<string[]>("--months")
        {
            Description = "Months of the table, yyyy-MM, comma-separated or repeated (default: the months of the first scenario's user targets, and the last month).",
        };
        var metric = new Option<string>("--metric") { Description = "The metric compared.", DefaultValueFactory = _ => "mau" };
        metric.AcceptOnlyFromAmong([.. ComparedMetrics.Names]);
        var apps = new Option<string[]>("--apps")
        {
            Description = "Apps of the table and charts, comma-separated or repeated; ALL for each market's total " +
                "(default: the apps of the first scenario's targets, apps only some scenarios have, and ALL).",
        };
        var engine = new Option<string>("--engine")
        {
            Description = "orleans (default: an embedded silo) or reference (the plain loop, same results).",
            DefaultValueFactory = _ => "orleans",
        };
        engine.AcceptOnlyFromAmong("orleans", "reference");
        var placement = new Option<string?>("--placement")
        {
            Description = "On Orleans: replicate (one grain plays a whole replicate; default) or company (one grain per company).",
        };
        placement.AcceptOnlyFromAmong("replicate", "company");
        var parallel = new Option<int?>("--parallel") { Description = "Simulations in flight at once (default: the number of cores)." };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default: out/compare-<first scenario's name>)." };
        var noCharts = new Option<bool>("--no-charts") { Description = "Do not draw the overlay charts." };
        var explain = new Option<bool>("--explain")
        {
            Description = "Decompose each difference along the causal chain (talent, quality, choice, retention, switching, new users, actives, share) with bands; writes explain.csv.",
        };

        var uncertainty = UncertaintyOption.Create();
        uncertainty.Description += " With posterior draws, replicate i of every scenario plays the same draw (the first scenario's posterior, or its base's), " +
            "on the paths the scenario does not set itself.";

        var command = new Command("compare", "Compare scenarios with the first, with common random numbers: a table of paired differences, compare.csv, summary.json and overlay charts.")
        {
            files, set, runs, seed, months, metric, apps, engine, placement, parallel, outDir, noCharts, explain, uncertainty,
        };
        var cluster = new ClusterOption();
        cluster.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var paths = parse.GetValue(files) ?? [];
            if (paths.Length < 2)
            {
                throw new UsageException($"compare needs at least two scenario files (the reference and one to compare with it); got {paths.Length}");
            }
            var (runCount, parallelCount) = (parse.GetValue(runs), parse.GetValue(parallel));
            if (runCount < 1)
            {
                throw new UsageException($"--runs must be at least 1 (got {runCount})");
            }
            if (parallelCount is < 1)
            {
                throw new UsageException($"--parallel must be at least 1 (got {parallelCount})");
            }
            var engineName = parse.GetValue(engine)!;
            var clusterTarget = cluster.Target(parse);
            ClusterOption.CheckEngine(clusterTarget, engineName);
            if (engineName == "reference" && parse.GetValue(placement) is not null)
            {
                throw new UsageException("--placement applies to --engine orleans; the reference engine runs replicates in process");
            }
            var sets = parse.GetValue(set) ?? [];
            var scenarios = paths.Select(p => ScenarioLoader.Load(p.ToString(), sets)).ToList();
            CheckSameMonths(scenarios);
            var drawn = PosteriorSource.Resolve(UncertaintyOption.Mode(parse, uncertainty), scenarios, runCount);
            var charts = !parse.GetValue(noCharts);
            if (charts)
            {
                EnsureFonts();
            }
            var request = new CompareRequest(
                scenarios,
                parse.GetValue(metric)!,
                parse.GetValue(seed) ?? scenarios[0].Info.Seed,
                runCount,
                parallelCount,
                engineName,
                parse.GetValue(placement) ?? MonteCarloCommand.DefaultPlacement,
                ChooseMonths(scenarios[0], Split(parse.GetValue(months))),
                ChooseApps(scenarios, Split(parse.GetValue(apps))),
                charts,
                parse.GetValue(outDir)?.ToString() ?? Path.Combine("out", $"compare-{scenarios[0].Info.Name}"))
            {
                Explain = parse.GetValue(explain),
                Uncertainty = drawn,
                Cluster = clusterTarget,
            };
            await UncertaintyOption.SayAsync(parse.InvocationConfiguration.Error, drawn, runCount);
            return await RunAsync(request, stdout, parse.InvocationConfiguration.Error, showProgress: true, ct);
        });
        return command;
    }

    /// <summary>Plays the comparison, prints the table and writes the files; on Ctrl+C writes what finished and returns 130.</summary>
    public static async Task<int> RunAsync(CompareRequest request, TextWriter stdout, TextWriter stderr, bool showProgress, CancellationToken ct)
    {
        OutputFolder.Check(request.OutDir);
        ComparisonResult result;
        await using (var grains = request.Engine == "reference"
            ? null
            : await GrainHost.StartAsync(request.Cluster, s => s.AddTransientStorage(), stderr, ct))
        {
            IReplicateRunner runner = grains is null ? new ReferenceReplicates() : grains.Replicates(request.Placement, stderr);
            var parallel = request.Parallel ?? grains?.Parallel(null) ?? Environment.ProcessorCount;
            await Estimates.SayAsync(stderr, Estimate.FromPilot(request.Scenarios[0].Info, request.Runs * request.Scenarios.Count, parallel), "simulations", keepsWhatFinished: true);
            result = await ProgressBar.RunAsync($"{request.Runs} paired runs", showProgress, progress => Comparison.RunAsync(
                runner, [.. request.Scenarios.Select(s => s.Info)], request.Metric, request.BaseSeed, request.Runs, parallel, progress, ct,
                chain: request.Explain ? ExplainTable.Metrics : null, uncertainty: request.Uncertainty));
        }
        if (result.Runs == 0)
        {
            throw new OperationCanceledException(ct);
        }

        var output = Output(request, result);
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, text) in CompareExport.Render(output))
        {
            files[name] = new System.Text.UTF8Encoding(false).GetBytes(text);
        }
        var chartCount = 0;
        if (request.Charts)
        {
            var rendered = CompareCharts.Render(output);
            chartCount = rendered.Count / 2;
            foreach (var (name, bytes) in rendered)
            {
                files[name] = bytes;
            }
        }
        var chain = result.Chain.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<Model.Metrics.ComparisonRow>)kv.Value.Rows());
        if (request.Explain)
        {
            files["explain.csv"] = new System.Text.UTF8Encoding(false).GetBytes(ExplainTable.Csv(output, chain));
        }
        AtomicDirectory.Write(request.OutDir, files);

        await stdout.WriteAsync(CompareTable.Render(output));
        if (request.Explain)
        {
            await stdout.WriteAsync(ExplainTable.Render(output, chain));
        }
        var charts = chartCount > 0 ? $" and {chartCount} overlay chart(s) (PNG and SVG) in {RunCharts.Folder}/" : "";
        await stdout.WriteLineAsync($"Wrote {CompareExport.FileName}, {(request.Explain ? "explain.csv, " : "")}summary.json{charts} to {request.OutDir}");
        if (result.Cancelled)
        {
            await stderr.WriteLineAsync($"sim: cancelled after {result.Runs} of {request.Runs} runs; wrote the comparison of {result.Runs} to {request.OutDir}");
            return ExitCodes.Cancelled;
        }
        return ExitCodes.Success;
    }

    public static ComparisonOutput Output(CompareRequest request, ComparisonResult result) => new(
        [.. request.Scenarios.Zip(Comparison.Names([.. request.Scenarios.Select(s => s.Info)]), (s, name) => new ComparedScenario(name, s.File, s.Sha256) { Question = s.Info.Question })],
        request.Metric, request.BaseSeed, request.Runs, result.Runs,
        request.Engine == "reference" ? "reference" : "orleans", request.Engine == "reference" ? null : request.Placement,
        SimulationRun.ProgramVersion, request.Months, request.Apps, result.Bands.Rows())
    {
        Uncertainty = request.Uncertainty,
    };

    /// <summary>Paired replicates need the same months: a scenario with other dates cannot be compared month by month.</summary>
    private static void CheckSameMonths(IReadOnlyList<LoadedScenario> scenarios)
    {
        var reference = scenarios[0];
        foreach (var other in scenarios.Skip(1))
        {
            if (Month(other.Info.Start) != Month(reference.Info.Start) || Month(other.Info.End) != Month(reference.Info.End))
            {
                throw new UsageException(
                    $"{other.File} runs {Month(other.Info.Start)} to {Month(other.Info.End)}, {reference.File} {Month(reference.Info.Start)} to " +
                    $"{Month(reference.Info.End)}: compared scenarios must cover the same months");
            }
        }
    }

    /// <summary>The months asked for, each checked; by default the reference's user-target months and its last month.</summary>
    public static IReadOnlyList<string> ChooseMonths(LoadedScenario reference, IReadOnlyList<string> asked)
    {
        var valid = new List<string>();
        for (var m = new DateOnly(reference.Info.Start.Year, reference.Info.Start.Month, 1); m <= reference.Info.End; m = m.AddMonths(1))
        {
            valid.Add(Month(m));
        }
        if (asked.Count == 0)
        {
            var targets = reference.Info.Targets.Where(t => t.App is not null || t.Market is not null).Select(t => t.Month).OfType<DateOnly>().Select(Month);
            return [.. targets.Append(valid[^1]).Where(valid.Contains).Distinct().Order(StringComparer.Ordinal)];
        }
        var unknown = asked.Where(m => !valid.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"--months: unknown month(s) {string.Join(", ", unknown)}; expected yyyy-MM from {valid[0]} to {valid[^1]}");
        }
        return [.. asked.Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>The apps asked for, each checked against every scenario's apps; by default the apps the reference's targets name, the apps only some scenarios have, and ALL.</summary>
    public static IReadOnlyList<string> ChooseApps(IReadOnlyList<LoadedScenario> scenarios, IReadOnlyList<string> asked)
    {
        var valid = scenarios.SelectMany(s => s.Info.Companies.SelectMany(c => c.Apps.Select(a => a.Id))).Append(MetricRow.All)
            .Distinct().Order(StringComparer.Ordinal).ToList();
        if (asked.Count == 0)
        {
            var reference = scenarios[0].Info;
            var named = reference.Targets.SelectMany(t => new[] { t.App, t.Other }).OfType<string>()
                .Where(a => reference.Companies.Any(c => c.Apps.Any(x => x.Id == a))).Distinct().ToList();
            if (named.Count == 0)
            {
                named = [.. reference.Companies.SelectMany(c => c.Apps.Select(a => a.Id))];
            }
            // An app only some scenarios have (openai-enters-china's chatgpt-cn) is what those scenarios are about.
            var added = valid.Where(a => a != MetricRow.All && !scenarios.All(s => s.Info.Companies.Any(c => c.Apps.Any(x => x.Id == a))));
            return [.. named.Concat(added).Distinct(), MetricRow.All];
        }
        var unknown = asked.Where(a => !valid.Contains(a)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"--apps: unknown app(s) {string.Join(", ", unknown)}; valid: {string.Join(", ", valid)}");
        }
        return [.. asked.Distinct()];
    }

    private static IReadOnlyList<string> Split(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    private static string Month(DateOnly date) => date.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static void EnsureFonts()
    {
        try
        {
            ChartRenderer.EnsureFonts();
        }
        catch (ChartFontsMissingException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
