using System.CommandLine;
using System.Globalization;
using System.Text;
using Simulation.Calibration;
using Simulation.Experiments;
using Simulation.Exports;

namespace Simulation.Cli.Commands;

public static class CalibrateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "The scenario file; numbers to fit are written {value: x, ..., fit: {min: a, max: b}}." };
        var seeds = new Option<int>("--seeds") { Description = "Common random numbers: seeds every evaluation averages over (one is enough where the seeds' spread is far below the series' sigma).", DefaultValueFactory = _ => 1 };
        var starts = new Option<int>("--starts") { Description = "Starts: seeded points in the bounds, each a global search (CMA-ES) and a polish (BFGS), restarted from its best with twice the population while that improves it.", DefaultValueFactory = _ => 3 };
        var fromFile = new Option<bool>("--from-file") { Description = "Make the first start the file's own values (a refit from where the file is) instead of a seeded point." };
        var restarts = new Option<int>("--restarts") { Description = "Restarts of each start at most (0: none).", DefaultValueFactory = _ => 2 };
        var iterations = new Option<int>("--max-iterations") { Description = "Iterations of the polish (BFGS) at the end of each start.", DefaultValueFactory = _ => 100 };
        var evaluations = new Option<int>("--max-evaluations") { Description = "Evaluations of each round's global search (CMA-ES) at most.", DefaultValueFactory = _ => 12000 };
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the fitted scenario (default: <file>.fitted.yaml beside it; for a file that extends another, a what-if extending it)." };
        var inPlace = new Option<bool>("--in-place") { Description = "Write the fitted values into the scenario file itself (its name unchanged; not for a file that extends another)." };
        var name = new Option<string?>("--name") { Description = "The fitted scenario's name (default: the scenario's name with -fitted, so its runs do not overwrite the original's output folder)." };
        var cluster = new ClusterOption();
        var command = new Command("calibrate", "Fit the scenario's fit: parameters to its targets and write the fitted values back.")
        {
            file, seeds, starts, fromFile, restarts, evaluations, iterations, output, inPlace, name,
        };
        cluster.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!.ToString();
            var clusterTarget = cluster.Target(parse);
            var options = new CalibrationOptions
            {
                Seeds = Positive(parse.GetValue(seeds), "--seeds"),
                Starts = Positive(parse.GetValue(starts), "--starts"),
                FromFile = parse.GetValue(fromFile),
                Restarts = NumericOptions.AtLeast(parse.GetValue(restarts), 0, "--restarts"),
                MaxIterationsPerStart = Positive(parse.GetValue(iterations), "--max-iterations"),
                MaxGlobalEvaluations = Positive(parse.GetValue(evaluations), "--max-evaluations"),
            };
            if (parse.GetValue(output) is not null && parse.GetValue(inPlace))
            {
                throw new UsageException("--out and --in-place cannot be used together");
            }
            if (parse.GetValue(name) is not null && parse.GetValue(inPlace))
            {
                throw new UsageException("--name and --in-place cannot be used together: --in-place keeps the scenario's name");
            }
            var target = parse.GetValue(inPlace) ? path : parse.GetValue(output)?.ToString() ?? DefaultOutput(path);
            OutputFolder.CheckFile(target);
            ScenarioText text;
            Calibrator calibrator;
            try
            {
                text = ScenarioText.Load(path);
                calibrator = new Calibrator(text, options);
            }
            catch (CalibrationInputException e)
            {
                throw new UsageException(e.Message);
            }
            if (text.Extends is not null && parse.GetValue(inPlace))
            {
                throw new UsageException(
                    $"--in-place: {path} extends {text.Extends}, so its numbers live in other files; " +
                    "calibrate writes a new what-if that extends it (default <file>.fitted.yaml, or --out FILE)");
            }
            var starting = text.Parameters.Select(p => p.Start).ToArray();
            var newName = parse.GetValue(name) ?? FittedName(text.Bind(starting).Info.Name);
            if (!parse.GetValue(inPlace))
            {
                CheckName(newName, text, target, starting);
            }
            // The cluster, connected before any work (one that cannot be used costs none); its silos evaluate the objective.
            await using var host = clusterTarget is null ? null : await Hosting.GrainHost.StartAsync(clusterTarget, _ => { }, stderr, ct);
            var cores = host?.Silos?.Cores ?? Environment.ProcessorCount;
            if (host?.Evaluator(options.Seeds) is { } evaluator)
            {
                calibrator = new Calibrator(text, options, evaluator);
            }
            await stderr.WriteLineAsync($"Fitting {text.Parameters.Count} parameters to the targets of {path}, averaging over seeds {string.Join(", ", calibrator.Seeds)}" +
                (clusterTarget is null ? "" : $", on the {host!.Silos!.Count} silo(s) of {clusterTarget}, {cores} cores") + " ...");
            var evaluation = calibrator.EstimateEvaluation();
            // A start makes about 15,000 to 35,000 evaluations on the baseline with its restarts (measured); a generation's points share the cores.
            var perEvaluation = evaluation.PerCell * options.Seeds / cores;
            if (perEvaluation * options.Starts * 15000 >= Estimate.WorthSaying)
            {
                await stderr.WriteLineAsync(
                    $"estimate: an evaluation ({options.Seeds} seed{(options.Seeds == 1 ? "" : "s")}) takes about {Estimate.Duration(evaluation.PerCell * options.Seeds)} of one core; a start with its restarts usually takes 15,000 to 35,000 evaluations, " +
                    $"so {options.Starts} start(s) on {cores} cores about {Estimate.Duration(perEvaluation * options.Starts * 15000)} to {Estimate.Duration(perEvaluation * options.Starts * 35000)}; " +
                    "Ctrl+C stops and writes the best point so far" + Estimates.DebugNote);
            }
            var lastReport = 0;
            var progress = new SaidProgress<CalibrationProgress>(p =>
            {
                if (p.Evaluations - lastReport >= 100)
                {
                    lastReport = p.Evaluations;
                    stderr.WriteLine($"  start {p.Start}/{p.Starts}: its best {p.StartBest:G4}; {p.Evaluations} evaluations in all, best objective {p.Best:G4}");
                }
            });
            var result = await Task.Run(() => calibrator.Run(progress, ct), CancellationToken.None);

            var note = $"sim calibrate {path} --seeds {options.Seeds} --starts {options.Starts} ({DateTime.UtcNow:yyyy-MM-dd})" +
                       (result.Interrupted ? $", interrupted after {result.Evaluations} evaluations" : "");
            string fitted;
            if (text.Extends is not null)
            {
                fitted = text.FittedWhatIf(result.Values, note, newName, target);
            }
            else
            {
                fitted = text.WithFitted(result.Values, note);
                if (!parse.GetValue(inPlace))
                {
                    fitted = ScenarioText.Renamed(fitted, newName);
                }
            }
            AtomicFile.Write(target, fitted);
            await stdout.WriteAsync(Report(result));
            await stdout.WriteLineAsync($"Wrote the fitted values to {target}{(result.Interrupted ? " (interrupted: best point so far)" : "")}");
            return result.Interrupted ? ExitCodes.Cancelled : ExitCodes.Success;
        });
        return command;
    }

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new UsageException($"{option} must be a positive whole number, got {value}");

    /// <summary>The default name of a fitted copy: the scenario's with -fitted (cut to the 64 characters a name may have).</summary>
    private static string FittedName(string name) => name.Length + 7 <= 64 ? name + "-fitted" : name[..57] + "-fitted";

    /// <summary>The new name must be one the loader accepts; checked by loading the renamed text, before any work.</summary>
    /// <remarks>A what-if that extends another is checked as the fitted what-if it will write (at its starting values).</remarks>
    private static void CheckName(string newName, ScenarioText text, string target, double[] starting)
    {
        try
        {
            if (text.Extends is not null)
            {
                Simulation.Scenarios.ScenarioLoader.Parse(text.FittedWhatIf(starting, "check", newName, target), target, seedsDirectory: text.SeedsDirectory);
            }
            else
            {
                Simulation.Scenarios.ScenarioLoader.Parse(ScenarioText.Renamed(text.Text, newName), text.File, seedsDirectory: text.SeedsDirectory);
            }
        }
        catch (Simulation.Scenarios.Yaml.ScenarioException e)
        {
            throw new UsageException($"--name {newName}: {e.Message}");
        }
    }

    private static string DefaultOutput(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? ".", Path.GetFileNameWithoutExtension(path) + ".fitted.yaml");

    public static string Report(CalibrationResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Objective (-2 ln posterior up to a constant: the fitted targets by their series' error models, plus the priors; mean over seeds): {result.Objective:G4} after {result.Evaluations} evaluations");
        sb.Append(TargetTable.Render(result.Targets, result.Parameters.Count));
        sb.AppendLine("Parameters:");
        var identified = result.Identification.ToDictionary(i => i.Parameter.Path);
        var rows = new List<string[]> { new[] { "parameter", "line", "was", "fitted", "min", "max", "at bound", "curvature", "profile -5%", "profile +5%", "reproduced" } };
        for (var i = 0; i < result.Parameters.Count; i++)
        {
            var p = result.Parameters[i];
            var id = identified.GetValueOrDefault(p.Path);
            var reproduced = Math.Abs(result.Values[i] - p.Start) <= 0.01 * p.Range;
            rows.Add(
            [
                p.Path, p.Line.ToString(inv), G(p.Start), G(result.Values[i]), G(p.Min), G(p.Max),
                id is null ? "-" : id.AtBound ? "YES" : "no",
                id is null ? "-" : id.Curvature.ToString("G3", inv),
                id is null ? "-" : id.ProfileDown.ToString("+0.###E0;-0.###E0;0", inv),
                id is null ? "-" : id.ProfileUp.ToString("+0.###E0;-0.###E0;0", inv),
                reproduced ? "yes" : "no",
            ]);
        }
        SummaryTable.AppendTable(sb, rows, leftColumns: 1);
        if (result.Eigenvalues.Count > 0)
        {
            var min = result.Eigenvalues[0];
            var max = result.Eigenvalues[^1];
            sb.AppendLine(inv, $"Hessian eigenvalues (range units): {string.Join(", ", result.Eigenvalues.Select(e => e.ToString("G3", inv)))}");
            sb.AppendLine(min <= 1e-3 * Math.Abs(max)
                ? "Warning: the smallest eigenvalue is near zero: some combination of parameters is not pinned by the targets (weakly identified)."
                : "Every direction is curved: the targets pin the fitted parameters (locally).");
        }
        AppendStarts(sb, result.Starts);
        sb.AppendLine("'reproduced': the fitted value is within 1% of its range of the value the file had.");
        return sb.ToString();
    }

    /// <summary>
    /// One line per start (where it began, where it ended, how and after how many evaluations), then the best
    /// start and how many starts ended within 1 % of its objective.
    /// </summary>
    private static void AppendStarts(StringBuilder sb, IReadOnlyList<StartResult> starts)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"Starts ({starts.Count}; parameters in the table's order):");
        for (var i = 0; i < starts.Count; i++)
        {
            var s = starts[i];
            var from = s.Seeded ? $"seeded point {List(s.From)}" : $"the file's values {List(s.From)}";
            var to = double.IsFinite(s.Objective) ? $"objective {s.Objective.ToString("G4", inv)} at {List(s.To)}" : "no evaluation";
            var how = s.Ended switch
            {
                StartEnd.Converged => "converged",
                StartEnd.IterationLimit => "evaluation limit",
                _ => "interrupted",
            };
            var rounds = s.Rounds == 1 ? "one round" : $"{s.Rounds} rounds";
            sb.AppendLine(inv, $"  start {i + 1}: from {from} -> {to}; {how} after {rounds}, {s.Generations} generations, {s.Evaluations} evaluations");
        }
        var ended = starts.Select((s, i) => (s, i)).Where(x => double.IsFinite(x.s.Objective)).ToList();
        if (ended.Count == 0)
        {
            return;
        }
        var (best, index) = ended.MinBy(x => x.s.Objective);
        var within = ended.Count(x => x.s.Objective <= best.Objective + 0.01 * Math.Abs(best.Objective));
        sb.AppendLine(inv, $"Best: start {index + 1} (objective {best.Objective.ToString("G4", inv)}); {within} of {starts.Count} starts ended within 1 % of its objective.");
    }

    private static string List(IReadOnlyList<double> values) =>
        "[" + string.Join(", ", values.Select(v => v.ToString("G4", CultureInfo.InvariantCulture))) + "]";

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
