using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simulation.Calibration;
using Simulation.Cli.Engines;
using Simulation.Experiments;
using Simulation.Exports;
using Simulation.Exports.Charts;

namespace Simulation.Cli.Commands;

/// <summary>
/// <c>sim profile FILE</c>: the profile likelihood of each fitted parameter (the objective with the parameter fixed on a
/// grid, the others re-fitted), drawn, with an identifiability verdict in words (Raue et al. 2009).
/// </summary>
public static class ProfileCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "The scenario file; its fit: numbers are profiled about the file's values (the mode, after sim calibrate)." };
        var points = new Option<int>("--points") { Description = "Grid points per parameter, evenly spaced over its fit range in the unit coordinates (log-spaced over a wide positive range; bounds included); the file's value is added.", DefaultValueFactory = _ => 9 };
        var parameters = new Option<string[]>("--params")
        {
            Description = "Only these fitted parameters (paths, comma-separated or repeated; default: every fit: number).",
            Arity = ArgumentArity.ZeroOrMore,
            HelpName = "PATH,...",
        };
        var seeds = new Option<int>("--seeds") { Description = "Common random numbers: seeds every evaluation averages over (as sim calibrate).", DefaultValueFactory = _ => 1 };
        var iterations = new Option<int>("--max-iterations") { Description = "Iterations of the bounded BFGS that re-fits the other parameters at each grid point (it also stops after 30 gradients without improving the objective by 0.001).", DefaultValueFactory = _ => 100 };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default: out/<scenario-name>-profile)." };
        var noCharts = new Option<bool>("--no-charts") { Description = "Do not draw the profile charts (PNG and SVG) into charts/." };
        var cluster = new ClusterOption();
        var command = new Command("profile", "Profile likelihoods of the fitted parameters: each fixed on a grid over its range, the others re-fitted; charts and a verdict on identifiability.")
        {
            file, points, parameters, seeds, iterations, outDir, noCharts,
        };
        cluster.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!.ToString();
            var clusterTarget = cluster.Target(parse);
            var options = new ProfileOptions
            {
                Points = NumericOptions.AtLeast(parse.GetValue(points), 3, "--points"),
                MaxIterations = NumericOptions.AtLeast(parse.GetValue(iterations), 1, "--max-iterations"),
            };
            var calibration = new CalibrationOptions { Seeds = NumericOptions.AtLeast(parse.GetValue(seeds), 1, "--seeds") };
            options = options with { Parallel = Math.Max(1, Environment.ProcessorCount / Math.Min(calibration.Seeds, Environment.ProcessorCount)) };
            var charts = !parse.GetValue(noCharts);
            if (!File.Exists(path))
            {
                throw new UsageException(Directory.Exists(path) ? $"{path}: is a folder, not a scenario file" : $"{path}: file not found");
            }
            ScenarioText text;
            Calibrator calibrator;
            try
            {
                text = ScenarioText.Load(path);
                calibrator = new Calibrator(text, calibration);
            }
            catch (CalibrationInputException e)
            {
                throw new UsageException(e.Message);
            }
            var chosen = Chosen(parse.GetValue(parameters), text.Parameters);
            var name = text.Info(calibrator.FileValues).Name;
            var target = parse.GetValue(outDir)?.ToString() ?? Path.Combine("out", name + "-profile");
            OutputFolder.Check(target);
            if (charts)
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
            var sha256 = Simulation.Scenarios.ScenarioLoader.Load(path).Sha256;
            // The cluster, connected before any work (one that cannot be used costs none); its silos evaluate the objective,
            // as many walks at once as evaluations fit on their cores (the result does not depend on it).
            await using var host = clusterTarget is null ? null : await Hosting.GrainHost.StartAsync(clusterTarget, _ => { }, stderr, ct);
            if (host?.Evaluator(calibration.Seeds) is { } evaluator)
            {
                calibrator = new Calibrator(text, calibration, evaluator);
                options = options with { Parallel = evaluator.Parallel };
            }
            var n = text.Parameters.Count;
            var total = chosen.Sum(i => 1 + Profiler.Grid(text.Parameters[i], options.Points).Count(x => Math.Abs(x - text.Parameters[i].Start) > 1e-9 * text.Parameters[i].Range));
            await stderr.WriteLineAsync(
                $"Profiling {chosen.Count} of {n} fitted parameters of {path} ({options.Points} grid points each and the file's value: {total} points), " +
                $"averaging over seeds {string.Join(", ", calibrator.Seeds)}; {options.Parallel} walk(s) at once ...");
            var evaluation = calibrator.EstimateEvaluation();
            // A point re-fits the others from its neighbour's optimum: on the baseline some 100 to 200 gradients of n evaluations each (measured).
            var perGradient = evaluation.PerCell * calibration.Seeds * n;
            var (least, most) = (perGradient * 100 * total / options.Parallel, perGradient * 200 * total / options.Parallel);
            if (least >= Estimate.WorthSaying)
            {
                await stderr.WriteLineAsync(
                    $"estimate: an evaluation takes about {Estimate.Duration(evaluation.PerCell * calibration.Seeds)} of one core; each point re-fits {n - 1} parameter(s) " +
                    $"by BFGS on gradients of {n} evaluations, usually 100 to 200 gradients on the baseline, so about {Estimate.Duration(least)} to {Estimate.Duration(most)}; " +
                    "Ctrl+C stops (nothing is written)" + Estimates.DebugNote);
            }
            var clock = Stopwatch.StartNew();
            var progress = new SaidProgress<ProfileProgress>(p => stderr.WriteLine(
                $"  {p.Done}/{p.Total}: {text.Parameters[p.Index].Path} = {G(p.Point.Value)}: Δ {p.Point.Delta.ToString("0.###", Inv)} ({p.Point.Evaluations} evaluations; {Seconds(clock.Elapsed)})"));
            var result = await Task.Run(() => new Profiler(calibrator, options).RunAsync(chosen, progress, ct), CancellationToken.None);
            await stderr.WriteLineAsync($"profile: {result.Evaluations:N0} evaluations in {Seconds(clock.Elapsed)}");

            var table = Table(result, name, path, options, calibrator.Seeds);
            var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
            {
                ["profile.csv"] = Utf8(Csv(result)),
                ["profile.json"] = Utf8(Json(result, name, path, sha256, options, calibrator.Seeds)),
                ["profile.txt"] = Utf8(table),
            };
            if (charts)
            {
                foreach (var profile in result.Profiles)
                {
                    var chart = ProfileChart.Render(ChartSpec(profile, name, sha256, options, calibrator.Seeds));
                    files[$"charts/profile-{profile.Index + 1}.png"] = chart.Png;
                    files[$"charts/profile-{profile.Index + 1}.svg"] = chart.SvgBytes;
                }
            }
            using (var staged = new StagedDirectory(target) { Warnings = stderr })
            {
                foreach (var (entry, bytes) in files)
                {
                    staged.WriteBytes(entry, bytes);
                }
                staged.Commit();
            }
            await stdout.WriteAsync(table);
            await stdout.WriteLineAsync(
                $"Wrote profile.csv, profile.json, profile.txt{(charts ? $" and charts/profile-N (PNG and SVG, N the parameter's number)" : "")} to {target}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The indices of the parameters --params names (in the file's order), or every one; an unknown name is bad input.</summary>
    private static List<int> Chosen(string[]? given, IReadOnlyList<FitParameter> parameters)
    {
        var names = given?.SelectMany(p => p.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList() ?? [];
        if (names.Count == 0)
        {
            return [.. Enumerable.Range(0, parameters.Count)];
        }
        var known = parameters.Select(p => p.Path).ToList();
        if (names.FirstOrDefault(p => !known.Contains(p, StringComparer.Ordinal)) is { } unknown)
        {
            throw new UsageException($"--params: {unknown} is not a fitted parameter of the scenario; its fit: numbers are {string.Join(", ", known)}");
        }
        return [.. Enumerable.Range(0, parameters.Count).Where(i => names.Contains(parameters[i].Path, StringComparer.Ordinal))];
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", Inv) + " s";

    private static byte[] Utf8(string text) => new UTF8Encoding(false).GetBytes(text);

    private static string G(double value) => value.ToString("G6", Inv);

    private static string D(double delta) => !double.IsFinite(delta) ? "-" : delta.ToString("0.00", Inv);

    /// <summary>The printed table and the verdicts in words (profile.txt).</summary>
    public static string Table(ProfileResult result, string name, string path, ProfileOptions options, IReadOnlyList<ulong> seeds)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Inv,
            $"Profile likelihoods of {name} ({path.Replace('\\', '/')}): {result.Profiles.Count} of {result.Parameters.Count} fitted parameters, {options.Points} grid points each and the file's value; " +
            $"{ChartSource.SeedText(seeds)}; objective at the file's values {result.Reference.ToString("G6", Inv)}");
        var rows = new List<string[]> { new[] { "#", "parameter", "value", "verdict", "95 % interval", "Δ at min", "Δ at max", "notes" } };
        foreach (var p in result.Profiles)
        {
            var notes = new List<string>();
            if (p.AtBound)
            {
                notes.Add("at a bound");
            }
            if (p.Better is { } b)
            {
                notes.Add($"not the optimum: Δ {b.Delta.ToString("0.##", Inv)} at {ParameterProfile.G(b.Value)}");
            }
            rows.Add(
            [
                (p.Index + 1).ToString(Inv), p.Parameter.Path, G(p.FileValue), p.VerdictName, p.IntervalText,
                D(p.DeltaAtMin), D(p.DeltaAtMax), string.Join("; ", notes),
            ]);
        }
        SummaryTable.AppendTable(sb, rows, leftColumns: 2);
        sb.AppendLine("Verdicts:");
        foreach (var p in result.Profiles)
        {
            sb.AppendLine(Inv, $"  {p.Index + 1} {p.Parameter.Path}: {p.VerdictText}");
        }
        sb.AppendLine(Inv,
            $"Δ: the least objective (-2 ln(likelihood x prior)) with the parameter fixed and the others re-fitted, minus the objective at the file's values; " +
            $"a 95 % interval ends where Δ crosses {Profiler.ThresholdText} (chi-squared, 1 degree of freedom; linear between grid points; Raue et al. 2009). " +
            $"An end written ( or ) is the range's bound: Δ stays below the threshold up to it.");
        return sb.ToString();
    }

    /// <summary>profile.csv: one row per point, the parameter fixed, its Δ and objective, then every parameter's value there.</summary>
    public static string Csv(ProfileResult result)
    {
        var sb = new StringBuilder("parameter,value,delta,objective,at_file,evaluations");
        foreach (var p in result.Parameters)
        {
            sb.Append(',').Append(Field(p.Path));
        }
        sb.Append('\n');
        foreach (var profile in result.Profiles)
        {
            foreach (var point in profile.Points)
            {
                sb.AppendJoin(',', Field(profile.Parameter.Path), R(point.Value), R(point.Delta), R(point.Objective), point.AtFile ? "true" : "false", point.Evaluations.ToString(Inv));
                foreach (var v in point.Values)
                {
                    sb.Append(',').Append(R(v));
                }
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    private static string Json(ProfileResult result, string name, string path, string sha256, ProfileOptions options, IReadOnlyList<ulong> seeds)
    {
        var json = new JsonObject
        {
            ["command"] = "profile",
            ["scenario"] = name,
            ["scenario_file"] = path.Replace('\\', '/'),
            ["scenario_sha256"] = sha256,
            ["program_version"] = SimulationRun.ProgramVersion,
            ["points"] = options.Points,
            ["max_iterations"] = options.MaxIterations,
            ["seeds"] = new JsonArray([.. seeds.Select(s => (JsonNode)s)]),
            ["threshold"] = Profiler.Threshold,
            ["threshold_rule"] = "chi-squared quantile 0.95, 1 degree of freedom (Raue et al. 2009): the 95 % interval is where the profile stays within it, its ends linear between grid points",
            ["reference_objective"] = JsonNumber(result.Reference),
            ["file_values"] = new JsonObject([.. result.Parameters.Select((p, i) => KeyValuePair.Create(p.Path, (JsonNode?)result.FileValues[i]))]),
            ["evaluations"] = result.Evaluations,
            ["profiles"] = new JsonArray([.. result.Profiles.Select(p => (JsonNode)new JsonObject
            {
                ["number"] = p.Index + 1,
                ["parameter"] = p.Parameter.Path,
                ["line"] = p.Parameter.Line,
                ["min"] = p.Parameter.Min,
                ["max"] = p.Parameter.Max,
                ["value"] = p.FileValue,
                ["verdict"] = p.VerdictName,
                ["verdict_text"] = p.VerdictText,
                ["lower"] = p.Lower is { } a ? JsonValue.Create(a) : null,
                ["upper"] = p.Upper is { } b ? JsonValue.Create(b) : null,
                ["at_bound"] = p.AtBound,
                ["not_optimum"] = p.Better is null ? null : new JsonObject { ["value"] = p.Better.Value, ["delta"] = JsonNumber(p.Better.Delta) },
                ["delta_at_min"] = JsonNumber(p.DeltaAtMin),
                ["delta_at_max"] = JsonNumber(p.DeltaAtMax),
                ["points"] = new JsonArray([.. p.Points.Select(x => (JsonNode)new JsonObject
                {
                    ["value"] = x.Value,
                    ["delta"] = JsonNumber(x.Delta),
                    ["objective"] = JsonNumber(x.Objective),
                    ["at_file"] = x.AtFile,
                    ["evaluations"] = x.Evaluations,
                    ["values"] = new JsonArray([.. x.Values.Select(v => (JsonNode)v)]),
                })]),
            })]),
        };
        var serializer = new JsonSerializerOptions { WriteIndented = true, IndentSize = 2, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return json.ToJsonString(serializer) + "\n";
    }

    private static JsonNode? JsonNumber(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static ProfileChartSpec ChartSpec(ParameterProfile p, string name, string sha256, ProfileOptions options, IReadOnlyList<ulong> seeds) => new()
    {
        Title = $"{p.Index + 1}. {p.Parameter.Path}: {p.VerdictName}{(p.Better is null ? "" : " (the file is not at the optimum)")}",
        Subtitle = $"scenario {name} (sha256 {sha256[..Math.Min(12, sha256.Length)]}), {ChartSource.SeedText(seeds)}, {options.Points} grid points, sim {SimulationRun.ProgramVersion}",
        XLabel = $"{p.Parameter.Path} (fit range {ParameterProfile.G(p.Parameter.Min)} to {ParameterProfile.G(p.Parameter.Max)})",
        Points = [.. p.Points.Select(x => (x.Value, x.Delta))],
        FileValue = p.FileValue,
        Threshold = Profiler.Threshold,
        Interval = p.Verdict switch
        {
            ProfileVerdict.Identified => (p.Lower!.Value, p.Upper!.Value),
            ProfileVerdict.BoundedBelowOnly => (p.Lower!.Value, p.Parameter.Max),
            ProfileVerdict.BoundedAboveOnly => (p.Parameter.Min, p.Upper!.Value),
            _ => null,
        },
    };

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;

    private static string R(double value) => double.IsFinite(value) ? value.ToString("R", Inv) : "";
}
