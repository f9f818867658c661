using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simulation.Calibration.Posterior;
using Simulation.Calibration.Sensitivity;
using Simulation.Cli.Engines;
using Simulation.Cli.Hosting;
using Simulation.Experiments;
using Simulation.Exports;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;

namespace Simulation.Cli.Commands;

/// <summary>
/// <c>sim sweep FILE --param PATH=FROM:TO:STEPS ...</c>: plays the scenario at every point of a grid (or of a
/// Latin hypercube with <c>--design lhs --samples N</c>) and writes one row per point with the outputs asked for.
/// </summary>
public static class SweepCommand
{
    public const int PrintedRows = 30;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "The scenario file (YAML)." };
        var param = new Option<string[]>("--param")
        {
            Description = "A parameter and its range: PATH=FROM:TO:STEPS (grid, STEPS values from FROM to TO inclusive) or PATH=FROM:TO (with --design lhs); repeatable.",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            HelpName = "PATH=FROM:TO[:STEPS]",
            Required = true,
        };
        var design = new Option<string>("--design") { Description = "grid (default: every combination) or lhs (a Latin hypercube of --samples points).", DefaultValueFactory = _ => "grid" };
        design.AcceptOnlyFromAmong("grid", "lhs");
        var samples = new Option<int?>("--samples") { Description = "With --design lhs: how many points." };
        var common = new DesignOptions(defaultRuns: 1);
        var uncertainty = UncertaintyOption.Create();
        uncertainty.Description += " With posterior draws, replicate i of every point plays the same draw, on the paths the point does not set.";
        var command = new Command("sweep", "Play the scenario over a grid or a Latin hypercube of parameter values; one row per point with the outputs asked for.")
        {
            file, param, design, samples, uncertainty,
        };
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var scenario = ScenarioLoader.Load(parse.GetValue(file)!.ToString(), parse.GetValue(common.Set) ?? []);
            var outputs = common.Outputs(parse, scenario, () => OutputSpec.FromTargets(scenario.Info));
            var runs = common.Runs(parse);
            var ranges = Ranges(parse.GetValue(param) ?? [], parse.GetValue(design)!, parse.GetValue(samples));
            var points = Points(ranges, parse.GetValue(design)!, parse.GetValue(samples), scenario.Info.Seed);
            var outDir = parse.GetValue(common.Out)?.ToString() ?? Path.Combine("out", scenario.Info.Name + "-sweep");
            OutputFolder.Check(outDir);

            var mode = UncertaintyOption.Mode(parse, uncertainty);
            var posterior = mode == UncertaintyMode.Seed ? null : PosteriorSource.Find(scenario.File, scenario.Sets.IsEmpty ? scenario : null);
            await using var host = await common.ConnectAsync(parse, ct);
            var evaluator = new PointEvaluator(scenario, outputs, runs, common.Parallel(parse, host), host?.Replicates(MonteCarloCommand.DefaultPlacement), uncertainty: mode, posterior: posterior);
            CheckPaths(scenario, evaluator.Changes, ranges);
            var bound = evaluator.Bind(points, ct);
            if (bound.Select((b, i) => (b.Error, i)).FirstOrDefault(b => b.Error is not null) is { Error: { } error } bad)
            {
                throw new UsageException($"point {bad.i} ({Describe(points[bad.i])}) is invalid: {error}");
            }
            await stderr.WriteLineAsync($"Sweeping {scenario.Info.Name}: {points.Count} points x {runs} run(s), outputs {string.Join(", ", outputs)} ...");
            await UncertaintyOption.SayAsync(stderr, evaluator.Uncertainty, runs);
            await Estimates.SayAsync(stderr, Estimate.FromPilot(scenario.Info, points.Count * runs, common.Parallel(parse, host), evaluator.StopTick), "runs", keepsWhatFinished: false);
            var started = System.Diagnostics.Stopwatch.StartNew();
            var outcomes = await Task.Run(() => evaluator.Evaluate(points, bound, "sweep", DesignOptions.Progress(stderr), ct), CancellationToken.None);

            var parameters = ranges.Select(r => r.Path).ToList();
            var files = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["sweep.csv"] = SweepTable.Csv(parameters, outcomes, outputs, runs),
                ["summary.json"] = Summary(scenario, evaluator, ranges, parse.GetValue(design)!, points.Count, runs),
            };
            AtomicDirectory.Write(outDir, files);
            await stdout.WriteAsync(Table(parameters, outcomes, outputs, runs));
            if (evaluator.Uncertainty.Mode != UncertaintyMode.Seed)
            {
                await stdout.WriteLineAsync($"bands: {evaluator.Uncertainty.Describe()}; replicate i of every point plays the same draw" +
                    (evaluator.Uncertainty.VariesSeed ? " and seed" : $", all on seed {scenario.Info.Seed}"));
            }
            foreach (var note in GroupNotes(evaluator.Changes, parameters))
            {
                await stdout.WriteLineAsync(note);
            }
            if (parameters.Contains("seed"))
            {
                await stdout.WriteLineAsync("note: seed is swept: each point plays its own seed (replicate i of a point plays the seed rule from that seed), so points differ by their dice as well");
            }
            await stdout.WriteLineAsync($"Wrote sweep.csv and summary.json to {outDir}");
            await stderr.WriteLineAsync($"done in {started.Elapsed.TotalSeconds:0.0} s");
            return ExitCodes.Success;
        });
        return command;
    }

    private static List<SweepRange> Ranges(string[] texts, string design, int? samples)
    {
        try
        {
            var ranges = texts.Select(SweepRange.Parse).ToList();
            if (ranges.Select(r => r.Path).Distinct(StringComparer.Ordinal).Count() < ranges.Count)
            {
                throw new FormatException("--param: a path is given twice");
            }
            if (design == "grid" && ranges.FirstOrDefault(r => r.Steps is null) is { } noSteps)
            {
                throw new FormatException($"--param '{noSteps}': a grid needs PATH=FROM:TO:STEPS (or use --design lhs --samples N)");
            }
            if (design == "lhs" && samples is null)
            {
                throw new FormatException("--design lhs needs --samples N");
            }
            if (design == "grid" && samples is not null)
            {
                throw new FormatException("--samples applies to --design lhs");
            }
            return ranges;
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static IReadOnlyList<IReadOnlyList<ParameterValue>> Points(IReadOnlyList<SweepRange> ranges, string design, int? samples, ulong seed)
    {
        try
        {
            return design == "lhs" ? SweepDesign.LatinHypercube(ranges, samples!.Value, seed) : SweepDesign.Grid(ranges);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Each path must name a value of the scenario: the overrides' error names the nearest valid paths.</summary>
    private static void CheckPaths(LoadedScenario scenario, ParameterChanges changes, IReadOnlyList<SweepRange> ranges)
    {
        foreach (var range in ranges)
        {
            try
            {
                changes.Apply(scenario, [new ParameterValue(range.Path, range.From)]);
            }
            catch (ScenarioException e)
            {
                throw new UsageException($"--param '{range}': {string.Join("; ", e.Errors.Select(x => x.Message))}");
            }
        }
    }

    private static string Describe(IReadOnlyList<ParameterValue> point) =>
        string.Join(", ", point.Select(v => ScenarioOverrides.SetText(v.Path, v.Value)));

    /// <summary>"companies.x.policy.marketingShare: salaryShare, computeShare are rescaled ..." for swept shares.</summary>
    internal static IEnumerable<string> GroupNotes(ParameterChanges changes, IEnumerable<string> parameters) =>
        parameters.Where(p => changes.Group(p).Count > 1)
            .Select(p => $"note: {p} is a share of a group summing to 1: {string.Join(", ", changes.Group(p).Where(g => !parameters.Contains(g)).Select(g => g[(g.LastIndexOf('.') + 1)..]))} rescaled in proportion");

    private static string Table(IReadOnlyList<string> parameters, IReadOnlyList<PointOutcome> outcomes, IReadOnlyList<OutputSpec> outputs, int runs)
    {
        var rows = new List<string[]> { SweepTable.Columns(parameters, outputs, runs).ToArray() };
        foreach (var point in outcomes.Take(PrintedRows))
        {
            rows.Add(
            [
                point.Index.ToString(CultureInfo.InvariantCulture),
                .. point.Values.Select(v => v.Value.ToString("G6", CultureInfo.InvariantCulture)),
                .. outputs.SelectMany((o, i) => runs > 1
                    ? [DesignOptions.Format(o, point.Mean(i)), DesignOptions.Format(o, point.Quantile(i, 0.05)), DesignOptions.Format(o, point.Quantile(i, 0.95))]
                    : new[] { DesignOptions.Format(o, point.Mean(i)) }),
            ]);
        }
        var sb = new StringBuilder();
        SummaryTable.AppendTable(sb, rows, leftColumns: 1);
        if (outcomes.Count > PrintedRows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"... {outcomes.Count - PrintedRows} more rows in sweep.csv ({outcomes.Count} points)");
        }
        return sb.ToString();
    }

    private static string Summary(LoadedScenario scenario, PointEvaluator evaluator, IReadOnlyList<SweepRange> ranges, string design, int points, int runs)
    {
        var json = DesignOptions.Header("sweep", scenario, evaluator.Seeds, evaluator.Outputs);
        json["design"] = design;
        json["parameters"] = new JsonArray([.. ranges.Select(r => (JsonNode)new JsonObject
        {
            ["path"] = r.Path,
            ["from"] = r.From,
            ["to"] = r.To,
            ["steps"] = r.Steps,
            ["base"] = evaluator.Changes.BaseValue(r.Path),
        })]);
        json["points"] = points;
        json["runs"] = runs;
        BandExport.AddUncertainty(json, evaluator.Uncertainty, after: "seeds");
        return DesignOptions.Write(json);
    }
}

/// <summary>The options <c>sim sweep</c> and <c>sim sensitivity</c> share, and their shared output helpers.</summary>
internal sealed class DesignOptions(int defaultRuns)
{
    public Option<string[]> Set { get; } = SetOption.Create();

    public Option<DirectoryInfo?> Out { get; } = new("--out") { Description = "Output folder." };

    private readonly Option<string[]> _outputs = new("--outputs")
    {
        Description = $"What to read from each run, METRIC:SUBJECT:MONTH, comma-separated: e.g. mau:doubao:2024-09, mau:china-aigc/ALL:2024-09, " +
            $"share:kimi:2024-12, cash:bytedance:2025-12. Metrics: {string.Join(", ", OutputSpec.Metrics)}.",
        Arity = ArgumentArity.ZeroOrMore,
        HelpName = "SPEC,...",
    };

    private readonly Option<int> _runs = new("--runs") { Description = $"Replicates per point, the same seeds at every point (default {defaultRuns}).", DefaultValueFactory = _ => defaultRuns };

    private readonly Option<int?> _parallel = new("--parallel") { Description = "Replicates played at once (default: the number of cores; with --cluster, of every silo's cores)." };

    public ClusterOption Cluster { get; } = new();

    public void AddTo(Command command)
    {
        Cluster.AddTo(command);
        command.Options.Add(_outputs);
        command.Options.Add(_runs);
        command.Options.Add(_parallel);
        command.Options.Add(Out);
        command.Options.Add(Set);
    }

    public IReadOnlyList<OutputSpec> Outputs(ParseResult parse, LoadedScenario scenario, Func<IReadOnlyList<OutputSpec>> defaults)
    {
        try
        {
            var given = parse.GetValue(_outputs) ?? [];
            var outputs = given.Length == 0 ? defaults() : OutputSpec.ParseList(given, scenario.Info);
            return outputs.Count > 0 ? outputs : throw new UsageException("--outputs: no output given");
        }
        catch (OutputSpecException e)
        {
            throw new UsageException(e.Message);
        }
    }

    public int Runs(ParseResult parse) =>
        parse.GetValue(_runs) is var runs and >= 1 ? runs : throw new UsageException($"--runs must be at least 1 (got {parse.GetValue(_runs)})");

    public int Parallel(ParseResult parse, GrainHost? host = null) =>
        parse.GetValue(_parallel) is { } p ? p >= 1 ? p : throw new UsageException($"--parallel must be at least 1 (got {p})") : host?.Parallel(null) ?? Environment.ProcessorCount;

    /// <summary>The cluster's silos with <c>--cluster</c> (connected before any work, so one that cannot be reached costs none); else null: in process.</summary>
    public async Task<GrainHost?> ConnectAsync(ParseResult parse, CancellationToken ct) =>
        Cluster.Target(parse) is { } target ? await GrainHost.StartAsync(target, _ => { }, parse.InvocationConfiguration.Error, ct) : null;

    /// <summary>A count with thousands separators for counts and money, else four decimals.</summary>
    public static string Format(OutputSpec output, double value) =>
        !double.IsFinite(value) ? "-"
        : output.Unit is "users" or "new users a month" or "USD" or "people" ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>Progress lines on stderr at every tenth of the replicates (and the first), one at a time.</summary>
    public static IProgress<ExperimentProgress> Progress(TextWriter stderr) => new DecileProgress(stderr);

    /// <summary>What every summary.json of a design starts with: where the numbers come from.</summary>
    public static JsonObject Header(string command, LoadedScenario scenario, IReadOnlyList<ulong> seeds, IReadOnlyList<OutputSpec> outputs) => new()
    {
        ["command"] = command,
        ["scenario"] = scenario.Info.Name,
        ["scenario_file"] = scenario.File.Replace('\\', '/'),
        ["scenario_sha256"] = scenario.Sha256,
        ["sets"] = new JsonArray([.. scenario.Sets.Select(s => (JsonNode)s)]),
        ["seed"] = scenario.Info.Seed,
        ["seeds"] = new JsonArray([.. seeds.Select(s => (JsonNode)s)]),
        ["engine"] = "reference",
        ["program_version"] = SimulationRun.ProgramVersion,
        ["outputs"] = new JsonArray([.. outputs.Select(o => (JsonNode)new JsonObject { ["spec"] = o.Text, ["unit"] = o.Unit })]),
    };

    public static string Write(JsonObject json) => json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";

    /// <summary>A number for JSON: null when it is not finite (JSON has no NaN).</summary>
    public static JsonNode? Number(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;

    private sealed class DecileProgress(TextWriter stderr) : IProgress<ExperimentProgress>
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, int> _printed = new(StringComparer.Ordinal);

        public void Report(ExperimentProgress value)
        {
            if (value.Total == 0)
            {
                return;
            }
            lock (_gate)
            {
                var decile = value.Done * 10 / value.Total;
                if (_printed.TryGetValue(value.Stage, out var last) && decile <= last)
                {
                    return;
                }
                _printed[value.Stage] = decile;
                var left = value.Remaining is { } r && value.Done < value.Total ? $", about {Estimate.Duration(r)} left" : "";
                stderr.WriteLine($"  {value.Stage}: {value.Done}/{value.Total} runs{left}");
            }
        }
    }
}
