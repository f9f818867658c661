using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Simulation.Experiments;
using Simulation.Scenarios;

namespace Simulation.Calibration.Sensitivity;

public sealed record SensitivityOptions
{
    /// <summary>Replicates per point (common random numbers: the same seeds at every point).</summary>
    public int Runs { get; init; } = 4;
    public int Parallel { get; init; } = Environment.ProcessorCount;
    /// <summary>Where the replicates are played (default: the reference loop in process).</summary>
    public IReplicateRunner? Engine { get; init; }
    /// <summary>The one-at-a-time step: each parameter is moved by -Step and +Step of its value.</summary>
    public double Step { get; init; } = 0.1;
    /// <summary>Morris varies a parameter over value x (1 -/+ Range), or over its fit bounds when the scenario gives them.</summary>
    public double MorrisRange { get; init; } = 0.2;
    public int Trajectories { get; init; } = 10;
    public int Levels { get; init; } = 4;
    /// <summary>Morris screens this many parameters, the top ones by |elasticity|; 0 skips Morris.</summary>
    public int MorrisTop { get; init; } = 20;
    /// <summary>The parameters to analyse (paths); null for every number of the scenario.</summary>
    public IReadOnlyList<string>? Parameters { get; init; }
}

/// <summary>A parameter of the analysis, and the range Morris gives it.</summary>
public sealed record SensitivityParameter(string Path, double BaseValue, double Low, double High, bool FitBounds);

/// <summary>A parameter left out of the analysis, and why.</summary>
public sealed record SkippedParameter(string Path, double Value, string Reason)
{
    /// <summary>The scenario gives it fit bounds (a value of 0 left out one at a time, which --method sobol can vary over them).</summary>
    public bool FitBounds { get; init; }
}

/// <summary>A parameter's effect on one output: one at a time (x -/+ step) and, if screened, Morris.</summary>
public sealed record SensitivityRow
{
    public required SensitivityParameter Parameter { get; init; }
    public required double XMinus { get; init; }
    public required double XPlus { get; init; }
    public required double YMinus { get; init; }
    public required double YPlus { get; init; }
    /// <summary>(y+ - y-) / y0 over (x+ - x-) / x0: with a symmetric step, (y+ - y-) / (2 step y0).</summary>
    public required double Elasticity { get; init; }
    /// <summary>1 for the largest |elasticity|.</summary>
    public required int Rank { get; init; }
    public MorrisEffect? Morris { get; init; }
    /// <summary>1 for the largest mu*; null if not screened.</summary>
    public int? MorrisRank { get; init; }
    public string Note { get; init; } = "";
}

/// <summary>The ranking of the parameters for one output.</summary>
public sealed record OutputSensitivity(OutputSpec Output, double Y0, IReadOnlyList<SensitivityRow> Rows);

public sealed record SensitivityResult
{
    public required IReadOnlyList<ulong> Seeds { get; init; }
    public required SensitivityOptions Options { get; init; }
    public required IReadOnlyList<OutputSensitivity> Outputs { get; init; }
    public required IReadOnlyList<SkippedParameter> Skipped { get; init; }
    /// <summary>The parameters Morris screened, in the order of the design's factors.</summary>
    public required IReadOnlyList<SensitivityParameter> MorrisParameters { get; init; }
    /// <summary>Points played one at a time (the base and two per parameter, less the invalid ones) and by Morris.</summary>
    public required int OatPoints { get; init; }
    public required int MorrisPoints { get; init; }
}

