using System.Text;
using Simulation.Experiments;
using Simulation.Scenarios;

namespace Simulation.Calibration.Sensitivity;

public sealed record SobolOptions
{
    /// <summary>Replicates per point (common random numbers: the same seeds at every point).</summary>
    public int Runs { get; init; } = 1;
    public int Parallel { get; init; } = Environment.ProcessorCount;
    /// <summary>Where the replicates are played (default: the reference loop in process).</summary>
    public IReplicateRunner? Engine { get; init; }
    public SobolDesignOptions Design { get; init; } = new();
    /// <summary>The parameters to vary (paths); null for those the scenario gives fit bounds.</summary>
    public IReadOnlyList<string>? Parameters { get; init; }
    /// <summary>A parameter without fit bounds varies over x (1 -/+ Range), as in Morris screening.</summary>
    public double Range { get; init; } = new SensitivityOptions().MorrisRange;
}

/// <summary>One output's indices, with the parameter each belongs to, sorted by ST (largest first).</summary>
public sealed record SobolOutput(OutputSpec Output, SobolEstimate Estimate, IReadOnlyList<(SensitivityParameter Parameter, SobolIndex Index)> Rows);

public sealed record SobolResult
{
    public required IReadOnlyList<ulong> Seeds { get; init; }
    public required SobolOptions Options { get; init; }
    public required IReadOnlyList<SensitivityParameter> Parameters { get; init; }
    public required IReadOnlyList<SobolOutput> Outputs { get; init; }
    /// <summary>Points of the design: N (k + 2).</summary>
    public required int Points { get; init; }
    /// <summary>Points the scenario's validation refused (their base rows are left out), and the first one's error.</summary>
    public required int InvalidPoints { get; init; }
    public string? FirstInvalid { get; init; }
}

/// <summary>
/// Sobol indices of a scenario's parameters for some outputs: the Saltelli design of <see cref="Sobol"/> over
/// each parameter's range (its fit bounds, else its value -/+20%: the ranges Morris screening uses), every point
/// played by <see cref="PointEvaluator"/> on the experiment runner, the mean of <see cref="SobolOptions.Runs"/>
/// replicates on common random numbers (every point plays the same seeds), and the indices estimated by the
/// same <see cref="Sobol.Estimate"/> the tests check on the Ishigami function.
/// </summary>
public sealed class SobolAnalysis
{
    private readonly LoadedScenario _scenario;
    private readonly IReadOnlyList<OutputSpec> _outputs;
    private readonly SobolOptions _options;

    /// <summary>Checks the options and picks the parameters before anything is played.</summary>
    /// <exception cref="ArgumentException">No parameter to vary, too many, one without a range, or a bad design size.</exception>
    /// <exception cref="Scenarios.Yaml.ScenarioException">A path of <see cref="SobolOptions.Parameters"/> names nothing.</exception>
    public SobolAnalysis(LoadedScenario scenario, IReadOnlyList<OutputSpec> outputs, SobolOptions options)
    {
        _scenario = scenario;
        _outputs = outputs;
        _options = options;
        CheckSamples(options.Design.Samples);
        if (options.Design.Bootstrap < 10)
        {
            throw new ArgumentException($"--bootstrap must be at least 10 (got {options.Design.Bootstrap})");
        }
        var changes = new ParameterChanges(ScenarioOverrides.NumericPaths(scenario));
        var paths = options.Parameters;
        if (paths is null)
        {
            paths = [.. SensitivityAnalysis.FitBounds(scenario, changes.Numbers).Keys.Order(StringComparer.Ordinal)];
            if (paths.Count == 0)
            {
                throw new ArgumentException("--method sobol: the scenario gives no parameter fit bounds (fit: {min, max}); name the parameters to vary with --params PATH,...");
            }
        }
        if (paths.Count == 0)
        {
            throw new ArgumentException("--params: no parameter given");
        }
        // The design samples each range and never steps from the value: a value of 0 is fine within fit bounds.
        var (parameters, skipped) = SensitivityAnalysis.Select(scenario, changes, new SensitivityOptions { Parameters = paths, MorrisRange = options.Range }, oneAtATime: false);
        if (skipped.Count > 0)
        {
            throw new ArgumentException($"--params: {string.Join("; ", skipped.Select(s => s.Reason))}");
        }
        if (parameters.Count > Sobol.MaxFactors)
        {
            throw new ArgumentException($"--method sobol varies at most {Sobol.MaxFactors} parameters (got {parameters.Count}): screen them first (--method screening) and give the top ones with --params");
        }
        var groups = parameters.GroupBy(p => changes.Group(p.Path).Count > 1 ? string.Join(",", changes.Group(p.Path)) : p.Path).Where(g => g.Count() > 1).ToList();
        if (groups.Count > 0)
        {
            throw new ArgumentException($"--params: {string.Join(", ", groups[0].Select(p => p.Path))} are shares of one group that must sum to 1, so they cannot vary independently: keep one of them");
        }
        Parameters = parameters;
    }

