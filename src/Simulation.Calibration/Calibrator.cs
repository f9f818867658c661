using System.Diagnostics;
using MathNet.Numerics.Differentiation;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using MathNet.Numerics.Optimization.ObjectiveFunctions;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Rules;
using Simulation.Model.Randomness;
using Simulation.Model.Targets;
using Simulation.Scenarios;

namespace Simulation.Calibration;

public sealed record CalibrationOptions
{
    /// <summary>Common random numbers: every evaluation averages over the same seeds.</summary>
    public int Seeds { get; init; } = 4;
    /// <summary>Starts: seeded points within the bounds (the first at the scenario's own values with <see cref="FromFile"/>).</summary>
    public int Starts { get; init; } = 3;
    /// <summary>Whether the first start is the scenario's own values (a refit from where the file is) rather than a seeded point.</summary>
    public bool FromFile { get; init; }
    /// <summary>Iterations of the polish (BFGS) at the end of a start.</summary>
    public int MaxIterationsPerStart { get; init; } = 100;
    /// <summary>Evaluations of a round's global phase (CMA-ES) at most.</summary>
    public int MaxGlobalEvaluations { get; init; } = 12000;
    /// <summary>Restarts of a start at most: each from the start's best with twice the population, while the last round improved it.</summary>
    public int Restarts { get; init; } = 2;
    /// <summary>
    /// The ids of the fitted targets whose likelihood the objective counts (a block of a posterior that factorizes:
    /// <see cref="LikelihoodBlocks"/>); null: every target in the fit.
    /// </summary>
    public IReadOnlyList<string>? Targets { get; init; }
}

/// <summary>One evaluation of a start: <paramref name="Objective"/> is the value just evaluated, <paramref name="Best"/> the best of all starts so far.</summary>
public sealed record CalibrationProgress(int Start, int Starts, int Evaluations, double Best, double Objective = double.NaN, double StartBest = double.NaN);

/// <summary>How a start ended.</summary>
public enum StartEnd
{
    /// <summary>The global search stopped improving (or its spread fell below 1e-4 of the ranges).</summary>
    Converged,
    /// <summary>The global search spent its evaluations (MaxGlobalEvaluations) while still improving.</summary>
    IterationLimit,
    /// <summary>Cancelled (Ctrl+C) while it ran.</summary>
    Interrupted,
}

