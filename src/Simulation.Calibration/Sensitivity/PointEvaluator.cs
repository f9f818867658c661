using MathNet.Numerics.Statistics;
using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Metrics;
using Simulation.Model.Rules;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;

namespace Simulation.Calibration.Sensitivity;

/// <summary>The outputs at one point of a design: each output's value in every replicate, or why the point could not be played.</summary>
public sealed record PointOutcome(int Index, IReadOnlyList<ParameterValue> Values, string? Error, IReadOnlyList<double[]> PerRun)
{
    public bool Valid => Error is null;

    /// <summary>The mean over the replicates (NaN if the point is invalid or the output missing).</summary>
    public double Mean(int output) => Valid ? PerRun[output].Average() : double.NaN;

    /// <summary>The <paramref name="tau"/> quantile over the replicates (MathNet's default, R-8).</summary>
    public double Quantile(int output, double tau) => Valid ? Statistics.Quantile(PerRun[output], tau) : double.NaN;
}

/// <summary>Progress of a batch of points: replicates played so far out of all.</summary>
public sealed record PointProgress(string Stage, int Done, int Total);

/// <summary>
/// Plays the scenario at many parameter points and reads the outputs. Every point plays the same replicate
/// seeds (<see cref="Replicate.Seed"/> of the scenario's seed: common random numbers), so differences between
/// points come from the parameters, not from the dice. Points are bound first (an invalid one gets its error),
/// then every (point, replicate) is played with the plain loop on <c>parallel</c> threads and stored by index:
/// the result does not depend on which finishes first. A replicate stops after the last month an output needs.
/// </summary>
public sealed class PointEvaluator
{
    private readonly LoadedScenario _scenario;
    private readonly int _parallel;
    private readonly int _stopTick;

    public PointEvaluator(LoadedScenario scenario, IReadOnlyList<OutputSpec> outputs, int runs, int parallel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        if (outputs.Count == 0)
        {
            throw new ArgumentException("at least one output is needed", nameof(outputs));
        }
        _scenario = scenario;
        _parallel = parallel;
        Outputs = outputs;
        Seeds = [.. Enumerable.Range(0, runs).Select(i => Replicate.Seed(scenario.Info.Seed, i))];
        Changes = new ParameterChanges(ScenarioOverrides.NumericPaths(scenario));
        _stopTick = StopTick(scenario.Info, outputs.Max(o => o.MonthStart));
    }

    public IReadOnlyList<OutputSpec> Outputs { get; }

    public IReadOnlyList<ulong> Seeds { get; }

    public ParameterChanges Changes { get; }

    /// <summary>Binds each point's scenario (in parallel); null and the error where a point is invalid.</summary>
    public IReadOnlyList<(LoadedScenario? Scenario, string? Error)> Bind(IReadOnlyList<IReadOnlyList<ParameterValue>> points, CancellationToken ct = default)
    {
        var bound = new (LoadedScenario?, string?)[points.Count];
        Parallel.For(0, points.Count, Options(ct), i =>
        {
            try
            {
                bound[i] = (Changes.Apply(_scenario, points[i]), null);
            }
            catch (ScenarioException e)
            {
                bound[i] = (null, string.Join("; ", e.Errors.Select(x => x.Message)));
            }
        });
        return bound;
    }

    /// <summary>Binds and plays every point; outcomes in the points' order.</summary>
    public IReadOnlyList<PointOutcome> Evaluate(
        IReadOnlyList<IReadOnlyList<ParameterValue>> points, string stage = "points", IProgress<PointProgress>? progress = null, CancellationToken ct = default) =>
        Evaluate(points, Bind(points, ct), stage, progress, ct);

    /// <summary>Plays points already bound by <see cref="Bind"/>; an unbound point's outcome carries its error.</summary>
    public IReadOnlyList<PointOutcome> Evaluate(
        IReadOnlyList<IReadOnlyList<ParameterValue>> points, IReadOnlyList<(LoadedScenario? Scenario, string? Error)> bound,
        string stage = "points", IProgress<PointProgress>? progress = null, CancellationToken ct = default)
    {
        var runs = Seeds.Count;
        var values = new double[points.Count][][];
        var jobs = new List<(int Point, int Run)>();
        for (var p = 0; p < points.Count; p++)
        {
            values[p] = [.. Outputs.Select(_ => new double[runs])];
            if (bound[p].Scenario is not null)
            {
                jobs.AddRange(Enumerable.Range(0, runs).Select(r => (p, r)));
            }
        }
        var done = 0;
        progress?.Report(new PointProgress(stage, 0, jobs.Count));
        Parallel.For(0, jobs.Count, Options(ct), j =>
        {
            var (p, r) = jobs[j];
            var replicate = Play(bound[p].Scenario!.Info, Seeds[r], r, _stopTick);
            for (var o = 0; o < Outputs.Count; o++)
            {
                values[p][o][r] = Outputs[o].Evaluate(replicate);
            }
            progress?.Report(new PointProgress(stage, Interlocked.Increment(ref done), jobs.Count));
        });
        return [.. points.Select((point, p) => new PointOutcome(p, point, bound[p].Error, values[p]))];
    }

    /// <summary>One replicate with the plain loop, up to tick <paramref name="stopTick"/> (exclusive), monthly rows only.</summary>
    public static ReplicateResult Play(ScenarioInfo scenario, ulong seed, int index, int stopTick)
    {
        var collector = new DataCollector(new ScenarioContext(scenario, seed), tickRows: false);
        var runner = new ReferenceRunner(scenario, seed);
        while (runner.NextTick < stopTick)
        {
            foreach (var report in runner.Advance(Math.Min(31, stopTick - runner.NextTick)))
            {
                collector.Collect(report);
            }
        }
        return ReplicateResult.From(index, seed, collector);
    }

    /// <summary>The first tick after <paramref name="lastMonth"/> (or the tick count when the scenario ends within it).</summary>
    public static int StopTick(ScenarioInfo scenario, DateOnly lastMonth)
    {
        var calendar = scenario.CreateCalendar();
        var next = new DateOnly(lastMonth.Year, lastMonth.Month, 1).AddMonths(1);
        return next <= scenario.End ? calendar.IndexOf(next) : calendar.Count;
    }

    private ParallelOptions Options(CancellationToken ct) => new() { MaxDegreeOfParallelism = _parallel, CancellationToken = ct };
}
