using System.Collections.Concurrent;
using Orleans.Concurrency;
using Simulation.Calibration;
using Simulation.Contracts;

namespace Simulation.Cli.Hosting;

/// <summary>
/// Evaluates a calibration's objective on the silo it is placed on (<see cref="Calibrator.Score"/>, the reference runner up
/// to the last target month per seed): the problems sent with a call are kept per process
/// by key, so an evaluation's call carries only its values. A stateless worker, deactivated when its call returns, the
/// arithmetic on the thread pool (never the silo's scheduler), as the replicate grain does.
/// </summary>
[StatelessWorker]
public sealed class EvaluationGrain : Grain, IEvaluationGrain
{
    /// <summary>Problems kept at most; beyond, the least recently used goes (a command uses one or two).</summary>
    private const int Kept = 8;

    private static readonly ConcurrentDictionary<string, Entry> s_problems = new(StringComparer.Ordinal);
    private static long s_evaluated;
    private static long s_used;

    /// <summary>Evaluations this process's silo has made (what <c>sim silo</c> reports as it goes).</summary>
    public static long Evaluated => Interlocked.Read(ref s_evaluated);

    async Task<double?> IEvaluationGrain.Evaluate(string key, double[] values, EvaluationProblem? problem, CancellationToken cancellation)
    {
        DeactivateOnIdle();
        if (!s_problems.TryGetValue(key, out var entry))
        {
            if (problem is null)
            {
                return null;
            }
            entry = Keep(problem);
        }
        entry.Used = Interlocked.Increment(ref s_used);
        var objective = await Task.Run(() => entry.Calibrator.Value.Score(values, CancellationToken.None), CancellationToken.None);
        Interlocked.Increment(ref s_evaluated);
        return objective;
    }

    private static Entry Keep(EvaluationProblem problem)
    {
        var entry = s_problems.GetOrAdd(problem.Key, _ => new Entry(new Lazy<Calibrator>(
            () => ObjectiveProblem.Prepare(problem.File, problem.Text, problem.SeedsDirectory, problem.Starts, problem.Seeds, problem.Targets))));
        entry.Used = Interlocked.Increment(ref s_used);
        while (s_problems.Count > Kept && s_problems.MinBy(p => p.Value.Used) is { Key: var oldest } && oldest != problem.Key)
        {
            s_problems.TryRemove(oldest, out _);
        }
        return entry;
    }

    private sealed class Entry(Lazy<Calibrator> calibrator)
    {
        public Lazy<Calibrator> Calibrator { get; } = calibrator;

        public long Used { get; set; }
    }
}
