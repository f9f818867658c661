using MathNet.Numerics.Differentiation;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Randomness;
using Simulation.Model.Targets;
using Simulation.Scenarios;

namespace Simulation.Calibration;

public sealed record CalibrationOptions
{
    /// <summary>Common random numbers: every evaluation averages over the same seeds.</summary>
    public int Seeds { get; init; } = 4;
    /// <summary>Nelder-Mead starts: the scenario's own values, then seeded points within the bounds.</summary>
    public int Starts { get; init; } = 3;
    public int MaxIterationsPerStart { get; init; } = 300;
    public double Tolerance { get; init; } = 1e-7;
}

/// <summary>One evaluation of a start: <paramref name="Objective"/> is the value just evaluated, <paramref name="Best"/> the best of all starts so far.</summary>
public sealed record CalibrationProgress(int Start, int Starts, int Evaluations, double Best, double Objective = double.NaN);

/// <summary>How a Nelder-Mead start ended.</summary>
public enum StartEnd
{
    /// <summary>The simplex met the tolerance.</summary>
    Converged,
    /// <summary>Stopped by --max-iterations before converging.</summary>
    IterationLimit,
    /// <summary>Cancelled (Ctrl+C) while it ran.</summary>
    Interrupted,
}

/// <summary>
/// One start of the fit: where it began (<see cref="Seeded"/>: a seeded point in the bounds, else the file's
/// values), the best point it evaluated itself and its objective (infinite when it evaluated none), how it
/// ended and how many evaluations it made.
/// </summary>
public sealed record StartResult(bool Seeded, IReadOnlyList<double> From, IReadOnlyList<double> To, double Objective, StartEnd Ended, int Evaluations);

/// <summary>How firmly the targets pin a parameter, from the objective's shape at the optimum.</summary>
public sealed record Identification(
    FitParameter Parameter,
    double Fitted,
    bool AtBound,
    /// <summary>Second derivative of the objective in units of the parameter's range.</summary>
    double Curvature,
    /// <summary>Rise of the objective when the parameter moves 5% of its range down and up.</summary>
    double ProfileDown,
    double ProfileUp);

public sealed record CalibrationResult
{
    public required IReadOnlyList<FitParameter> Parameters { get; init; }
    public required IReadOnlyList<double> Values { get; init; }
    public required double Objective { get; init; }
    /// <summary>Every start in order, each with its own end (not the best across starts).</summary>
    public required IReadOnlyList<StartResult> Starts { get; init; }
    public required IReadOnlyList<Identification> Identification { get; init; }
    /// <summary>Eigenvalues of the Hessian (range units), ascending: a near-zero one is a direction the targets do not pin.</summary>
    public required IReadOnlyList<double> Eigenvalues { get; init; }
    public required IReadOnlyList<TargetResult> Targets { get; init; }
    public required int Evaluations { get; init; }
    public required bool Interrupted { get; init; }
}

/// <summary>
/// Fits the numbers a scenario marks <c>fit:</c> to its targets: minimises the weighted squared
/// relative error of the targets, averaged over common random numbers (a fixed set of seeds), with
/// MathNet's Nelder-Mead from several starts. Parameters are optimised in logistic coordinates so the
/// bounds always hold.
/// </summary>
public sealed class Calibrator
{
    private readonly ScenarioText _text;
    private readonly CalibrationOptions _options;
    private readonly object _gate = new();
    private double[] _best;
    private double _bestObjective = double.PositiveInfinity;
    private int _evaluations;

    public Calibrator(ScenarioText text, CalibrationOptions? options = null)
    {
        if (text.Parameters.Count == 0)
        {
            throw new CalibrationInputException($"{text.File}: no parameter to fit: mark one with fit: {{min, max}}, e.g. {{value: x, assumption: \"...\", fit: {{min: a, max: b}}}} (no number is marked for fitting)");
        }
        _text = text;
        _options = options ?? new CalibrationOptions();
        var baseSeed = text.Bind([.. text.Parameters.Select(p => p.Start)]).Info.Seed;
        Seeds = Experiments.Seeds.First(baseSeed, _options.Seeds);
        _best = [.. text.Parameters.Select(p => p.Start)];
    }

    public IReadOnlyList<ulong> Seeds { get; }

    /// <summary>
    /// The mean over the seeds of sum(weight x residual^2) for the given parameter values: the seeds are the
    /// replicates of a one-variant <see cref="Experiment"/> on <see cref="ExperimentRunner"/>, each stopping after
    /// the last target month.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled before every seed was played.</exception>
    public double Objective(IReadOnlyList<double> values, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var info = _text.Bind(values).Info;
        var perSeed = new double[Seeds.Count];
        var experiment = new Experiment([info], Seeds.Count) { StopTick = StopTick(info), Stage = "evaluation" };
        var played = ExperimentRunner.RunAsync<double>(experiment, Math.Min(Seeds.Count, Environment.ProcessorCount),
            cell => Task.Run(() => Fitted(info, Evaluate(info, cell.Seed, experiment.StopTick)).Sum(r => r.Target.Weight * r.Residual * r.Residual)),
            cell => perSeed[cell.Replicate] = cell.Result, ct: ct).GetAwaiter().GetResult();
        if (played.Cancelled)
        {
            throw new OperationCanceledException(ct);
        }
        var objective = perSeed.Sum() / perSeed.Length;
        lock (_gate)
        {
            _evaluations++;
            if (objective < _bestObjective)
            {
                _bestObjective = objective;
                _best = [.. values];
            }
        }
        return objective;
    }

