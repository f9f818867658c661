using Simulation.Calibration.Posterior;
using Simulation.Model.Config;
using Simulation.Experiments;
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

    /// <summary>The <paramref name="tau"/> quantile over the replicates, by the bands' definition (<see cref="Quantiles"/>: type 7).</summary>
    public double Quantile(int output, double tau) => Valid ? Quantiles.Of(PerRun[output], tau) : double.NaN;
}

/// <summary>
/// Plays the scenario at many parameter points and reads the outputs. Every point plays the same replicate
/// seeds (<see cref="Experiments.Seeds.For"/> of the scenario's seed: common random numbers), and with posterior
/// uncertainty the same draws, so differences between points come from the parameters, not from the dice. Points
/// are bound first (an invalid one gets its error), then every (point, replicate) is played by
/// <see cref="ExperimentRunner"/> with <c>parallel</c> in flight and stored by index: the result does not depend on
/// which finishes first. A replicate stops after the last month an output needs.
/// </summary>
public sealed class PointEvaluator
{
    private readonly LoadedScenario _scenario;
    private readonly int _parallel;
    private readonly int _stopTick;
    private readonly IReplicateRunner _engine;

    private readonly PosteriorSource? _posterior;
    private readonly IReadOnlyList<string> _fileInterventions = [];

    /// <param name="engine">Where replicates are played (default: the reference loop on threads of their own).</param>
    /// <param name="uncertainty">
    /// What makes a point's replicates differ (default: their seeds). With posterior draws (from <paramref name="posterior"/>),
    /// replicate i of every point plays draw i on the paths the point (and the file, and <c>--set</c>) does not set, so
    /// points stay paired.
    /// </param>
    /// <exception cref="PosteriorException">The draws do not apply to the scenario.</exception>
    public PointEvaluator(
        LoadedScenario scenario, IReadOnlyList<OutputSpec> outputs, int runs, int parallel, IReplicateRunner? engine = null,
        UncertaintyMode uncertainty = UncertaintyMode.Seed, PosteriorSource? posterior = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        if (outputs.Count == 0)
        {
            throw new ArgumentException("at least one output is needed", nameof(outputs));
        }
        _scenario = scenario;
        _parallel = parallel;
        _engine = engine ?? new ReferenceReplicates();
        Outputs = outputs;
        if (uncertainty != UncertaintyMode.Seed)
        {
            _posterior = posterior ?? throw new ArgumentException($"uncertainty {uncertainty} needs posterior draws", nameof(posterior));
            _fileInterventions = posterior.InterventionsOf(scenario.File);
            posterior.Check(scenario, posterior.Applied(_fileInterventions.Concat(PosteriorSource.PathsOf(scenario.Sets))), runs);
        }
        Uncertainty = posterior?.Describe(uncertainty) ?? ReplicateUncertainty.Seed;
        Seeds = Uncertainty.VariesSeed ? Experiments.Seeds.First(scenario.Info.Seed, runs) : [.. Enumerable.Repeat(scenario.Info.Seed, runs)];
        Changes = new ParameterChanges(ScenarioOverrides.NumericPaths(scenario));
        _stopTick = Replicates.StopAfter(scenario.Info, outputs.Max(o => o.MonthStart));
    }

    /// <summary>What makes a point's replicates differ (its scenarios aside): for summaries.</summary>
    public ReplicateUncertainty Uncertainty { get; }

    public IReadOnlyList<OutputSpec> Outputs { get; }

    public IReadOnlyList<ulong> Seeds { get; }

    public ParameterChanges Changes { get; }

    /// <summary>Where each replicate stops: the first tick after the last month an output needs.</summary>
    public int StopTick => _stopTick;

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
        IReadOnlyList<IReadOnlyList<ParameterValue>> points, string stage = "points", IProgress<ExperimentProgress>? progress = null, CancellationToken ct = default) =>
        Evaluate(points, Bind(points, ct), stage, progress, ct);

    /// <summary>
    /// Plays points already bound by <see cref="Bind"/>; an unbound point's outcome carries its error. The valid
    /// points are the variants of one <see cref="Experiment"/> on <see cref="ExperimentRunner"/>; each point plays
    /// its own scenario's seed (a point that sets <c>seed</c> plays that one; the others share the base seed).
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled: nothing is returned.</exception>
    public IReadOnlyList<PointOutcome> Evaluate(
        IReadOnlyList<IReadOnlyList<ParameterValue>> points, IReadOnlyList<(LoadedScenario? Scenario, string? Error)> bound,
        string stage = "points", IProgress<ExperimentProgress>? progress = null, CancellationToken ct = default)
    {
        var runs = Seeds.Count;
        var values = new double[points.Count][][];
        var valid = new List<int>();
        for (var p = 0; p < points.Count; p++)
        {
            values[p] = [.. Outputs.Select(_ => new double[runs])];
            if (bound[p].Scenario is not null)
            {
                valid.Add(p);
            }
        }
        if (valid.Count > 0)
        {
            var experiment = new Experiment([.. valid.Select(p => bound[p].Scenario!.Info)], runs)
            {
                StopTick = _stopTick,
                Stage = stage,
                Uncertainty = _posterior is null ? Uncertainty : _posterior.For(Uncertainty.Mode,
                    [.. valid.Select(p => (bound[p].Scenario!, _posterior.Applied(_fileInterventions.Concat(PosteriorSource.PathsOf(bound[p].Scenario!.Sets)))))],
                    runs),
            };
            var result = ExperimentRunner.RunAsync(_engine, experiment, _parallel, cell =>
            {
                for (var o = 0; o < Outputs.Count; o++)
                {
                    values[valid[cell.Variant]][o][cell.Replicate] = Outputs[o].Evaluate(cell.Result);
                }
            }, progress, ct).GetAwaiter().GetResult();
            if (result.Cancelled)
            {
                throw new OperationCanceledException(ct);
            }
        }
        return [.. points.Select((point, p) => new PointOutcome(p, point, bound[p].Error, values[p]))];
    }

    private ParallelOptions Options(CancellationToken ct) => new() { MaxDegreeOfParallelism = _parallel, CancellationToken = ct };
}