/// <summary>
/// One-at-a-time elasticities and Morris screening of a scenario's parameters for some outputs.
/// Each point is the mean of <see cref="SensitivityOptions.Runs"/> replicates on common random numbers
/// (<see cref="PointEvaluator"/>). One at a time: every parameter moved by -10% and +10% of its value
/// (the others at base); a side the scenario's validation refuses (a probability above 1, say) is left at
/// base, so the elasticity is one-sided; a parameter whose value is 0 cannot be moved by a percentage and is
/// skipped. Shares that must sum to 1 keep doing so (<see cref="ParameterChanges"/>). Morris: the top
/// parameters by |elasticity| over x (1 -/+ 20%) or their fit bounds; elementary effects are reported in
/// elasticity units, (dy / y0) / (dx / x0), so mu* compares with |elasticity|.
/// </summary>
public sealed class SensitivityAnalysis(LoadedScenario scenario, IReadOnlyList<OutputSpec> outputs, SensitivityOptions options)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Points <see cref="Run"/> will play at most: the base, two per parameter, and the Morris trajectories' points.</summary>
    public int PlannedPoints()
    {
        var (parameters, _) = Select(scenario, new ParameterChanges(ScenarioOverrides.NumericPaths(scenario)), options);
        var morris = Math.Min(options.MorrisTop, parameters.Count);
        return 1 + 2 * parameters.Count + (morris == 0 ? 0 : options.Trajectories * (morris + 1));
    }

    public SensitivityResult Run(IProgress<ExperimentProgress>? progress = null, CancellationToken ct = default)
    {
        var evaluator = new PointEvaluator(scenario, outputs, options.Runs, options.Parallel, options.Engine);
        var (parameters, skipped) = Select(scenario, evaluator.Changes, options);

        // One at a time: the base, then each parameter's -step and +step.
        var points = new List<IReadOnlyList<ParameterValue>> { Array.Empty<ParameterValue>() };
        foreach (var p in parameters)
        {
            points.Add([new ParameterValue(p.Path, p.BaseValue * (1 - options.Step))]);
            points.Add([new ParameterValue(p.Path, p.BaseValue * (1 + options.Step))]);
        }
        var bound = evaluator.Bind(points, ct);
        if (bound[0].Error is { } baseError)
        {
            throw new InvalidOperationException($"the base scenario does not bind: {baseError}");
        }
        var oat = evaluator.Evaluate(points, bound, "one at a time", progress, ct);

        var kept = new List<(SensitivityParameter Parameter, PointOutcome Minus, PointOutcome Plus, string Note)>();
        for (var i = 0; i < parameters.Count; i++)
        {
            var (minus, plus) = (oat[1 + 2 * i], oat[2 + 2 * i]);
            if (!minus.Valid && !plus.Valid)
            {
                skipped.Add(new SkippedParameter(parameters[i].Path, parameters[i].BaseValue, $"neither -/+{Percent(options.Step)} is valid: {plus.Error}"));
                continue;
            }
            var note = !minus.Valid ? $"one-sided: -{Percent(options.Step)} is invalid ({minus.Error})"
                : !plus.Valid ? $"one-sided: +{Percent(options.Step)} is invalid ({plus.Error})"
                : "";
            var group = evaluator.Changes.Group(parameters[i].Path);
            if (group.Count > 1)
            {
                note = Join(note, $"rescales {string.Join(", ", group.Where(g => g != parameters[i].Path).Select(Last))} to keep the shares summing to 1");
            }
            var parameter = parameters[i];
            // Morris stays on the valid side of a one-sided parameter.
            parameter = !minus.Valid && !parameter.FitBounds ? parameter with { Low = parameter.BaseValue }
                : !plus.Valid && !parameter.FitBounds ? parameter with { High = parameter.BaseValue }
                : parameter;
            kept.Add((parameter, minus, plus, note));
        }

        var baseOutcome = oat[0];
        var perOutput = outputs.Select((output, o) => Elasticities(o, baseOutcome, kept)).ToList();

        // Morris on the top parameters by |elasticity| (the largest over the outputs).
        var morrisParameters = kept
            .Select((k, i) => (k.Parameter, Key: perOutput.Max(rows => Magnitude(rows[i].Elasticity))))
            .OrderByDescending(x => x.Key).ThenBy(x => x.Parameter.Path, StringComparer.Ordinal)
            .Take(options.MorrisTop)
            .Select(x => x.Parameter)
            .ToList();
        var effects = new Dictionary<(int Output, string Path), MorrisEffect>();
        var morrisPoints = 0;
        if (morrisParameters.Count > 0)
        {
            var design = Morris.Design(morrisParameters.Count, options.Trajectories, options.Levels, scenario.Info.Seed);
            var morrisPointList = design.SelectMany(t => t.Points)
                .Select(u => (IReadOnlyList<ParameterValue>)[.. morrisParameters.Select((p, i) => new ParameterValue(p.Path, p.Low + u[i] * (p.High - p.Low)))])
                .ToList();
            var outcomes = evaluator.Evaluate(morrisPointList, "Morris", progress, ct);
            morrisPoints = outcomes.Count(x => x.Valid);
            var perTrajectory = morrisParameters.Count + 1;
            for (var o = 0; o < outputs.Count; o++)
            {
                var y0 = baseOutcome.Mean(o);
                var ys = design.Select((_, t) => (IReadOnlyList<double>)[.. Enumerable.Range(0, perTrajectory).Select(j => outcomes[t * perTrajectory + j].Mean(o))]).ToList();
                var scale = morrisParameters.Select(p => p.BaseValue / ((p.High - p.Low) * y0)).ToList();
                foreach (var e in Morris.Effects(design, ys, scale))
                {
                    effects[(o, morrisParameters[e.Factor].Path)] = e;
                }
            }
        }

        var results = new List<OutputSensitivity>();
        for (var o = 0; o < outputs.Count; o++)
        {
            var rows = perOutput[o];
            var morrisRanks = rows.Where(r => effects.ContainsKey((o, r.Parameter.Path)))
                .OrderByDescending(r => Magnitude(effects[(o, r.Parameter.Path)].MuStar)).ThenBy(r => r.Parameter.Path, StringComparer.Ordinal)
                .Select((r, i) => (r.Parameter.Path, Rank: i + 1))
                .ToDictionary(x => x.Path, x => x.Rank, StringComparer.Ordinal);
            var ranked = rows
                .OrderByDescending(r => Magnitude(r.Elasticity)).ThenBy(r => r.Parameter.Path, StringComparer.Ordinal)
                .Select((r, i) => r with
                {
                    Rank = i + 1,
                    Morris = effects.GetValueOrDefault((o, r.Parameter.Path)),
                    MorrisRank = morrisRanks.TryGetValue(r.Parameter.Path, out var mr) ? mr : null,
                })
                .ToList();
            results.Add(new OutputSensitivity(outputs[o], baseOutcome.Mean(o), ranked));
        }

        return new SensitivityResult
        {
            Seeds = evaluator.Seeds,
            Options = options,
            Outputs = results,
            Skipped = skipped,
            MorrisParameters = morrisParameters,
            OatPoints = oat.Count(x => x.Valid),
            MorrisPoints = morrisPoints,
        };
    }

    /// <summary>
    /// The parameters to analyse and those left out (zero values), with each one's range: its fit bounds, else
    /// its value x (1 -/+ <see cref="SensitivityOptions.MorrisRange"/>). Paths not written in the scenario are refused.
    /// </summary>
    /// <param name="oneAtATime">
    /// True (screening): every parameter is moved by -/+<see cref="SensitivityOptions.Step"/> of its value, so a
    /// value of 0 is left out even with fit bounds (a percentage of 0 is 0). False (Sobol, which samples each
    /// range and never steps from the value): a value of 0 is fine when the scenario gives fit bounds, and left
    /// out only without them (its value -/+ a percentage is the single point 0).
    /// </param>
    /// <exception cref="Scenarios.Yaml.ScenarioException">A path of <see cref="SensitivityOptions.Parameters"/> names nothing.</exception>
    /// <exception cref="ArgumentException">A path names a field the scenario leaves to its default (no base value to move).</exception>
    public static (List<SensitivityParameter> Parameters, List<SkippedParameter> Skipped) Select(
        LoadedScenario scenario, ParameterChanges changes, SensitivityOptions options, bool oneAtATime = true)
    {
        var numbers = changes.Numbers;
        if (options.Parameters is { } paths)
        {
            var byPath = numbers.GroupBy(n => n.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var chosen = new List<NumericParameter>();
            foreach (var path in paths.Distinct(StringComparer.Ordinal))
            {
                if (byPath.TryGetValue(path, out var n))
                {
                    chosen.Add(n);
                    continue;
                }
                ScenarioOverrides.Apply(scenario, path, 1); // throws for a path that names nothing, with the nearest valid ones
                throw new ArgumentException($"--params: the scenario writes no number at '{path}' (it takes its default, or '*' names several): give a path of a number the file writes");
            }
            numbers = chosen;
        }
        var bounds = FitBounds(scenario, changes.Numbers);
        var parameters = new List<SensitivityParameter>();
        var skipped = new List<SkippedParameter>();
        foreach (var n in numbers.DistinctBy(n => n.Path, StringComparer.Ordinal))
        {
            var hasBounds = bounds.TryGetValue(n.Path, out var b) && b.Max > b.Min;
            if (n.Value == 0 && (oneAtATime || !hasBounds))
            {
                skipped.Add(new SkippedParameter(n.Path, 0, oneAtATime
                    ? ZeroOneAtATime(options.Step, hasBounds ? b : null)
                    : ZeroWithoutBounds(scenario, n.Path, options.MorrisRange)) { FitBounds = hasBounds });
                continue;
            }
            if (hasBounds)
            {
                parameters.Add(new SensitivityParameter(n.Path, n.Value, b.Min, b.Max, FitBounds: true));
            }
            else
            {
                var (a, c) = (n.Value * (1 - options.MorrisRange), n.Value * (1 + options.MorrisRange));
                parameters.Add(new SensitivityParameter(n.Path, n.Value, Math.Min(a, c), Math.Max(a, c), FitBounds: false));
            }
        }
        return (parameters, skipped);
    }

    /// <summary>Why one at a time leaves out a parameter whose value is 0, and what varies it if it has fit bounds.</summary>
    private static string ZeroOneAtATime(double step, (double Min, double Max)? bounds) =>
        $"the value is 0: one at a time moves it by -/+{Percent(step)} of itself, which leaves it at 0 (no elasticity, so Morris, " +
        "which screens the parameters ranked by elasticity, does not reach it either)" +
        (bounds is { } b ? string.Create(Inv, $"; its fit bounds [{R(b.Min)}, {R(b.Max)}] let --method sobol vary it") : "");

    /// <summary>
    /// Why a parameter whose value is 0 has no range to sample without fit bounds, naming the file and, when an
    /// override set the value (and so dropped the file's fit bounds), the override.
    /// </summary>
    private static string ZeroWithoutBounds(LoadedScenario scenario, string path, double range)
    {
        var overridden = scenario.Provenance.Find(path) is { Kind: Scenarios.Yaml.Provenance.Assumption, Text: { } note } && note.StartsWith("override from ", StringComparison.Ordinal)
            ? $"; the value is an {note}, which drops any fit bounds the file gives: give them in the override, {path}={{value: V, assumption: \"...\", fit: {{min: A, max: B}}}}"
            : "";
        return $"{scenario.File}: {path}: the value is 0 and it has no fit bounds (fit: {{min, max}}), so it has no range to vary " +
            $"(the fallback, the value -/+{Percent(range)}, is the single point 0): expected fit bounds or a nonzero value{overridden}";
    }

    /// <summary>
    /// The fit bounds the scenario gives (<c>fit: {min, max}</c>), by path: the provenance and the override
    /// paths are the same dialect (list items by id), and the value must agree.
    /// </summary>
    public static Dictionary<string, (double Min, double Max)> FitBounds(LoadedScenario scenario, IReadOnlyList<NumericParameter> numbers)
    {
        var values = numbers.GroupBy(n => n.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        var result = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        foreach (var entry in scenario.Provenance)
        {
            if (entry is { FitMin: { } min, FitMax: { } max } && values.TryGetValue(entry.Path, out var v) && v == entry.Value)
            {
                result[entry.Path] = (min, max);
            }
        }
        return result;
    }

    private List<SensitivityRow> Elasticities(int o, PointOutcome baseOutcome, List<(SensitivityParameter Parameter, PointOutcome Minus, PointOutcome Plus, string Note)> kept)
    {
        var y0 = baseOutcome.Mean(o);
        return [.. kept.Select(k =>
        {
            var x0 = k.Parameter.BaseValue;
            var (xMinus, yMinus) = k.Minus.Valid ? (k.Minus.Values[0].Value, k.Minus.Mean(o)) : (x0, y0);
            var (xPlus, yPlus) = k.Plus.Valid ? (k.Plus.Values[0].Value, k.Plus.Mean(o)) : (x0, y0);
            var elasticity = y0 != 0 ? (yPlus - yMinus) / y0 / ((xPlus - xMinus) / x0) : double.NaN;
            return new SensitivityRow
            {
                Parameter = k.Parameter,
                XMinus = xMinus,
                XPlus = xPlus,
                YMinus = yMinus,
                YPlus = yPlus,
                Elasticity = elasticity,
                Rank = 0,
                Note = k.Note,
            };
        })];
    }

    /// <summary>|x| for ranking, with NaN below every number.</summary>
    private static double Magnitude(double x) => double.IsNaN(x) ? -1 : Math.Abs(x);

    private static string Last(string path) => path[(path.LastIndexOf('.') + 1)..];

    private static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : $"{a}; {b}";

    private static string Percent(double step) => (step * 100).ToString("0.##", Inv) + "%";

    /// <summary>sensitivity.csv: every parameter for every output, ranked; the skipped ones last with why.</summary>
    public static string Csv(SensitivityResult result)
    {
        var sb = new StringBuilder();
        sb.Append("output,rank,parameter,base,x_minus,x_plus,y0,y_minus,y_plus,elasticity,morris_rank,mu_star,sigma,mu,morris_low,morris_high,note\n");
        foreach (var output in result.Outputs)
        {
            foreach (var r in output.Rows)
            {
                var m = r.Morris;
                Line(sb, output.Output.Text, Int(r.Rank), r.Parameter.Path, R(r.Parameter.BaseValue), R(r.XMinus), R(r.XPlus),
                    G(output.Y0), G(r.YMinus), G(r.YPlus), G(r.Elasticity), Int(r.MorrisRank), G(m?.MuStar), G(m?.Sigma), G(m?.Mu),
                    m is null ? "" : R(r.Parameter.Low), m is null ? "" : R(r.Parameter.High),
                    Join(r.Note, m is not null && r.Parameter.FitBounds ? "Morris over the fit bounds" : ""));
            }
            foreach (var s in result.Skipped)
            {
                Line(sb, output.Output.Text, "", s.Path, R(s.Value), "", "", G(output.Y0), "", "", "", "", "", "", "", "", "", $"skipped: {s.Reason}");
            }
        }
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, params string[] fields)
    {
        sb.AppendJoin(',', fields.Select(Field));
        sb.Append('\n');
    }

    internal static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    internal static string R(double v) => v.ToString("R", Inv);

    internal static string G(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("G10", Inv) : "";

    private static string Int(int? v) => v?.ToString(Inv) ?? "";
}
