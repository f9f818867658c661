using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Metrics;

namespace Simulation.Cli.Engines;

/// <summary>Plays one replicate of a scenario somewhere: in process, in one grain, or across per-company grains.</summary>
public interface IReplicateRunner
{
    /// <summary>The engine as summary.json names it (orleans or reference).</summary>
    string Engine { get; }

    /// <summary>replicate or company for Orleans; null for the reference engine.</summary>
    string? Placement { get; }

    Task<ReplicateResult> RunAsync(ScenarioInfo scenario, ulong seed, int index);
}

/// <summary>What a Monte Carlo batch did: the bands of the replicates that finished.</summary>
public sealed record MonteCarloResult(int RunsRequested, BandAggregator Bands, bool Cancelled)
{
    public int Runs => Bands.Runs;
}

/// <summary>
/// Runs N replicates with at most K in flight and folds each result into a <see cref="BandAggregator"/>
/// as soon as it and every earlier replicate have finished. Results that arrive early wait in a reorder
/// window of at most <see cref="WindowPerSlot"/> x K replicates (launching pauses while the window is
/// full), so the bands are the same whichever replicate finishes first, and memory does not grow with N.
/// Cancellation stops launching, lets the replicates in flight finish, and returns the bands of all of them.
/// </summary>
public static class MonteCarlo
{
    public const int WindowPerSlot = 4;

    /// <param name="folded">Called with each replicate in index order as it is folded (runs.csv); not kept.</param>
    /// <param name="progress">Reports the count of finished replicates.</param>
    public static async Task<MonteCarloResult> RunAsync(
        IReplicateRunner runner, ScenarioInfo scenario, ulong baseSeed, int runs, int parallel,
        Action<ReplicateResult>? folded = null, IProgress<int>? progress = null, CancellationToken ct = default,
        int exactCapacity = QuantileSketch.DefaultExactCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        var batch = new Batch(new BandAggregator(exactCapacity), folded, progress);
        using var slots = new SemaphoreSlim(parallel);
        using var window = new SemaphoreSlim(WindowPerSlot * parallel);
        var cancelled = false;
        for (var index = 0; index < runs && batch.Failure is null; index++)
        {
            try
            {
                await window.WaitAsync(ct);
                try
                {
                    await slots.WaitAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    window.Release();
                    throw;
                }
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                break;
            }
            _ = PlayAsync(runner, scenario, Replicate.Seed(baseSeed, index), index, batch, slots, window);
        }
        // Every replicate launched holds a slot until it has finished: taking all slots waits for them.
        for (var i = 0; i < parallel; i++)
        {
            await slots.WaitAsync(CancellationToken.None);
        }
        if (batch.Failure is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        return new MonteCarloResult(runs, batch.Bands, cancelled);
    }

    private static async Task PlayAsync(IReplicateRunner runner, ScenarioInfo scenario, ulong seed, int index, Batch batch, SemaphoreSlim slots, SemaphoreSlim window)
    {
        try
        {
            var result = await runner.RunAsync(scenario, seed, index);
            if (batch.Arrive(result) is var left and > 0)
            {
                window.Release(left);
            }
        }
        catch (Exception e)
        {
            batch.Fail(e);
            window.Release();
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>The fold: results wait here until every earlier replicate has been folded.</summary>
    private sealed class Batch(BandAggregator bands, Action<ReplicateResult>? folded, IProgress<int>? progress)
    {
        private readonly SortedDictionary<int, ReplicateResult> _early = [];
        private readonly object _gate = new();
        private int _finished;

        public BandAggregator Bands => bands;

        public Exception? Failure { get; private set; }

        /// <summary>Folds what can be folded and returns how many replicates left the window.</summary>
        public int Arrive(ReplicateResult result)
        {
            lock (_gate)
            {
                _early.Add(result.Index, result);
                var left = 0;
                while (Failure is null && _early.Remove(bands.Runs, out var next))
                {
                    bands.Add(next);
                    folded?.Invoke(next);
                    left++;
                }
                progress?.Report(++_finished);
                // A replicate that cannot be folded yet keeps its place in the window until it is.
                return left;
            }
        }

        public void Fail(Exception e)
        {
            lock (_gate)
            {
                Failure ??= e;
            }
        }
    }
}
