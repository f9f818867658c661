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
    /// <summary>Nelder-Mead runs after the first in a start, each from where the last ended.</summary>
    public int MaxRestarts { get; init; } = 20;
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
public sealed record StartResult(bool Seeded, IReadOnlyList<double> From, IReadOnlyList<double> To, double Objective, StartEnd Ended, int Evaluations, int Restarts = 0);

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
/// Fits the numbers a scenario marks <c>fit:</c> to its targets: finds the posterior mode, the least
/// -2 ln(likelihood x prior) (<see cref="Objective"/>), averaged over common random numbers (a fixed set of seeds), with
/// MathNet's Nelder-Mead from several starts, each restarted from where it ended until a restart no longer improves it.
/// Parameters are optimised in logistic coordinates so the bounds always hold.
/// </summary>
public sealed partial class Calibrator
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^series\.(?<id>[^.]+)\.sigma$")]
    private static partial System.Text.RegularExpressions.Regex SigmaPath();

    private readonly ScenarioText _text;
    private readonly CalibrationOptions _options;
    /// <summary>What the simplex sees for a run that lacks a fitted figure (its objective is +infinity).</summary>
    private const double Impossible = 1e12;
    /// <summary>A restart that improves the objective by less than this share (of at least 1) ends the start.</summary>
    private const double ImprovementTolerance = 1e-6;

    private readonly object _gate = new();
    private double[] _best;
    private double _bestObjective = double.PositiveInfinity;
    private int _evaluations;
    /// <summary>The series whose sigma is a free parameter: their likelihood keeps its 2 ln sigma terms.</summary>
    private readonly HashSet<string> _fittedSigma;

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
        _fittedSigma = text.Parameters.Select(p => SigmaPath().Match(p.Path)).Where(m => m.Success).Select(m => m.Groups["id"].Value).ToHashSet(StringComparer.Ordinal);
        var info = text.Bind([.. text.Parameters.Select(p => p.Start)]).Info;
        if (!TargetEvaluator.InFit(info).Any())
        {
            throw new CalibrationInputException(
                $"{text.File}: no target to fit: a target enters the fit when it names a series (series: ID, its error model) and is dated up to fitUntil");
        }
    }

    public IReadOnlyList<ulong> Seeds { get; }

    /// <summary>
    /// -2 ln of the posterior density at the given parameter values, up to a constant: the mean over the seeds (common random
    /// numbers) of the likelihood's deviance (<see cref="Likelihood"/>: each fitted target by its series' error model), plus the
    /// priors' penalties. The seeds are the replicates of a one-variant <see cref="Experiment"/> on <see cref="ExperimentRunner"/>,
    /// each stopping after the last target month. +infinity where a run lacks a fitted figure.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled before every seed was played.</exception>
    public double Objective(IReadOnlyList<double> values, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var info = _text.Bind(values).Info;
        var perSeed = new double[Seeds.Count];
        var experiment = new Experiment([info], Seeds.Count) { StopTick = StopTick(info), Stage = "evaluation" };
        var played = ExperimentRunner.RunAsync<double>(experiment, Math.Min(Seeds.Count, Environment.ProcessorCount),
            cell => Task.Run(() => Likelihood.Deviance(info, Evaluate(info, cell.Seed, experiment.StopTick), _fittedSigma)),
            cell => perSeed[cell.Replicate] = cell.Result, ct: ct).GetAwaiter().GetResult();
        if (played.Cancelled)
        {
            throw new OperationCanceledException(ct);
        }
        var objective = perSeed.Sum() / perSeed.Length + Prior(values);
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

    /// <summary>-2 ln of the prior density, up to a constant: 0 where every prior is uniform on its bounds.</summary>
    public double Prior(IReadOnlyList<double> values)
    {
        var sum = 0.0;
        for (var i = 0; i < values.Count; i++)
        {
            sum += _text.Parameters[i].PriorPenalty(values[i]);
        }
        return sum;
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
                // A run without a fitted figure is impossible under the likelihood; the simplex needs a number to compare.
                return double.IsFinite(value) ? value : Impossible;
            });
            var step = Vector<double>.Build.Dense(parameters.Count, 0.5);
            var ended = StartEnd.Converged;
            var restarts = 0;
            var before = double.PositiveInfinity;
            // Restart from each end point with a fresh simplex until a restart no longer improves: a simplex that
            // has collapsed along a ridge stops short of the optimum, a fresh one of full size walks on.
            while (true)
            {
                var u0 = Vector<double>.Build.DenseOfEnumerable(own.Select((x, i) => parameters[i].ToUnbounded(x)));
                try
                {
                    NelderMeadSimplex.Minimum(objective, u0, step, _options.Tolerance, _options.MaxIterationsPerStart);
                }
                catch (MaximumIterationsException)
                {
                    ended = StartEnd.IterationLimit;
                    break;
                }
                catch (OperationCanceledException)
                {
                    ended = StartEnd.Interrupted;
                    interrupted = true;
                    break;
                }
                if (before - ownObjective <= ImprovementTolerance * Math.Max(1, Math.Abs(ownObjective)) || restarts >= _options.MaxRestarts)
                {
                    break;
                }
                before = ownObjective;
                restarts++;
            }
            starts.Add(new StartResult(s > 0, from, own, ownObjective, ended, ownEvaluations, restarts));
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