    /// <summary>How long one evaluation of the objective takes (every seed to the last target month), from a timed pilot.</summary>
    public Estimate EstimateEvaluation()
    {
        var info = _text.Bind(_best).Info;
        return Estimate.FromPilot(info, Seeds.Count, Environment.ProcessorCount, StopTick(info));
    }

    /// <summary>Plays the scenario up to its last target month and checks the targets.</summary>
    public static IReadOnlyList<TargetResult> Evaluate(LoadedScenario scenario, ulong seed) => Evaluate(scenario.Info, seed, StopTick(scenario.Info));

    private static IReadOnlyList<TargetResult> Evaluate(ScenarioInfo info, ulong seed, int stopTick)
    {
        var collector = Replicates.Collect(info, seed, stopTick);
        return new TargetEvaluator(info, collector.MonthRows, collector.Events).Evaluate();
    }

    /// <summary>The results of the targets inside the scenario's fitting window: only they enter the objective.</summary>
    public static IEnumerable<TargetResult> Fitted(ScenarioInfo info, IEnumerable<TargetResult> results)
    {
        var inFit = TargetEvaluator.InFit(info).ToHashSet();
        return results.Where(r => inFit.Contains(r.Target));
    }

    /// <summary>The first tick after the last target month of the fitting window: later months cannot change the objective.</summary>
    private static int StopTick(ScenarioInfo info) =>
        TargetEvaluator.InFit(info).Select(t => (DateOnly?)t.Month).Max() is { } last ? Replicates.StopAfter(info, last) : int.MaxValue;

    public CalibrationResult Run(IProgress<CalibrationProgress>? progress = null, CancellationToken ct = default)
    {
        var parameters = _text.Parameters;
        var starts = new List<StartResult>();
        var interrupted = false;
        for (var s = 0; s < _options.Starts && !interrupted; s++)
        {
            var from = StartPoint(s);
            var startIndex = s;
            // The start's own best: what it evaluated itself, whatever the other starts found.
            IReadOnlyList<double> own = from;
            var ownObjective = double.PositiveInfinity;
            var ownEvaluations = 0;
            var objective = ObjectiveFunction.Value(u =>
            {
                var point = FromUnbounded(u);
                var value = Objective(point, ct);
                ownEvaluations++;
                if (value < ownObjective)
                {
                    ownObjective = value;
                    own = point;
                }
                progress?.Report(new CalibrationProgress(startIndex + 1, _options.Starts, _evaluations, _bestObjective, value));
                return value;
            });
            var u0 = Vector<double>.Build.DenseOfEnumerable(from.Select((x, i) => parameters[i].ToUnbounded(x)));
            var step = Vector<double>.Build.Dense(parameters.Count, 0.5);
            StartEnd ended;
            try
            {
                NelderMeadSimplex.Minimum(objective, u0, step, _options.Tolerance, _options.MaxIterationsPerStart);
                ended = StartEnd.Converged;
            }
            catch (MaximumIterationsException)
            {
                ended = StartEnd.IterationLimit;
            }
            catch (OperationCanceledException)
            {
                ended = StartEnd.Interrupted;
                interrupted = true;
            }
            starts.Add(new StartResult(s > 0, from, own, ownObjective, ended, ownEvaluations));
        }

        var best = _best.Select(ScenarioText.Round).ToArray();
        var bestObjective = interrupted ? _bestObjective : Objective(best);
        var (identification, eigenvalues) = interrupted ? ([], []) : Identify(best, bestObjective);
        var scenario = _text.Bind(best);
        return new CalibrationResult
        {
            Parameters = parameters,
            Values = best,
            Objective = bestObjective,
            Starts = starts,
            Identification = identification,
            Eigenvalues = eigenvalues,
            Targets = Evaluate(scenario, Seeds[0]),
            Evaluations = _evaluations,
            Interrupted = interrupted,
        };
    }

    private double[] StartPoint(int index)
    {
        var parameters = _text.Parameters;
        if (index == 0)
        {
            return [.. parameters.Select(p => p.Start)];
        }
        var rng = RandomStreams.For(Seeds[0], "calibrate", index, "start");
        return [.. parameters.Select(p => p.Min + p.Range * (0.1 + 0.8 * rng.NextDouble()))];
    }

    private double[] FromUnbounded(Vector<double> u) => [.. u.Select((x, i) => _text.Parameters[i].FromUnbounded(x))];

    /// <summary>The objective's Hessian in range units (MathNet's numerical Hessian) and 5%-of-range profiles.</summary>
    private (IReadOnlyList<Identification>, IReadOnlyList<double>) Identify(double[] best, double objective)
    {
        var parameters = _text.Parameters;
        var z0 = best.Select((x, i) => (x - parameters[i].Min) / parameters[i].Range).ToArray();
        double InRange(double[] z) => Objective([.. z.Select((v, i) => parameters[i].Min + parameters[i].Range * Math.Clamp(v, 0, 1))]);
        var hessian = new NumericalHessian().Evaluate(InRange, z0);
        var matrix = Matrix<double>.Build.DenseOfArray(hessian);
        var eigenvalues = matrix.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).Order().ToArray();
        var rows = new List<Identification>();
        for (var i = 0; i < parameters.Count; i++)
        {
            var down = (double[])z0.Clone();
            var up = (double[])z0.Clone();
            down[i] = Math.Max(0, z0[i] - 0.05);
            up[i] = Math.Min(1, z0[i] + 0.05);
            rows.Add(new Identification(parameters[i], best[i], z0[i] < 1e-3 || z0[i] > 1 - 1e-3, hessian[i, i], InRange(down) - objective, InRange(up) - objective));
        }
        return (rows, eigenvalues);
    }
}