    public IReadOnlyList<SensitivityParameter> Parameters { get; }

    /// <summary>The design's points: N (k + 2).</summary>
    public int PlannedPoints => _options.Design.Samples * (Parameters.Count + 2);

    /// <summary>A design size must be a power of 2, at least 8 (Sobol sequences are balanced at powers of 2; SALib warns otherwise).</summary>
    public static void CheckSamples(int samples)
    {
        if (samples < 8 || samples > 1 << 20 || (samples & (samples - 1)) != 0)
        {
            var hint = samples >= 8 && samples <= 1 << 20 ? $"; the nearest are {1 << (31 - System.Numerics.BitOperations.LeadingZeroCount((uint)samples))} and {1 << (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)samples))}" : "";
            throw new ArgumentException($"--samples must be a power of 2 from 8 to {1 << 20} (a Sobol sequence is balanced at powers of 2), got {samples}{hint}");
        }
    }

    public SobolResult Run(IProgress<ExperimentProgress>? progress = null, CancellationToken ct = default)
    {
        var evaluator = new PointEvaluator(_scenario, _outputs, _options.Runs, _options.Parallel, _options.Engine);
        var ranges = Parameters.Select(p => (p.Low, p.High)).ToList();
        var (invalid, firstInvalid) = (0, (string?)null);
        var estimates = Sobol.Estimate(ranges, _outputs.Count, points =>
        {
            var values = points.Select(x => (IReadOnlyList<ParameterValue>)[.. Parameters.Select((p, i) => new ParameterValue(p.Path, x[i]))]).ToList();
            var bound = evaluator.Bind(values, ct);
            invalid = bound.Count(b => b.Error is not null);
            firstInvalid = bound.FirstOrDefault(b => b.Error is not null).Error;
            if (invalid * 2 > bound.Count)
            {
                throw new ArgumentException($"--method sobol: {invalid} of {bound.Count} points of the design are invalid, e.g. {firstInvalid}: narrow the ranges (fit bounds) or choose other --params");
            }
            var outcomes = evaluator.Evaluate(values, bound, "Sobol", progress, ct);
            return [.. outcomes.Select(o => Enumerable.Range(0, _outputs.Count).Select(o.Mean).ToArray())];
        }, _options.Design);
        var outputs = _outputs.Select((output, o) => new SobolOutput(output, estimates[o],
            [.. Parameters.Select((p, i) => (p, estimates[o].Indices[i]))
                .OrderByDescending(x => double.IsNaN(x.Item2.ST) ? double.NegativeInfinity : x.Item2.ST).ThenBy(x => x.p.Path, StringComparer.Ordinal)])).ToList();
        return new SobolResult
        {
            Seeds = evaluator.Seeds,
            Options = _options,
            Parameters = Parameters,
            Outputs = outputs,
            Points = PlannedPoints,
            InvalidPoints = invalid,
            FirstInvalid = firstInvalid,
        };
    }

    /// <summary>sobol.csv: every parameter for every output, sorted by ST, with the intervals and what they say.</summary>
    public static string Csv(SobolResult result)
    {
        var sb = new StringBuilder();
        sb.Append("output,rank,parameter,base,low,high,range,s1,s1_conf,st,st_conf,interactions,base_rows,note\n");
        foreach (var output in result.Outputs)
        {
            foreach (var ((p, x), rank) in output.Rows.Select((r, i) => (r, i + 1)))
            {
                sb.AppendJoin(',', new[]
                {
                    output.Output.Text, rank.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Path,
                    SensitivityAnalysis.R(p.BaseValue), SensitivityAnalysis.R(p.Low), SensitivityAnalysis.R(p.High), p.FitBounds ? "fit bounds" : $"value -/+{result.Options.Range * 100:0.##}%",
                    SensitivityAnalysis.G(x.S1), SensitivityAnalysis.G(x.S1Conf), SensitivityAnalysis.G(x.ST), SensitivityAnalysis.G(x.STConf),
                    SensitivityAnalysis.G(x.Interactions), output.Estimate.BaseRows.ToString(System.Globalization.CultureInfo.InvariantCulture), Note(x),
                }.Select(SensitivityAnalysis.Field));
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>What an index's intervals say: wide (not resolved at this N) or S1 above ST beyond them.</summary>
    public static string Note(SobolIndex x)
    {
        var notes = new List<string>();
        if (x.S1AboveST)
        {
            notes.Add("S1 above ST beyond the intervals: more samples");
        }
        if (x.S1Wide || x.STWide)
        {
            notes.Add($"wide: {(x.S1Wide && x.STWide ? "S1, ST" : x.S1Wide ? "S1" : "ST")} not resolved with this N");
        }
        return string.Join("; ", notes);
    }
}
