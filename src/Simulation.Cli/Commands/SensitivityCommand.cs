using System.CommandLine;
using Simulation.Cli.Hosting;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Simulation.Calibration.Sensitivity;
using Simulation.Cli.Engines;
using Simulation.Experiments;
using Simulation.Exports;
using Simulation.Exports.Charts;
using Simulation.Scenarios;

namespace Simulation.Cli.Commands;

/// <summary>
/// <c>sim sensitivity FILE</c>: by default (<c>--method screening</c>) one-at-a-time elasticities (-/+10%) of every
/// parameter and Morris screening of the top ones, for one or more outputs; a ranked table, sensitivity.csv,
/// summary.json and a tornado chart. <c>--method sobol</c>: Sobol first-order and total indices with bootstrap
/// intervals (Saltelli sampling); a table sorted by ST, sobol.csv, summary.json and a bar chart.
/// </summary>
public static class SensitivityCommand
{
    public const int PrintedRows = 25;
    public const int TornadoBars = 15;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "The scenario file (YAML)." };
        var parameters = new Option<string[]>("--params")
        {
            Description = "Only these parameters (paths, comma-separated or repeated; default: every number of the scenario but seed, ids and targets).",
            Arity = ArgumentArity.ZeroOrMore,
            HelpName = "PATH,...",
        };
        var trajectories = new Option<int>("--trajectories") { Description = "Morris trajectories.", DefaultValueFactory = _ => 10 };
        var levels = new Option<int>("--levels") { Description = "Morris grid levels per parameter.", DefaultValueFactory = _ => 4 };
        var morrisTop = new Option<int>("--morris-top") { Description = "Morris screens the top N parameters by |elasticity| (0: no Morris).", DefaultValueFactory = _ => 20 };
        var noCharts = new Option<bool>("--no-charts") { Description = "Do not draw the charts." };
        var method = new Option<string>("--method")
        {
            Description = "screening: one-at-a-time elasticities and Morris screening (the default); sobol: Sobol first-order and total indices (Saltelli sampling) with bootstrap intervals.",
            DefaultValueFactory = _ => MethodScreening,
            HelpName = "screening|sobol",
        };
        var samples = new Option<int>("--samples") { Description = "sobol: N, the base samples, a power of 2; the design plays N (k + 2) points for k parameters.", DefaultValueFactory = _ => 64 };
        var bootstrap = new Option<int>("--bootstrap") { Description = "sobol: bootstrap resamples for the 95% intervals.", DefaultValueFactory = _ => 100 };
        var seed = new Option<ulong?>("--seed") { Description = "sobol: seed of the design's scrambling and of the bootstrap (default: the scenario's seed; the replicates play the --runs seeds)." };
        var common = new DesignOptions(defaultRuns: 4);
        var command = new Command("sensitivity", "Rank the parameters by their effect on outputs: one-at-a-time elasticities (-/+10%) and Morris screening (mu*, sigma), with a tornado chart; " +
            "or with --method sobol, Sobol first-order and total indices with bootstrap intervals, with a bar chart.")
        {
            file, method, parameters, trajectories, levels, morrisTop, samples, bootstrap, seed, noCharts,
        };
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var chosen = parse.GetValue(method);
            if (chosen is not (MethodScreening or MethodSobol))
            {
                throw new UsageException($"--method: expected screening or sobol, got '{chosen}'");
            }
            Option[] theirs = chosen == MethodSobol ? [trajectories, levels, morrisTop] : [samples, bootstrap, seed];
            if (theirs.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } misplaced)
            {
                throw new UsageException($"{misplaced.Name} applies to --method {(chosen == MethodSobol ? MethodScreening : MethodSobol)}, not {chosen}");
            }
            var scenario = ScenarioLoader.Load(parse.GetValue(file)!.ToString(), parse.GetValue(common.Set) ?? []);
            var outputs = common.Outputs(parse, scenario, () => [OutputSpec.DefaultForSensitivity(scenario.Info)]);
            var charts = !parse.GetValue(noCharts);
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
            var paths = parse.GetValue(parameters) is { Length: > 0 } given
                ? (IReadOnlyList<string>)[.. given.SelectMany(p => p.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))]
                : null;
            if (chosen == MethodSobol)
            {
                return await SobolAsync(parse, stdout, stderr, scenario, outputs, charts, common, paths, new SobolDesignOptions
                {
                    Samples = parse.GetValue(samples),
                    Bootstrap = parse.GetValue(bootstrap),
                    Seed = parse.GetValue(seed) ?? scenario.Info.Seed,
                }, ct);
            }
            var outDir = parse.GetValue(common.Out)?.ToString() ?? Path.Combine("out", scenario.Info.Name + "-sensitivity");
            OutputFolder.Check(outDir);
            await using var host = await common.ConnectAsync(parse, ct);
            var options = new SensitivityOptions
            {
                Runs = common.Runs(parse),
                Parallel = common.Parallel(parse, host),
                Engine = host?.Replicates(MonteCarloCommand.DefaultPlacement),
                Trajectories = AtLeast(parse.GetValue(trajectories), 1, "--trajectories"),
                Levels = AtLeast(parse.GetValue(levels), 2, "--levels"),
                MorrisTop = AtLeast(parse.GetValue(morrisTop), 0, "--morris-top"),
                Parameters = paths,
            };

            var analysis = new SensitivityAnalysis(scenario, outputs, options);
            await stderr.WriteLineAsync($"Sensitivity of {string.Join(", ", outputs)} in {scenario.Info.Name}: {options.Runs} run(s) per point on {options.Parallel} thread(s) ...");
            var started = System.Diagnostics.Stopwatch.StartNew();
            SensitivityResult result;
            try
            {
                var stopTick = Replicates.StopAfter(scenario.Info, outputs.Max(o => o.MonthStart));
                await Estimates.SayAsync(stderr, Estimate.FromPilot(scenario.Info, analysis.PlannedPoints() * options.Runs, options.Parallel, stopTick), "runs", keepsWhatFinished: false);
                result = await Task.Run(() => analysis.Run(DesignOptions.Progress(stderr), ct), CancellationToken.None);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                ["sensitivity.csv"] = Utf8(SensitivityAnalysis.Csv(result)),
                ["summary.json"] = Utf8(Summary(scenario, result)),
            };
            if (charts)
            {
                foreach (var output in result.Outputs)
                {
                    var chart = TornadoChart.Render(Tornado(scenario, result, output));
                    files[$"charts/tornado-{output.Output.Slug}.png"] = chart.Png;
                    files[$"charts/tornado-{output.Output.Slug}.svg"] = chart.SvgBytes;
                }
            }
            AtomicDirectory.Write(outDir, files);
            await stdout.WriteAsync(Report(scenario, result));
            await stdout.WriteLineAsync($"Wrote {string.Join(", ", files.Keys.Order(StringComparer.Ordinal))} to {outDir}");
            await stderr.WriteLineAsync($"done in {started.Elapsed.TotalSeconds:0.0} s");
            return ExitCodes.Success;
        });
        return command;
    }

    public const string MethodScreening = "screening";
    public const string MethodSobol = "sobol";
    public const int SobolBarCount = 15;

    private static async Task<int> SobolAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, LoadedScenario scenario, IReadOnlyList<OutputSpec> outputs,
        bool charts, DesignOptions common, IReadOnlyList<string>? paths, SobolDesignOptions design, CancellationToken ct)
    {
        await using var host = await common.ConnectAsync(parse, ct);
        var options = new SobolOptions
        {
            Runs = common.Runs(parse), Parallel = common.Parallel(parse, host), Engine = host?.Replicates(MonteCarloCommand.DefaultPlacement), Design = design, Parameters = paths,
        };
        SobolAnalysis analysis;
        try
        {
            analysis = new SobolAnalysis(scenario, outputs, options);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        var outDir = parse.GetValue(common.Out)?.ToString() ?? Path.Combine("out", scenario.Info.Name + "-sobol");
        OutputFolder.Check(outDir);

        await stderr.WriteLineAsync($"Sobol indices of {string.Join(", ", outputs)} in {scenario.Info.Name}: {analysis.Parameters.Count} parameters, N = {design.Samples}, " +
            $"{analysis.PlannedPoints} points x {options.Runs} run(s) on {options.Parallel} thread(s) ...");
        var started = System.Diagnostics.Stopwatch.StartNew();
        SobolResult result;
        try
        {
            var stopTick = Replicates.StopAfter(scenario.Info, outputs.Max(o => o.MonthStart));
            await Estimates.SayAsync(stderr, Estimate.FromPilot(scenario.Info, analysis.PlannedPoints * options.Runs, options.Parallel, stopTick), "runs", keepsWhatFinished: false);
            result = await Task.Run(() => analysis.Run(DesignOptions.Progress(stderr), ct), CancellationToken.None);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["sobol.csv"] = Utf8(SobolAnalysis.Csv(result)),
            ["summary.json"] = Utf8(SobolSummary(scenario, result)),
        };
        if (charts)
        {
            foreach (var output in result.Outputs)
            {
                var chart = SobolChart.Render(SobolBars(scenario, result, output));
                files[$"charts/sobol-{output.Output.Slug}.png"] = chart.Png;
                files[$"charts/sobol-{output.Output.Slug}.svg"] = chart.SvgBytes;
            }
        }
        AtomicDirectory.Write(outDir, files);
        await stdout.WriteAsync(SobolReport(scenario, result));
        await stdout.WriteLineAsync($"Wrote {string.Join(", ", files.Keys.Order(StringComparer.Ordinal))} to {outDir}");
        await stderr.WriteLineAsync($"done in {started.Elapsed.TotalSeconds:0.0} s");
        return ExitCodes.Success;
    }

    public static string SobolReport(LoadedScenario scenario, SobolResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        var o = result.Options;
        var k = result.Parameters.Count;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Scenario {scenario.Info.Name}: Sobol indices of {k} parameters, Saltelli design N = {o.Design.Samples} ({result.Points} points = N (k + 2)), " +
            $"each point the mean of {o.Runs} run(s) ({ChartSource.SeedText(result.Seeds)}, the same at every point)");
        sb.AppendLine(inv, $"Ranges: fit bounds where the scenario gives them, else the value -/+{o.Range * 100:0.##}%; design seed {o.Design.Seed}, " +
            $"{o.Design.Bootstrap} bootstrap resamples, {o.Design.ConfidenceLevel * 100:0.##}% intervals");
        if (result.InvalidPoints > 0)
        {
            sb.AppendLine(inv, $"{result.InvalidPoints} point(s) invalid and their base rows left out, e.g. {result.FirstInvalid}");
        }
        foreach (var output in result.Outputs)
        {
            sb.AppendLine();
            var e = output.Estimate;
            var dropped = e.DroppedRows > 0 ? $" ({e.DroppedRows} left out)" : "";
            sb.AppendLine(inv, $"{output.Output} ({output.Output.Unit}): standard deviation over the design {DesignOptions.Format(output.Output, Math.Sqrt(e.Variance))}, {e.BaseRows} base rows{dropped}");
            var rows = new List<string[]> { new[] { "rank", "parameter", "low", "high", "S1", "ST", "ST - S1", "note" } };
            foreach (var ((p, x), rank) in output.Rows.Select((r, i) => (r, i + 1)))
            {
                rows.Add(
                [
                    rank.ToString(inv), p.Path, p.Low.ToString("G6", inv), p.High.ToString("G6", inv),
                    WithInterval(x.S1, x.S1Conf), WithInterval(x.ST, x.STConf), Signed(x.Interactions), SobolAnalysis.Note(x),
                ]);
            }
            SummaryTable.AppendTable(sb, rows, leftColumns: 2);
            var sum = output.Rows.Sum(r => r.Index.S1);
            sb.AppendLine(inv, $"sum of S1 {sum:0.000}: {(sum < 0.9 ? $"about {Math.Max(0, 1 - sum) * 100:0}% of the variance comes from interactions" : "the parameters act mostly alone (additively)")}");
        }
        sb.AppendLine();
        sb.AppendLine("S1: the share of the output's variance a parameter explains alone (Saltelli 2010); ST: alone and with all its interactions (Jansen); " +
            "ST - S1: its interactions. -/+ is the 95% bootstrap interval (SALib's conf); a small negative S1 is zero plus noise");
        sb.AppendLine(inv, $"wide: an interval wider than -/+{SobolIndex.WideHalfWidth}, not resolved with this N (doubling --samples narrows it by about 1/sqrt 2)");
        var above = result.Outputs.Sum(x => x.Rows.Count(r => r.Index.S1AboveST));
        sb.AppendLine(above == 0
            ? "S1 <= ST within the intervals for every parameter"
            : string.Create(inv, $"{above} index pair(s) with S1 above ST beyond the intervals: the estimate needs a larger --samples"));
        return sb.ToString();
    }

    private static string WithInterval(double s, double conf) =>
        double.IsFinite(s) ? string.Create(CultureInfo.InvariantCulture, $"{s:0.000} -/+ {conf:0.000}") : "-";

    public static SobolChartSpec SobolBars(LoadedScenario scenario, SobolResult result, SobolOutput output)
    {
        var source = new ChartSource(scenario.Info.Name, scenario.Sha256, result.Seeds, "reference", SimulationRun.ProgramVersion, [])
        {
            SeedDescription = $"mean of {result.Seeds.Count} run(s) per point from base seed {result.Seeds[0].ToString(CultureInfo.InvariantCulture)}, " +
                $"design seed {result.Options.Design.Seed.ToString(CultureInfo.InvariantCulture)}",
        };
        return new SobolChartSpec
        {
            Title = $"{scenario.Info.Name}: what moves {output.Output} (Sobol indices, N = {result.Options.Design.Samples})",
            Subtitle = source.Subtitle,
            XLabel = $"share of the variance of {output.Output} (the top {Math.Min(SobolBarCount, output.Rows.Count)} by ST)",
            Bars = [.. output.Rows.Take(SobolBarCount).Select(r => new SobolBar(r.Parameter.Path, r.Index.S1, r.Index.S1Conf, r.Index.ST, r.Index.STConf))],
        };
    }

    private static string SobolSummary(LoadedScenario scenario, SobolResult result)
    {
        var o = result.Options;
        var json = DesignOptions.Header("sensitivity", scenario, result.Seeds, [.. result.Outputs.Select(x => x.Output)]);
        var details = new JsonObject
        {
            ["method"] = MethodSobol,
            ["runs"] = o.Runs,
            ["samples"] = o.Design.Samples,
            ["points"] = result.Points,
            ["invalid_points"] = result.InvalidPoints,
            ["design_seed"] = o.Design.Seed,
            ["design"] = "Saltelli: A, A_B^(1..k), B per base row; a Sobol sequence (Joe-Kuo directions) digitally shifted by the design seed",
            ["bootstrap"] = o.Design.Bootstrap,
            ["confidence_level"] = o.Design.ConfidenceLevel,
            ["parameters"] = new JsonArray([.. result.Parameters.Select(p => (JsonNode)new JsonObject
            {
                ["path"] = p.Path, ["base"] = p.BaseValue, ["low"] = p.Low, ["high"] = p.High, ["fit_bounds"] = p.FitBounds,
            })]),
            ["outputs"] = new JsonArray([.. result.Outputs.Select(output => (JsonNode)new JsonObject
            {
                ["spec"] = output.Output.Text,
                ["unit"] = output.Output.Unit,
                ["variance"] = DesignOptions.Number(output.Estimate.Variance),
                ["base_rows"] = output.Estimate.BaseRows,
                ["indices"] = new JsonArray([.. output.Rows.Select(r => (JsonNode)new JsonObject
                {
                    ["parameter"] = r.Parameter.Path,
                    ["S1"] = DesignOptions.Number(r.Index.S1),
                    ["S1_conf"] = DesignOptions.Number(r.Index.S1Conf),
                    ["ST"] = DesignOptions.Number(r.Index.ST),
                    ["ST_conf"] = DesignOptions.Number(r.Index.STConf),
                    ["note"] = SobolAnalysis.Note(r.Index),
                })]),
            })]),
        };
        foreach (var (key, value) in details.ToList())
        {
            details.Remove(key);
            json[key] = value;
        }
        return DesignOptions.Write(json);
    }

    private static int AtLeast(int value, int min, string option) =>
        value >= min ? value : throw new UsageException($"{option} must be at least {min} (got {value})");

    private static byte[] Utf8(string text) => new UTF8Encoding(false).GetBytes(text);

    public static string Report(LoadedScenario scenario, SensitivityResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        var o = result.Options;
        var sb = new StringBuilder();
        var analysed = result.Outputs[0].Rows.Count;
        sb.AppendLine(inv, $"Scenario {scenario.Info.Name}: {analysed} parameters one at a time (-/+{o.Step * 100:0.##}%, {result.OatPoints} points), " +
            $"each point the mean of {o.Runs} run(s) ({ChartSource.SeedText(result.Seeds)})");
        sb.AppendLine(result.MorrisParameters.Count == 0
            ? "Morris: not run (--morris-top 0)"
            : string.Create(inv, $"Morris: the top {result.MorrisParameters.Count} parameters by |elasticity|, {o.Trajectories} trajectories, {o.Levels} levels ({result.MorrisPoints} points), over -/+{o.MorrisRange * 100:0.##}% of each value or its fit bounds"));
        foreach (var output in result.Outputs)
        {
            sb.AppendLine();
            sb.AppendLine(inv, $"{output.Output} ({output.Output.Unit}): base {DesignOptions.Format(output.Output, output.Y0)}");
            var rows = new List<string[]> { new[] { "rank", "parameter", "base", "y -10%", "y +10%", "elasticity", "mu*", "sigma", "Morris rank" } };
            foreach (var r in output.Rows.Take(PrintedRows))
            {
                rows.Add(
                [
                    r.Rank.ToString(inv), r.Parameter.Path + (r.Note.StartsWith("one-sided", StringComparison.Ordinal) ? " (1-sided)" : ""),
                    r.Parameter.BaseValue.ToString("G6", inv),
                    DesignOptions.Format(output.Output, r.YMinus), DesignOptions.Format(output.Output, r.YPlus),
                    Signed(r.Elasticity), Plain(r.Morris?.MuStar), Plain(r.Morris?.Sigma), r.MorrisRank?.ToString(inv) ?? "",
                ]);
            }
            SummaryTable.AppendTable(sb, rows, leftColumns: 2);
            if (output.Rows.Count > PrintedRows)
            {
                sb.AppendLine(inv, $"... {output.Rows.Count - PrintedRows} more in sensitivity.csv");
            }
        }
        sb.AppendLine();
        sb.AppendLine("elasticity: (y+ - y-) / (2 x 0.1 x y0), the % change of the output per % change of the parameter; " +
            "mu*, sigma: mean |elementary effect| and its spread (Morris), in the same units");
        var oneSided = result.Outputs[0].Rows.Count(r => r.Note.StartsWith("one-sided", StringComparison.Ordinal));
        if (oneSided > 0)
        {
            sb.AppendLine(inv, $"{oneSided} parameter(s) one-sided: one side of -/+10% is outside their valid range (sensitivity.csv says which)");
        }
        var groups = result.Outputs[0].Rows.Count(r => r.Note.Contains("rescales", StringComparison.Ordinal));
        if (groups > 0)
        {
            sb.AppendLine(inv, $"{groups} share(s) move with the rest of their group rescaled in proportion, so the group still sums to 1");
        }
        if (result.Skipped.Count > 0)
        {
            var zero = result.Skipped.Where(s => s.Value == 0).Select(s => s.Path).ToList();
            var invalid = result.Skipped.Where(s => s.Value != 0).Select(s => s.Path).ToList();
            if (zero.Count > 0)
            {
                sb.AppendLine(inv, $"{zero.Count} parameter(s) skipped because their value is 0 (-/+{o.Step * 100:0.##}% of 0 is 0: no elasticity, so no Morris either): {Abbreviate(zero)}");
                var bounded = result.Skipped.Where(s => s.Value == 0 && s.FitBounds).Select(s => s.Path).ToList();
                if (bounded.Count > 0)
                {
                    sb.AppendLine(inv, $"{bounded.Count} of them with fit bounds can vary over those with --method sobol --params PATH,...: {Abbreviate(bounded)}");
                }
            }
            if (invalid.Count > 0)
            {
                sb.AppendLine(inv, $"{invalid.Count} parameter(s) skipped because neither side is valid: {Abbreviate(invalid)}");
            }
        }
        return sb.ToString();
    }

    private static string Abbreviate(IReadOnlyList<string> paths) =>
        paths.Count <= 6 ? string.Join(", ", paths) : $"{string.Join(", ", paths.Take(6))}, ... (sensitivity.csv lists all)";

    private static string Signed(double v) => double.IsFinite(v) ? v.ToString("+0.000;-0.000;0", CultureInfo.InvariantCulture) : "-";

    private static string Plain(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("0.000", CultureInfo.InvariantCulture) : "";

    public static TornadoSpec Tornado(LoadedScenario scenario, SensitivityResult result, OutputSensitivity output)
    {
        var source = new ChartSource(scenario.Info.Name, scenario.Sha256, result.Seeds, "reference", SimulationRun.ProgramVersion, [])
        {
            SeedDescription = result.Seeds.Count == 1
                ? $"seed {result.Seeds[0].ToString(CultureInfo.InvariantCulture)}"
                : $"mean of {result.Seeds.Count} runs per point from base seed {result.Seeds[0].ToString(CultureInfo.InvariantCulture)}",
        };
        var y0 = output.Y0;
        var step = (result.Options.Step * 100).ToString("0.##", CultureInfo.InvariantCulture);
        return new TornadoSpec
        {
            Title = $"{scenario.Info.Name}: what moves {output.Output} (each parameter -/+{step}%, one at a time)",
            Subtitle = source.Subtitle,
            XLabel = $"change in {output.Output} from its base {DesignOptions.Format(output.Output, y0)} {output.Output.Unit} (%)",
            Bars = [.. output.Rows.Where(r => double.IsFinite(r.Elasticity)).Take(TornadoBars)
                .Select(r => new TornadoBar(r.Parameter.Path, Percent(r.YMinus, y0), Percent(r.YPlus, y0)))],
            LowLabel = $"parameter -{step}%",
            HighLabel = $"parameter +{step}%",
        };
    }

    private static double Percent(double y, double y0) => y0 != 0 ? (y / y0 - 1) * 100 : double.NaN;

    private static string Summary(LoadedScenario scenario, SensitivityResult result)
    {
        var o = result.Options;
        var json = DesignOptions.Header("sensitivity", scenario, result.Seeds, [.. result.Outputs.Select(x => x.Output)]);
        var details = new JsonObject
        {
            ["runs"] = o.Runs,
            ["step"] = o.Step,
            ["morris"] = new JsonObject
            {
                ["trajectories"] = o.Trajectories,
                ["levels"] = o.Levels,
                ["range"] = o.MorrisRange,
                ["parameters"] = new JsonArray([.. result.MorrisParameters.Select(p => (JsonNode)new JsonObject
                {
                    ["path"] = p.Path, ["low"] = p.Low, ["high"] = p.High, ["fit_bounds"] = p.FitBounds,
                })]),
            },
            ["oat_points"] = result.OatPoints,
            ["morris_points"] = result.MorrisPoints,
            ["outputs"] = new JsonArray([.. result.Outputs.Select(output => (JsonNode)new JsonObject
            {
                ["spec"] = output.Output.Text,
                ["unit"] = output.Output.Unit,
                ["base"] = DesignOptions.Number(output.Y0),
                ["top"] = new JsonArray([.. output.Rows.Take(PrintedRows).Select(r => (JsonNode)new JsonObject
                {
                    ["rank"] = r.Rank,
                    ["parameter"] = r.Parameter.Path,
                    ["base"] = r.Parameter.BaseValue,
                    ["elasticity"] = DesignOptions.Number(r.Elasticity),
                    ["mu_star"] = DesignOptions.Number(r.Morris?.MuStar),
                    ["sigma"] = DesignOptions.Number(r.Morris?.Sigma),
                    ["morris_rank"] = r.MorrisRank,
                })]),
            })]),
            ["skipped"] = new JsonArray([.. result.Skipped.Select(s => (JsonNode)new JsonObject { ["path"] = s.Path, ["value"] = s.Value, ["reason"] = s.Reason })]),
        };
        foreach (var (key, value) in details.ToList())
        {
            details.Remove(key);
            json[key] = value;
        }
        return DesignOptions.Write(json);
    }
}