/// <summary>
/// One start of the fit: where it began (<see cref="Seeded"/>: a seeded point in the bounds, else the file's
/// values), the best point it evaluated itself and its objective (infinite when it evaluated none), how it
/// ended, how many evaluations and CMA-ES generations it made, and in how many rounds (the first and its restarts).
/// </summary>
public sealed record StartResult(bool Seeded, IReadOnlyList<double> From, IReadOnlyList<double> To, double Objective, StartEnd Ended, int Evaluations, int Generations = 0, int Rounds = 1);

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
/// several starts, each a global search (CMA-ES) polished by MathNet's bounded BFGS.
/// Parameters move in unit coordinates inside their bounds (<see cref="UnitSpace"/>: wide positive ranges on the log scale).
/// </summary>
public sealed partial class Calibrator
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^series\.(?<id>[^.]+)\.sigma$")]
    private static partial System.Text.RegularExpressions.Regex SigmaPath();

    /// <summary>
    /// The numbers only the demand side reads (<see cref="SupplyRecord"/>): a market's, an app's initial users, retention and
    /// revenue per user, and a series' error scale (which only the likelihood reads).
    /// </summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(markets\..+|series\.[^.]+\.sigma|companies\.[^.]+\.apps\.[^.]+\.(initialUsers|revenuePerUserMonthlyUsd|retention\..+))$")]
    private static partial System.Text.RegularExpressions.Regex DemandSidePath();

    private readonly ScenarioText _text;
    private readonly UnitSpace _space;
    private readonly CalibrationOptions _options;
    /// <summary>What the simplex sees for a run that lacks a fitted figure (its objective is +infinity).</summary>
    private const double Impossible = 1e12;
    /// <summary>The global phase ends when its best so far moves by less than this share (of at least 1) over its window.</summary>
    private const double ImprovementTolerance = 1e-4;
    /// <summary>The penalty per squared range unit outside the bounds.</summary>
    private const double OutsidePenalty = 1e4;
    /// <summary>A start restarts while its last round improved its best by more than this share (of at least 1).</summary>
    private const double RestartGain = 1e-3;
    /// <summary>The polish's budget: this many evaluations per free parameter (a gradient costs one per parameter).</summary>
    private const int PolishEvaluationsPerParameter = 100;
    /// <summary>CMA-ES's first step, in unit coordinates: a start looks across a third of each range.</summary>
    private const double GlobalStep = 0.3;
    /// <summary>The forward-difference step of the gradient, in unit coordinates: well above the objective's rounding, well below its curvature.</summary>
    private const double GradientStep = 1e-5;
    /// <summary>BFGS stops where the gradient (objective per range unit) is below this: the objective changes by less than 0.0001 over a tenth of the range.</summary>
    private const double GradientTolerance = 1e-3;

    private readonly object _gate = new();
    private readonly IObjectiveEvaluator? _evaluator;
    private readonly ObjectiveProblem? _problem;
    private double[] _best;
    private double _bestObjective = double.PositiveInfinity;
    private int _evaluations;
    /// <summary>The series whose sigma is a free parameter: their likelihood keeps its 2 ln sigma terms.</summary>
    private readonly Dictionary<string, double> _fittedSigma;
    /// <summary>
    /// Per seed, the supply side of a run of it and the values it was played at, when every free number is on the demand side
    /// (null otherwise): evaluations replay it (<see cref="SupplyReplay"/>) instead of playing the companies and the job
    /// market again.
    /// </summary>
    private readonly Recorded?[]? _records;
    /// <summary>
    /// Where the likelihood factorizes (<see cref="LikelihoodBlocks"/>, two blocks or more): each market's block (-1 for a
    /// market no free number moves), and each block's parameters. A replay takes a block's markets from the record where
    /// the block's numbers are the record's. Null: every market is played.
    /// </summary>
    private readonly (int[] MarketBlock, IReadOnlyList<ParameterBlock> Blocks)? _grouping;
    private int _replayed;
    private int _playedWhole;
    /// <summary>The targets the likelihood counts (<see cref="CalibrationOptions.Targets"/>); null: all in the fit.</summary>
    private readonly HashSet<string>? _targets;

    /// <param name="evaluator">Where the objective is evaluated (for example a cluster's silos); null: in this process.</param>
    public Calibrator(ScenarioText text, CalibrationOptions? options = null, IObjectiveEvaluator? evaluator = null)
    {
        if (text.Parameters.Count == 0)
        {
            throw new CalibrationInputException($"{text.File}: no parameter to fit: mark one with fit: {{min, max}}, e.g. {{value: x, assumption: \"...\", fit: {{min: a, max: b}}}} (no number is marked for fitting)");
        }
        _text = text;
        _space = new UnitSpace(text.Parameters);
        _options = options ?? new CalibrationOptions();
        _evaluator = evaluator;
        _problem = evaluator is null ? null : new ObjectiveProblem(text, _options.Seeds, _options.Targets);
        _targets = _options.Targets?.ToHashSet(StringComparer.Ordinal);
        var baseSeed = text.Bind([.. text.Parameters.Select(p => p.Start)]).Info.Seed;
        Seeds = Experiments.Seeds.First(baseSeed, _options.Seeds);
        _best = [.. text.Parameters.Select(p => p.Start)];
        _records = text.Parameters.All(p => DemandSidePath().IsMatch(p.Path)) ? new Recorded?[Seeds.Count] : null;
        _fittedSigma = text.Parameters.Select(p => (p, m: SigmaPath().Match(p.Path))).Where(x => x.m.Success)
            .ToDictionary(x => x.m.Groups["id"].Value, x => x.p.Min, StringComparer.Ordinal);
        if (text.Parameters.FirstOrDefault(p => SigmaPath().IsMatch(p.Path) && p.Min <= 0) is { } zero)
        {
            throw new CalibrationInputException($"{text.File}:{zero.Line}: {zero.Path}: a fitted sigma needs fit.min above 0 (the likelihood has ln sigma in it), got {zero.Min}");
        }
        var info = text.Bind([.. text.Parameters.Select(p => p.Start)]).Info;
        if (!TargetEvaluator.InFit(info).Any())
        {
            throw new CalibrationInputException(
                $"{text.File}: no target to fit: a target enters the fit when it names a series (series: ID, its error model) and is dated up to fitUntil");
        }
        if (_records is not null && LikelihoodBlocks.Of(text, info, replays: true) is { Count: > 1 } blocks)
        {
            var marketBlock = info.Markets.Select(m => blocks.Select((b, i) => b.Markets.Contains(m.Id) ? i : -1).Max()).ToArray();
            _grouping = (marketBlock, blocks);
        }
    }

    /// <summary>A seed's recorded supply side and the values of the run that recorded it.</summary>
    private sealed record Recorded(SupplyRecord Supply, IReadOnlyList<double> At);

    public IReadOnlyList<ulong> Seeds { get; }

    /// <summary>
    /// Whether evaluations replay a recorded supply side (every free number is on the demand side, <see cref="SupplyReplay"/>):
    /// then each user market's outcomes depend on its own numbers and its apps' alone, wherever cash binds in no run.
    /// </summary>
    public bool Replays => _records is not null;

    /// <summary>Runs of the evaluations in this process that replayed a recorded supply side (<see cref="SupplyReplay"/>), and runs played whole.</summary>
    public (int Replayed, int PlayedWhole) Runs => (Volatile.Read(ref _replayed), Volatile.Read(ref _playedWhole));

    /// <summary>Evaluations of the objective so far.</summary>
    public int Evaluations => Volatile.Read(ref _evaluations);

    /// <summary>
    /// -2 ln of the posterior density at the given parameter values, up to a constant: the mean over the seeds (common random
    /// numbers) of the likelihood's deviance (<see cref="Likelihood"/>: each fitted target by its series' error model), plus the
    /// priors' penalties. The seeds are the replicates of a one-variant <see cref="Experiment"/> on <see cref="ExperimentRunner"/>,
    /// each stopping after the last target month. +infinity where a run lacks a fitted figure.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled before every seed was played.</exception>
    public double Objective(IReadOnlyList<double> values, CancellationToken ct = default) =>
        Kept(values, _evaluator is null ? Score(values, ct) : _evaluator.EvaluateAsync(_problem!, values, ct).GetAwaiter().GetResult());

    /// <summary>
    /// The objective at every point, in order, counted and kept as <see cref="Objective"/> does: <paramref name="parallel"/>
    /// at a time in this process, or the evaluator's <see cref="IObjectiveEvaluator.Parallel"/> at a time there (awaited
    /// together, so no thread here waits for each).
    /// </summary>
    private double[] Objectives(IReadOnlyList<double[]> points, int parallel, CancellationToken ct)
    {
        var values = new double[points.Count];
        if (_evaluator is null)
        {
            System.Threading.Tasks.Parallel.For(0, points.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct },
                k => values[k] = Objective(points[k], ct));
            return values;
        }
        using var gate = new SemaphoreSlim(Math.Max(1, _evaluator.Parallel));
        async Task One(int k)
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                values[k] = await _evaluator.EvaluateAsync(_problem!, points[k], ct).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }
        Task.WhenAll(Enumerable.Range(0, points.Count).Select(One)).GetAwaiter().GetResult();
        for (var k = 0; k < points.Count; k++)
        {
            Kept(points[k], values[k]);
        }
        return values;
    }

    /// <summary>Counts an evaluation and keeps it when it is the best so far.</summary>
    private double Kept(IReadOnlyList<double> values, double objective)
    {
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

    /// <summary>
    /// The objective, neither counted nor kept as a best, always in this process (what an <see cref="IObjectiveEvaluator"/>
    /// elsewhere plays): a pure function of the scenario text, the seeds and <paramref name="values"/>.
    /// </summary>
    public double Score(IReadOnlyList<double> values, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var info = _text.Info(values);
        var perSeed = new double[Seeds.Count];
        var experiment = new Experiment([info], Seeds.Count) { StopTick = StopTick(info), Stage = "evaluation" };
        var parallel = Math.Min(Seeds.Count, Environment.ProcessorCount);
        double Deviance(int replicate, ulong seed) => Likelihood.Deviance(info, Counted(Played(info, values, replicate, seed, experiment.StopTick)), _fittedSigma);
        // One seed at a time (one seed, or one core) plays on the calling thread: a hop to the pool would only add a wait.
        var played = ExperimentRunner.RunAsync<double>(experiment, parallel,
            cell => parallel == 1 ? Task.FromResult(Deviance(cell.Replicate, cell.Seed)) : Task.Run(() => Deviance(cell.Replicate, cell.Seed)),
            cell => perSeed[cell.Replicate] = cell.Result, ct: ct).GetAwaiter().GetResult();
        if (played.Cancelled)
        {
            throw new OperationCanceledException(ct);
        }
        return perSeed.Sum() / perSeed.Length + Prior(values);
    }

    /// <summary>The results of the targets the likelihood counts (<see cref="CalibrationOptions.Targets"/>).</summary>
    private IEnumerable<TargetResult> Counted(IReadOnlyList<TargetResult> results) =>
        _targets is null ? results : results.Where(r => _targets.Contains(r.Target.Id));

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

    /// <summary>
    /// How long one evaluation of the objective takes (every seed to the last target month), timed on the objective itself
    /// (neither counted nor kept): evaluations for about 2.5 seconds (at most 300), the least of the last quarter (other
    /// work on the machine only ever adds to a time). The
    /// JIT needs the first second or two to optimise the run's code, which until then takes five times longer (measured on
    /// the baseline: 35 ms, then 6). Per seed, over the seeds.
    /// </summary>
    public Estimate EstimateEvaluation()
    {
        var clock = Stopwatch.StartNew();
        var times = new List<TimeSpan>();
        while (times.Count < 300 && (times.Count < 4 || clock.Elapsed < TimeSpan.FromSeconds(2.5)))
        {
            var start = clock.Elapsed;
            Score(_best, CancellationToken.None);
            times.Add(clock.Elapsed - start);
        }
        var least = times.Skip(times.Count * 3 / 4).Min();
        return new Estimate(least / Seeds.Count, Seeds.Count, Math.Min(Seeds.Count, Environment.ProcessorCount));
    }

    /// <summary>Plays the scenario up to its last target month and checks the targets.</summary>
    public static IReadOnlyList<TargetResult> Evaluate(LoadedScenario scenario, ulong seed) => Evaluate(scenario.Info, seed, StopTick(scenario.Info));

    private static IReadOnlyList<TargetResult> Evaluate(ScenarioInfo info, ulong seed, int stopTick)
    {
        var collector = Replicates.Collect(info, seed, stopTick);
        return new TargetEvaluator(info, collector.MonthRows, collector.Events).Evaluate();
    }

    /// <summary>
    /// <see cref="Evaluate(ScenarioInfo, ulong, int)"/> for seed number <paramref name="replicate"/>, replaying its recorded
    /// supply side where every free number is on the demand side: the same figures to the bit, without playing the
    /// companies and the job market again. The first run of a seed is played whole and recorded; so is a run whose cash
    /// binds (the replay cannot stand in for it), and its record replaces one made by a run whose cash bound.
    /// </summary>
    private IReadOnlyList<TargetResult> Played(ScenarioInfo info, IReadOnlyList<double> values, int replicate, ulong seed, int stopTick)
    {
        var context = new ScenarioContext(info, seed);
        var record = _records is null ? null : Volatile.Read(ref _records[replicate]);
        var collector = record is null ? null : Replicates.Replay(context, stopTick, record.Supply, RecordedMarkets(record, values));
        if (collector is not null)
        {
            Interlocked.Increment(ref _replayed);
        }
        else
        {
            Interlocked.Increment(ref _playedWhole);
            var recording = _records is not null && record is not { Supply.Free: true } ? new SupplyRecord() : null;
            collector = Replicates.Collect(context, stopTick, recording);
            if (recording is not null && (record is null || recording.Free))
            {
                Interlocked.CompareExchange(ref _records![replicate], new Recorded(recording, [.. values]), record);
            }
        }
        return new TargetEvaluator(info, collector.MonthRows, collector.Events).Evaluate();
    }

    /// <summary>
    /// Per market, whether a replay at <paramref name="values"/> may take its outcomes from <paramref name="record"/>: a market
    /// no free number moves, or one whose block's numbers are all the record's (its outcomes are then the record's, to the
    /// bit: <see cref="LikelihoodBlocks"/>); null when there are no blocks.
    /// </summary>
    private bool[]? RecordedMarkets(Recorded record, IReadOnlyList<double> values)
    {
        if (_grouping is not { } grouping)
        {
            return null;
        }
        var unchanged = grouping.Blocks.Select(b => b.Parameters.All(i => values[i].Equals(record.At[i]))).ToArray();
        return [.. grouping.MarketBlock.Select(b => b < 0 || unchanged[b])];
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

    /// <summary>
    /// Runs every start (in parallel, one per core; each start's path depends only on its own start point, so the result
    /// is the same on any number of cores), then takes the best start's end, rounded, as the fit.
    /// </summary>
    public CalibrationResult Run(IProgress<CalibrationProgress>? progress = null, CancellationToken ct = default)
    {
        var parameters = _text.Parameters;
        var starts = new List<StartResult>();
        for (var s = 0; s < _options.Starts && !starts.Any(x => x.Ended == StartEnd.Interrupted); s++)
        {
            starts.Add(Start(s, progress, ct));
        }
        var interrupted = starts.Any(s => s.Ended == StartEnd.Interrupted);

        // The least objective; on a tie, the first start.
        var winner = starts.Where(x => double.IsFinite(x.Objective)).DefaultIfEmpty(starts[0]).MinBy(x => x.Objective)!;
        var best = winner.To.Select(ScenarioText.Round).ToArray();
        var bestObjective = interrupted ? winner.Objective : Objective(best);
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
            // The whole horizon: the targets after the fitting window are shown too (emergent, never fitted).
            Targets = Evaluate(scenario.Info, Seeds[0], int.MaxValue),
            Evaluations = _evaluations,
            Interrupted = interrupted,
        };
    }

    /// <summary>
    /// One start, in unit coordinates (<see cref="UnitSpace"/>), in rounds. A round is a global phase: CMA-ES
    /// (<see cref="Cmaes"/>) with a step of a third of each range, a generation's points evaluated in parallel, until its
    /// spread or its progress is spent (<see cref="Global"/>); then a polish of the last digits: MathNet's bounded BFGS on
    /// forward-difference gradients (the objective is smooth under common random numbers). The first round begins at the
    /// start point, a restart at the start's best with twice the last population.
    /// </summary>
    private StartResult Start(int index, IProgress<CalibrationProgress>? progress, CancellationToken ct)
    {
        var parameters = _text.Parameters;
        var from = StartPoint(index);
        // The start's own best: what it evaluated itself, whatever the other starts found.
        IReadOnlyList<double> own = from;
        var ownObjective = double.PositiveInfinity;
        var ownEvaluations = 0;
        double Penalised(double value, double outside) => (double.IsFinite(value) ? value : Impossible) + OutsidePenalty * outside;
        void Record(double[] point, double value)
        {
            ownEvaluations++;
            if (value < ownObjective)
            {
                ownObjective = value;
                own = point;
            }
            progress?.Report(new CalibrationProgress(index + 1, _options.Starts, _evaluations, _bestObjective, value, ownObjective));
        }
        double Evaluate(Vector<double> z)
        {
            var (point, outside) = Clamped(z);
            var value = Objective(point, ct);
            Record(point, value);
            // A run without a fitted figure is impossible under the likelihood; the optimisers need a number to compare.
            return Penalised(value, outside);
        }

        // Rounds: CMA-ES then the polish, from the start point; then again from the start's best with twice the population
        // (IPOP, Auger and Hansen 2005: a larger population sees past a basin's small bumps), while a round still improves
        // the start's best by more than RestartGain and restarts are left.
        var generations = 0;
        var rounds = 0;
        var ended = StartEnd.Converged;
        var lambda = Cmaes.DefaultLambda(parameters.Count);
        double before;
        do
        {
            before = ownObjective;
            bool spent;
            try
            {
                int g;
                (g, spent) = Global(InRange(own), index, rounds, lambda, ct, (points, values) =>
                {
                    for (var k = 0; k < points.Length; k++)
                    {
                        Record(points[k], values[k]);
                    }
                });
                generations += g;
            }
            catch (OperationCanceledException)
            {
                return new StartResult(Seeded(index), from, own, ownObjective, StartEnd.Interrupted, ownEvaluations, generations, rounds);
            }
            ended = spent ? StartEnd.IterationLimit : StartEnd.Converged;
            if (!Polish(own, Evaluate, ownEvaluations + PolishEvaluationsPerParameter * parameters.Count, () => ownEvaluations))
            {
                return new StartResult(Seeded(index), from, own, ownObjective, StartEnd.Interrupted, ownEvaluations, generations, rounds);
            }
            rounds++;
            lambda *= 2;
        }
        while (rounds <= _options.Restarts && before - ownObjective > RestartGain * Math.Max(1, Math.Abs(ownObjective)));
        return new StartResult(Seeded(index), from, own, ownObjective, ended, ownEvaluations, generations, rounds);
    }

    /// <summary>
    /// The polish of a round: the last digits, which a population's ranks resolve slowly, from the gradient (MathNet's
    /// bounded BFGS on forward differences), within a budget of evaluations, since a line search on a nearly flat floor
    /// can spend thousands for nothing. False if it was cancelled.
    /// </summary>
    private bool Polish(IReadOnlyList<double> from, Func<Vector<double>, double> evaluate, int budget, Func<int> spent)
    {
        var n = _text.Parameters.Count;
        var polish = ObjectiveFunction.Value(z => spent() < budget ? evaluate(z) : throw new PolishSpentException());
        try
        {
            var lower = Vector<double>.Build.Dense(n, 0);
            var upper = Vector<double>.Build.Dense(n, 1);
            var gradient = new ForwardDifferenceGradientObjectiveFunction(polish, lower, upper, GradientStep, GradientStep);
            new BfgsBMinimizer(GradientTolerance, 1e-9, 1e-9, _options.MaxIterationsPerStart).FindMinimum(gradient, lower, upper, InRange(from));
        }
        catch (Exception e) when (e is MaximumIterationsException or PolishSpentException)
        {
            // The polish is a few digits at most: its limit does not make the start unfinished.
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OptimizationException)
        {
            // A line search that finds no descent: the point is as good as the gradient can tell.
        }
        return true;
    }

    /// <summary>
    /// The global phase of a start: CMA-ES from <paramref name="z0"/>, searching the whole line in each coordinate and
    /// evaluating at its image in the box (<see cref="BoundTransform"/>), until the spread falls below 1e-4 of the ranges, the
    /// best so far has moved by less than <see cref="ImprovementTolerance"/> over the last 10 + 30 n / lambda generations,
    /// or <see cref="CalibrationOptions.MaxGlobalEvaluations"/> are spent. Each generation's points are
    /// evaluated in parallel and reported in order through <paramref name="record"/>.
    /// </summary>
    /// <returns>The generations, and whether the evaluation limit ended them.</returns>
    private (int Generations, bool Spent) Global(Vector<double> z0, int index, int round, int lambda, CancellationToken ct, Action<double[][], double[]> record)
    {
        var n = z0.Count;
        var stream = round == 0 ? "cmaes" : $"cmaes-{round}";
        var cmaes = new Cmaes([.. z0.Select(BoundTransform.FromBox)], GlobalStep, RandomStreams.For(Seeds[0], "calibrate", index, stream), lambda);
        var window = 10 + (int)Math.Ceiling(30.0 * n / cmaes.Lambda);
        var bests = new List<double>();
        var spent = 0;
        while (spent < _options.MaxGlobalEvaluations && cmaes.Spread > 1e-4 && cmaes.Condition < 1e14)
        {
            var candidates = cmaes.Ask();
            var points = candidates.Select(c => c.Select((y, i) => _space.FromUnit(i, BoundTransform.ToBox(y))).ToArray()).ToArray();
            var cores = Math.Max(1, Environment.ProcessorCount / Math.Min(Seeds.Count, Environment.ProcessorCount));
            var values = Objectives(points, cores, ct);
            var penalised = values.Select(v => double.IsFinite(v) ? v : Impossible).ToArray();
            record(points, values);
            spent += candidates.Length;
            cmaes.Tell(candidates, penalised);
            // The best so far after each generation: the search has stalled when it moved by less than the tolerance
            // over the window (flat directions keep a generation's own best wandering long after that).
            bests.Add(Math.Min(bests.Count > 0 ? bests[^1] : double.PositiveInfinity, penalised.Min()));
            if (bests.Count > window && bests[^(window + 1)] - bests[^1] <= ImprovementTolerance * Math.Max(1, Math.Abs(bests[^1])))
            {
                return (cmaes.Generation, false);
            }
        }
        return (cmaes.Generation, spent >= _options.MaxGlobalEvaluations);
    }

    private bool Seeded(int index) => index > 0 || !_options.FromFile;

    private double[] StartPoint(int index)
    {
        var parameters = _text.Parameters;
        if (index == 0 && _options.FromFile)
        {
            return [.. parameters.Select(p => p.Start)];
        }
        var rng = RandomStreams.For(Seeds[0], "calibrate", index, "start");
        return [.. parameters.Select((_, i) => _space.FromUnit(i, 0.1 + 0.8 * rng.NextDouble()))];
    }

    /// <summary>The unit coordinates (<see cref="UnitSpace"/>) of parameter values.</summary>
    private Vector<double> InRange(IReadOnlyList<double> x) => Vector<double>.Build.DenseOfArray(_space.ToUnit(x));

    /// <summary>The point in the bounds nearest to unit coordinates <paramref name="z"/>, and the squared distance to it (unit coordinates).</summary>
    private (double[] Point, double Outside) Clamped(Vector<double> z)
    {
        var point = new double[z.Count];
        var outside = 0.0;
        for (var i = 0; i < point.Length; i++)
        {
            var inside = Math.Clamp(z[i], 0, 1);
            outside += (z[i] - inside) * (z[i] - inside);
            point[i] = _space.FromUnit(i, inside);
        }
        return (point, outside);
    }

    /// <summary>
    /// The objective's Hessian at <paramref name="values"/> in range units (MathNet's numerical Hessian; points beyond a bound
    /// are evaluated at the bound). Half of it is the Hessian of -ln posterior: its inverse times 2 is the Laplace
    /// approximation's covariance.
    /// </summary>
    public Matrix<double> Hessian(IReadOnlyList<double> values)
    {
        var parameters = _text.Parameters;
        var z0 = values.Select((x, i) => (x - parameters[i].Min) / parameters[i].Range).ToArray();
        double InRange(double[] z) => Objective([.. z.Select((v, i) => parameters[i].Min + parameters[i].Range * Math.Clamp(v, 0, 1))]);
        return Matrix<double>.Build.DenseOfArray(new NumericalHessian().Evaluate(InRange, z0));
    }

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

/// <summary>The polish spent its evaluations (thrown inside MathNet's minimiser to stop it).</summary>
internal sealed class PolishSpentException : Exception;
