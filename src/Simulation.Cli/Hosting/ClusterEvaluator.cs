using Simulation.Calibration;
using Simulation.Cli.Engines;
using Simulation.Contracts;

namespace Simulation.Cli.Hosting;

/// <summary>
/// A calibration's objective evaluated on the silos of a cluster (<c>--cluster</c> on calibrate, posterior, backtest and
/// profile): each evaluation is one <see cref="IEvaluationGrain"/> call carrying the problem's key and the values, on the
/// least loaded silo per core, made again on another silo when its silo is lost (<see cref="SiloPool.CallAsync{T}"/>, the
/// replicate batches' machinery). A silo that has not got the problem yet answers null and is asked again with the
/// problem (<see cref="EvaluationProblem"/>: the scenario text), which it keeps. An evaluation is a pure function of the problem and the values, so the
/// calibrator's results are those of an evaluation in process, byte for byte.
/// </summary>
public sealed class ClusterEvaluator : IObjectiveEvaluator
{
    private readonly IGrainFactory _grains;
    private readonly SiloPool _silos;
    private readonly string _session = $"evaluations-{Guid.NewGuid():N}";
    private long _calls;

    /// <param name="parallel">Evaluations in flight at once (default: the cores of every silo).</param>
    public ClusterEvaluator(IGrainFactory grains, SiloPool silos, int? parallel = null)
    {
        _grains = grains;
        _silos = silos;
        _silos.Unit = "evaluation(s)";
        Parallel = parallel ?? Math.Max(1, silos.Cores);
        // The callers wait for evaluations on threads of their own (a chain, a profile's walk): keep enough threads for the
        // client's own work beside them, rather than wait for the pool to grow.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Parallel + 2 * Environment.ProcessorCount), io);
    }

    public int Parallel { get; }

    public Task<double> EvaluateAsync(ObjectiveProblem problem, IReadOnlyList<double> values, CancellationToken ct)
    {
        var index = Interlocked.Increment(ref _calls);
        var sent = values.ToArray();
        return _silos.CallAsync(async (silo, attempt, giveUp) =>
        {
            var key = EvaluationKeys.Of(_session, index, attempt);
            if (await _grains.GetGrain<IEvaluationGrain>(key).Evaluate(problem.Key, sent, null, giveUp) is { } first)
            {
                return first;
            }
            // A silo that has not got the problem yet: the values again with the problem (its scenario text), once per silo.
            var with = new EvaluationProblem(problem.Key, problem.Text.File, problem.Text.Text, problem.Text.SeedsDirectory, [.. problem.Starts], problem.Seeds,
                problem.Targets is null ? null : [.. problem.Targets]);
            return await _grains.GetGrain<IEvaluationGrain>(key + "/with-problem").Evaluate(problem.Key, sent, with, giveUp)
                ?? throw new InvalidOperationException($"silo {silo} did not evaluate problem {problem.Key} it was given");
        }, ct);
    }
}
