using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simulation.Calibration;
using Simulation.Calibration.Posterior;
using Simulation.Cli.Engines;
using Simulation.Experiments;
using Simulation.Exports;
using Simulation.Exports.Charts;

namespace Simulation.Cli.Commands;

/// <summary>
/// <c>sim backtest FILE --fit-until yyyy-MM</c>: refits the scenario on the targets dated up to a month (the posterior
/// mode, then the posterior from it), plays replicates with posterior draws and seeds, and scores each held-back figure
/// (dated after the month, up to the scenario's fitUntil) against the replicates' 50 % and 90 % bands.
/// </summary>
public static class BacktestCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "The scenario file; its fit: numbers are refitted, its targets in a series up to --fit-until are the data." };
        var fitUntil = new Option<string>("--fit-until") { Description = "The last month (yyyy-MM) the refit may use; targets with a figure after it, up to the scenario's fitUntil, are predicted and scored.", Required = true, HelpName = "yyyy-MM" };
        var starts = new Option<int>("--starts") { Description = "Starts of the refit: seeded points in the bounds (never the file's values, which were fitted on the held-back figures too).", DefaultValueFactory = _ => 2 };
        var iterations = new Option<int>("--max-iterations") { Description = "Iterations of the polish (BFGS) at the end of each start.", DefaultValueFactory = _ => 25 };
        var evaluations = new Option<int>("--max-evaluations") { Description = "Evaluations of each start's global search (CMA-ES) at most: fewer than sim calibrate's 12000, since the mode only starts the posterior's chains.", DefaultValueFactory = _ => 6000 };
        var runs = new Option<int>("--runs") { Description = "Replicates played on: replicate i plays posterior draw i (evenly spaced through the draws) and seed i.", DefaultValueFactory = _ => 200 };
        var sampling = new PosteriorOptionSet(new PosteriorOptions { Chains = 4, Warmup = 1000, Draws = 500, Thin = 1 });
        var seeds = new Option<int>("--seeds") { Description = "Common random numbers: seeds each evaluation of the refit and the posterior averages over.", DefaultValueFactory = _ => 1 };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default: out/<scenario-name>-backtest-<yyyy-MM>)." };
        var noCharts = new Option<bool>("--no-charts") { Description = "Do not draw the backtest chart (PNG and SVG) into charts/." };
        var cluster = new ClusterOption();
        var command = new Command("backtest", "Refit the scenario on its targets up to a month, play on with posterior draws and seeds, and score the held-back figures against the bands.")
        {
            file, fitUntil, starts, evaluations, iterations, runs, seeds, outDir, noCharts,
        };
        cluster.AddTo(command);
        foreach (var option in sampling.All)
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!.ToString();
            var clusterTarget = cluster.Target(parse);
            var calibration = new CalibrationOptions
            {
                Starts = NumericOptions.AtLeast(parse.GetValue(starts), 1, "--starts"),
                Seeds = NumericOptions.AtLeast(parse.GetValue(seeds), 1, "--seeds"),
                MaxIterationsPerStart = NumericOptions.AtLeast(parse.GetValue(iterations), 1, "--max-iterations"),
                MaxGlobalEvaluations = NumericOptions.AtLeast(parse.GetValue(evaluations), 1, "--max-evaluations"),
            };
            var posterior = sampling.Read(parse, calibration.Seeds);
            var replicates = NumericOptions.AtLeast(parse.GetValue(runs), 2, "--runs");
            var charts = !parse.GetValue(noCharts);
            if (!File.Exists(path))
            {
                throw new UsageException(Directory.Exists(path) ? $"{path}: is a folder, not a scenario file" : $"{path}: file not found");
            }
            BacktestPlan plan;
            try
            {
                plan = BacktestPlan.Prepare(ScenarioText.Load(path), parse.GetValue(fitUntil)!);
            }
            catch (CalibrationInputException e)
            {
                throw new UsageException(e.Message);
            }
            var target = parse.GetValue(outDir)?.ToString() ?? Path.Combine("out", plan.Name);
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
            // The cluster, connected before any work (one that cannot be used costs none): its silos evaluate the refit's
            // objective and the posterior's density; the runs played on afterwards stay in this process.
            await using var host = clusterTarget is null ? null : await Hosting.GrainHost.StartAsync(clusterTarget, _ => { }, stderr, ct);
            var evaluator = host?.Evaluator(calibration.Seeds);
            var total = Stopwatch.StartNew();

            // 1. The refit: the posterior mode on the targets up to the month.
            var calibrator = new Calibrator(plan.Text, calibration, evaluator);
            await stderr.WriteLineAsync(
                $"Backtest of {path} fitted until {plan.MonthText}: {plan.Fitted.Count} target(s) in a series up to it, {plan.HeldBack.Count} figure(s) held back " +
                $"to {plan.WindowEnd.ToString("yyyy-MM", Inv)}; fitting {plan.Text.Parameters.Count} parameters from {calibration.Starts} start(s) ...");
            var clock = Stopwatch.StartNew();
            var lastReport = 0;
            var fitProgress = new SaidProgress<CalibrationProgress>(p =>
            {
                if (p.Evaluations - lastReport >= 500)
                {
                    lastReport = p.Evaluations;
                    stderr.WriteLine($"  fit: {p.Evaluations:N0} evaluations, best objective {p.Best:G4}");
                }
            });
            var fit = await Task.Run(() => calibrator.Run(fitProgress, ct), CancellationToken.None);
            if (fit.Interrupted)
            {
                throw new OperationCanceledException(ct);
            }
            await stderr.WriteLineAsync($"fit: {fit.Evaluations:N0} evaluations in {Seconds(clock.Elapsed)}; objective {fit.Objective.ToString("G4", Inv)}");

            // 2. The posterior from the mode.
            var sampler = new PosteriorSampler(plan.Text.StartingAt(fit.Values), posterior, evaluator);
            var steps = sampler.Steps;
            await stderr.WriteLineAsync($"posterior: {PosteriorOptionSet.Describe(posterior)}, from the mode ({steps:N0} steps) ...");
            clock.Restart();
            var lastStep = 0;
            var postProgress = new SaidProgress<PosteriorProgress>(p =>
            {
                if (p.Steps - lastStep >= p.Total / 10)
                {
                    lastStep = p.Steps;
                    stderr.WriteLine($"  posterior: {p.Steps:N0} of {p.Total:N0} steps");
                }
            });
            var drawn = await Task.Run(() => sampler.Run(postProgress, ct), CancellationToken.None);
            await stderr.WriteLineAsync($"posterior: {drawn.Evaluations:N0} evaluations in {Seconds(clock.Elapsed)}");

            // 3. Play on, with draw i and seed i.
            clock.Restart();
            await stderr.WriteLineAsync($"playing {replicates:N0} runs over the whole horizon (posterior draw i and seed i) ...");
            var (score, cancelled) = await ProgressBar.RunAsync($"{replicates} runs", true, progress =>
                Backtest.PlayAsync(plan, fit.Values, drawn.Draws, replicates, Environment.ProcessorCount, progress, ct));
            if (cancelled)
            {
                throw new OperationCanceledException(ct);
            }
            await stderr.WriteLineAsync($"play: {replicates:N0} runs in {Seconds(clock.Elapsed)}");

            // 4. Score, print and write.
            var report = PosteriorCommand.Report($"{path} fitted until {plan.MonthText}", drawn, timings: false);
            var table = Table(plan, score, replicates, path);
            var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
            {
                ["backtest.csv"] = Utf8(Csv(score)),
                ["backtest.json"] = Utf8(Json(plan, path, sha256, fit, drawn, score, calibration, calibrator.Seeds, posterior, replicates)),
                ["backtest.txt"] = Utf8(Mode(plan, fit) + "\n" + table),
                ["posterior.txt"] = Utf8(report),
                ["posterior-draws.csv"] = Utf8(drawn.Draws.ToCsv()),
            };
            if (charts)
            {
                var chart = BacktestChart.Render(ChartSpec(plan, sha256, drawn, score, replicates));
                files["charts/backtest.png"] = chart.Png;
                files["charts/backtest.svg"] = chart.SvgBytes;
            }
            using (var staged = new StagedDirectory(target) { Warnings = stderr })
            {
                foreach (var (name, bytes) in files)
                {
                    staged.WriteBytes(name, bytes);
                }
                staged.Commit();
            }
            await stdout.WriteLineAsync(Mode(plan, fit));
            await stdout.WriteLineAsync(report);
            await stdout.WriteAsync(table);
            await stdout.WriteLineAsync($"Wrote {string.Join(", ", files.Keys.Where(k => !k.StartsWith("charts/", StringComparison.Ordinal)))}{(charts ? " and charts/backtest (PNG and SVG)" : "")} to {target}");
            await stderr.WriteLineAsync($"backtest: {Seconds(total.Elapsed)} in all");
            return ExitCodes.Success;
        });
        return command;
    }


    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", Inv) + " s";

    private static byte[] Utf8(string text) => new UTF8Encoding(false).GetBytes(text);

    /// <summary>The refit's mode against the file's values.</summary>
    public static string Mode(BacktestPlan plan, CalibrationResult fit)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Inv, $"Mode of the fit until {plan.MonthText} ({plan.Fitted.Count} target(s) in a series: {string.Join(", ", plan.Fitted.Select(t => t.Id))}); objective {fit.Objective.ToString("G4", Inv)}");
        var modeRows = new List<string[]> { new[] { "parameter", "file", "fit until " + plan.MonthText } };
        for (var i = 0; i < fit.Parameters.Count; i++)
        {
            modeRows.Add([fit.Parameters[i].Path, G(plan.Original.Parameters[i].Start), G(fit.Values[i])]);
        }
        SummaryTable.AppendTable(sb, modeRows, leftColumns: 1);
        return sb.ToString();
    }

    /// <summary>The scored points, then the summary and what was not scored.</summary>
    public static string Table(BacktestPlan plan, BacktestScore score, int runs, string path)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Inv,
            $"Backtest of {plan.OriginalInfo.Name} ({path}) fitted until {plan.MonthText}: {score.Count} held-back figure(s) dated after it up to " +
            $"{plan.WindowEnd.ToString("yyyy-MM", Inv)} ({(plan.WindowIsFitUntil ? "the scenario's fitUntil" : "the scenario's end")}); " +
            $"{runs:N0} runs, run i with posterior draw i and seed i");
        var rows = new List<string[]> { new[] { "target", "kind", "month", "observed", "median", "error", "50 % band", "90 % band", "in 50 %", "in 90 %" } };
        foreach (var p in score.Points)
        {
            rows.Add(
            [
                p.Target.Id, BacktestPlan.KindName(p.Target.Kind), p.Target.Month.ToString("yyyy-MM", Inv),
                (p.Target.Kind == Simulation.Model.Config.TargetKind.AppWeeklyAtLeast ? ">= " : "") + Number(p.Observed),
                Number(p.Median), Error(p.Error),
                Band(p.P25, p.P75), Band(p.P5, p.P95),
                p.Inside50 ? "yes" : "no", p.Inside90 ? "yes" : "no",
            ]);
        }
        SummaryTable.AppendTable(sb, rows, leftColumns: 3);
        sb.AppendLine(Inv,
            $"Median absolute error of the median: {Abs(score.MedianAbsoluteError)}; inside the 50 % band: {score.Inside50} of {score.Count}; inside the 90 % band: {score.Inside90} of {score.Count}");
        if (score.Points.Any(p => p.Target.Kind == Simulation.Model.Config.TargetKind.AppWeeklyAtLeast))
        {
            sb.AppendLine("A lower bound (>=) is scored as the figure it names.");
        }
        if (score.Points.FirstOrDefault(p => p.Runs < runs) is not null)
        {
            sb.AppendLine(Inv, $"Some runs lack a figure: {string.Join(", ", score.Points.Where(p => p.Runs < runs).Select(p => $"{p.Target.Id} ({p.Runs} of {runs})"))}; the bands are of those that have it.");
        }
        if (plan.NotScored.Count > 0)
        {
            sb.AppendLine(Inv, $"Not scored (rankings and yes/no, in the held-back months): {string.Join(", ", plan.NotScored.Select(t => t.Id))}");
        }
        return sb.ToString();
    }

    /// <summary>backtest.csv: one row per held-back figure.</summary>
    public static string Csv(BacktestScore score)
    {
        var sb = new StringBuilder("target,kind,month,series,observed,runs,p5,p25,p50,p75,p95,error_p50,inside_50,inside_90\n");
        foreach (var p in score.Points)
        {
            sb.AppendJoin(',',
                Field(p.Target.Id), BacktestPlan.KindName(p.Target.Kind), p.Target.Month.ToString("yyyy-MM", Inv), Field(p.Target.Series ?? ""),
                R(p.Observed), p.Runs.ToString(Inv), R(p.P5), R(p.P25), R(p.Median), R(p.P75), R(p.P95), R(p.Error),
                p.Inside50 ? "true" : "false", p.Inside90 ? "true" : "false");
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string Json(BacktestPlan plan, string path, string sha256, CalibrationResult fit, PosteriorResult drawn, BacktestScore score,
        CalibrationOptions calibration, IReadOnlyList<ulong> fitSeeds, PosteriorOptions posterior, int runs)
    {
        var worst = drawn.Parameters.MaxBy(p => p.RHat)!;
        var json = new JsonObject
        {
            ["command"] = "backtest",
            ["scenario"] = plan.OriginalInfo.Name,
            ["scenario_file"] = path.Replace('\\', '/'),
            ["scenario_sha256"] = sha256,
            ["backtest_scenario"] = plan.Name,
            ["fit_until"] = plan.MonthText,
            ["held_back_until"] = plan.WindowEnd.ToString("yyyy-MM", Inv),
            ["held_back_until_is"] = plan.WindowIsFitUntil ? "fitUntil" : "end",
            ["program_version"] = SimulationRun.ProgramVersion,
            ["fitted_targets"] = new JsonArray([.. plan.Fitted.Select(t => (JsonNode)t.Id)]),
            ["fit"] = new JsonObject
            {
                ["starts"] = calibration.Starts,
                ["max_iterations"] = calibration.MaxIterationsPerStart,
                ["max_evaluations"] = calibration.MaxGlobalEvaluations,
                ["seeds"] = new JsonArray([.. fitSeeds.Select(s => (JsonNode)s)]),
                ["objective"] = JsonNumber(fit.Objective),
                ["evaluations"] = fit.Evaluations,
                ["mode"] = new JsonObject([.. fit.Parameters.Select((p, i) => KeyValuePair.Create(p.Path, (JsonNode?)fit.Values[i]))]),
            },
            ["posterior"] = new JsonObject
            {
                ["key"] = drawn.Draws.Key,
                ["chains"] = posterior.Chains,
                ["warmup"] = posterior.Warmup,
                ["draws_per_chain"] = posterior.Draws,
                ["thin"] = posterior.Thin,
                ["draws"] = drawn.Draws.Count,
                ["max_rhat"] = JsonNumber(worst.RHat),
                ["max_rhat_parameter"] = worst.Path,
                ["converged"] = drawn.Converged(),
            },
            ["runs"] = runs,
            ["base_seed"] = plan.Text.Bind(fit.Values).Info.Seed,
            ["seed_rule"] = Seeds.Rule,
            ["draw_rule"] = ReplicateUncertainty.DrawRule,
            ["bands"] = "quantiles (type 7) of the runs' figures: 50 % = 25th to 75th, 90 % = 5th to 95th; inside means within them, inclusive",
            ["points"] = new JsonArray([.. score.Points.Select(p => (JsonNode)new JsonObject
            {
                ["target"] = p.Target.Id,
                ["kind"] = BacktestPlan.KindName(p.Target.Kind),
                ["month"] = p.Target.Month.ToString("yyyy-MM", Inv),
                ["series"] = p.Target.Series,
                ["source"] = p.Target.Source,
                ["observed"] = p.Observed,
                ["runs"] = p.Runs,
                ["p5"] = JsonNumber(p.P5),
                ["p25"] = JsonNumber(p.P25),
                ["p50"] = JsonNumber(p.Median),
                ["p75"] = JsonNumber(p.P75),
                ["p95"] = JsonNumber(p.P95),
                ["error_p50"] = JsonNumber(p.Error),
                ["inside_50"] = p.Inside50,
                ["inside_90"] = p.Inside90,
            })]),
            ["summary"] = new JsonObject
            {
                ["points"] = score.Count,
                ["median_abs_error"] = JsonNumber(score.MedianAbsoluteError),
                ["inside_50"] = score.Inside50,
                ["inside_90"] = score.Inside90,
                ["inside_50_text"] = $"{score.Inside50} of {score.Count}",
                ["inside_90_text"] = $"{score.Inside90} of {score.Count}",
            },
            ["not_scored"] = new JsonArray([.. plan.NotScored.Select(t => (JsonNode)new JsonObject { ["target"] = t.Id, ["kind"] = BacktestPlan.KindName(t.Kind), ["month"] = t.Month.ToString("yyyy-MM", Inv) })]),
        };
        var options = new JsonSerializerOptions { WriteIndented = true, IndentSize = 2, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return json.ToJsonString(options) + "\n";
    }

    /// <summary>A number for JSON: null where it is not finite (JSON has no NaN).</summary>
    private static JsonNode? JsonNumber(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static BacktestChartSpec ChartSpec(BacktestPlan plan, string sha256, PosteriorResult drawn, BacktestScore score, int runs) => new()
    {
        Title = $"{plan.OriginalInfo.Name} fitted until {plan.MonthText}: held-back figures against the runs' bands ({score.Inside90} of {score.Count} inside 90 %)",
        Subtitle = $"scenario {plan.OriginalInfo.Name} (sha256 {sha256[..Math.Min(12, sha256.Length)]}), {runs} runs: posterior draw i ({drawn.Draws.Count} draws, key {drawn.Draws.Key}) and seed i, sim {SimulationRun.ProgramVersion}",
        Points = [.. score.Points.Select(p => new BacktestChartPoint($"{p.Target.Id}", p.Observed, p.P5, p.P25, p.Median, p.P75, p.P95))],
        Height = Math.Max(500, 160 + 40 * score.Count),
    };

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;

    private static string R(double value) => double.IsFinite(value) ? value.ToString("R", Inv) : "";

    private static string G(double value) => value.ToString("G6", Inv);

    /// <summary>Figures as the table shows them: 79.14M, 1.20B, 12,345, 0.3451.</summary>
    private static string Number(double v) => !double.IsFinite(v) ? "-" : Math.Abs(v) switch
    {
        >= 1e9 => (v / 1e9).ToString("0.00", Inv) + "B",
        >= 1e6 => (v / 1e6).ToString("0.00", Inv) + "M",
        >= 1e3 => v.ToString("#,0", Inv),
        _ => v.ToString("0.####", Inv),
    };

    private static string Band(double low, double high) => $"{Number(low)}–{Number(high)}";

    private static string Error(double e) => double.IsFinite(e) ? e.ToString("+0.0%;-0.0%;0.0%", Inv) : "-";

    private static string Abs(double e) => double.IsFinite(e) ? e.ToString("0.0%", Inv) : "-";
}
