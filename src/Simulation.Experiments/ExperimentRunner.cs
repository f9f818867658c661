using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Simulation.Model.Config;
using Simulation.Model.Metrics;

namespace Simulation.Experiments;

/// <summary>Plays one replicate of a scenario somewhere: in process, in one grain, or across per-company grains.</summary>
public interface IReplicateRunner
{
    /// <summary>The engine as summary.json names it (orleans or reference).</summary>
    string Engine { get; }

    /// <summary>replicate or company for Orleans; null for the reference engine.</summary>
    string? Placement { get; }

    /// <summary>Plays up to <paramref name="stopTick"/> (exclusive; <see cref="int.MaxValue"/>: to the end).</summary>
    Task<ReplicateResult> RunAsync(ScenarioInfo scenario, ulong seed, int index, int stopTick = int.MaxValue);
}

/// <summary>The reference loop, each replicate on a thread of its own: replicates run in parallel, no Orleans.</summary>
public sealed class ReferenceReplicates : IReplicateRunner
{
    public string Engine => "reference";

    public string? Placement => null;

    public Task<ReplicateResult> RunAsync(ScenarioInfo scenario, ulong seed, int index, int stopTick = int.MaxValue) =>
        Task.Factory.StartNew(() => Replicates.Play(scenario, seed, index, stopTick), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}

/// <summary>How far an experiment is: cells (variant x replicate) finished of all, time so far and the time left at this rate.</summary>
public sealed record ExperimentProgress(string Stage, int Done, int Total, TimeSpan Elapsed)
{
    /// <summary>Remaining time at the rate so far; null before the first cell has finished.</summary>
    public TimeSpan? Remaining => Done == 0 ? null : Elapsed * ((double)(Total - Done) / Done);
}

/// <summary>
/// Scenario variants x replicates. Replicate i of a variant plays <see cref="Seeds.For"/>(base seed, i), the base seed
/// being <see cref="BaseSeed"/> when given (common random numbers across variants: compare) or else each variant's
/// own seed (a sweep point that sets <c>seed</c> plays that seed; the others share the scenario's). With parameter
/// uncertainty (<see cref="Uncertainty"/>) replicate i plays the scenario its posterior draw gives, and with posterior
/// uncertainty alone every replicate plays the base seed itself.
/// </summary>
public sealed record Experiment(IReadOnlyList<ScenarioInfo> Variants, int Replicates, ulong? BaseSeed = null)
{
    /// <summary>Where every replicate stops (exclusive tick); <see cref="int.MaxValue"/>: the end.</summary>
    public int StopTick { get; init; } = int.MaxValue;

    /// <summary>What progress reports call this experiment ("runs", "sweep", "Morris", ...).</summary>
    public string Stage { get; init; } = "runs";

    /// <summary>What makes replicates differ: seeds (default), posterior draws of the parameters, or both.</summary>
    public ReplicateUncertainty Uncertainty { get; init; } = ReplicateUncertainty.Seed;

    public int Cells => Variants.Count * Replicates;

    /// <summary>The seed of replicate <paramref name="replicate"/> of variant <paramref name="variant"/>.</summary>
    public ulong SeedOf(int variant, int replicate) =>
        Uncertainty.VariesSeed ? Seeds.For(BaseSeed ?? Variants[variant].Seed, replicate) : BaseSeed ?? Variants[variant].Seed;

    /// <summary>The scenario replicate <paramref name="replicate"/> of variant <paramref name="variant"/> plays.</summary>
    public ScenarioInfo ScenarioOf(int variant, int replicate) =>
        Uncertainty.ScenarioOf is { } of ? of(variant, replicate) : Variants[variant];
}

/// <summary>One played cell of an experiment, handed to the fold in cell order.</summary>
public readonly record struct Cell<T>(int Variant, int Replicate, ulong Seed, T Result);

/// <summary>What an experiment did: the cells folded (a prefix of the cell order) and whether it was cancelled.</summary>
public sealed record ExperimentResult(int Cells, int Folded, bool Cancelled);

/// <summary>
/// THE experiment driver: plays the cells of an <see cref="Experiment"/> (replicate-major: every variant of
/// replicate 0, then of replicate 1, ...) with at most K in flight, and folds each result in cell order as
/// soon as it and every earlier cell have finished. Results that arrive early wait in a reorder window of at
/// most <see cref="WindowPerSlot"/> x K cells (launching pauses while it is full), so what is folded is the
/// same whichever cell finishes first, and memory does not grow with the number of cells. Cancellation stops
/// launching, lets the cells in flight finish, folds what it can and returns. The first failure stops the
/// batch and is rethrown. Progress (cells done, elapsed, remaining) is reported as cells finish.
/// </summary>
public static class ExperimentRunner
{
    public const int WindowPerSlot = 4;

    /// <summary>
    /// Plays every cell on <paramref name="engine"/>. A cell whose replicate plays a scenario of its own (a posterior
    /// draw) has it bound on a pool thread within its slot, so binding runs in parallel like the replicates.
    /// </summary>
    public static Task<ExperimentResult> RunAsync(
        IReplicateRunner engine, Experiment experiment, int parallel, Action<Cell<ReplicateResult>> fold,
        IProgress<ExperimentProgress>? progress = null, CancellationToken ct = default) =>
        experiment.Uncertainty.ScenarioOf is null
            ? RunAsync(experiment, parallel, c => engine.RunAsync(experiment.Variants[c.Variant], c.Seed, c.Replicate, experiment.StopTick), fold, progress, ct)
            : RunAsync(experiment, parallel, async c =>
            {
                var scenario = await Task.Run(() => experiment.ScenarioOf(c.Variant, c.Replicate), CancellationToken.None);
                return await engine.RunAsync(scenario, c.Seed, c.Replicate, experiment.StopTick);
            }, fold, progress, ct);

    /// <summary>Plays every cell with <paramref name="play"/> (given the cell without its result) and folds the results in cell order.</summary>
    public static async Task<ExperimentResult> RunAsync<T>(
        Experiment experiment, int parallel, Func<Cell<T?>, Task<T>> play, Action<Cell<T>> fold,
        IProgress<ExperimentProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(experiment.Replicates, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(experiment.Variants.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        var batch = new Batch<T>(experiment, fold, progress);
        using var slots = new SemaphoreSlim(parallel);
        using var window = new SemaphoreSlim(WindowPerSlot * parallel);
        var cancelled = false;
        for (var index = 0; index < experiment.Cells && batch.Failure is null; index++)
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
            var (variant, replicate) = (index % experiment.Variants.Count, index / experiment.Variants.Count);
            _ = PlayAsync(new Cell<T?>(variant, replicate, experiment.SeedOf(variant, replicate), default), index, play, batch, slots, window);
        }
        // Every cell launched holds a slot until it has finished: taking all slots waits for them.
        for (var i = 0; i < parallel; i++)
        {
            await slots.WaitAsync(CancellationToken.None);
        }
        if (batch.Failure is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
        return new ExperimentResult(experiment.Cells, batch.Folded, cancelled);
    }

    private static async Task PlayAsync<T>(Cell<T?> cell, int index, Func<Cell<T?>, Task<T>> play, Batch<T> batch, SemaphoreSlim slots, SemaphoreSlim window)
    {
        try
        {
            var result = await play(cell);
            if (batch.Arrive(index, new Cell<T>(cell.Variant, cell.Replicate, cell.Seed, result)) is var left and > 0)
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

    /// <summary>The fold: results wait here until every earlier cell has been folded.</summary>
    private sealed class Batch<T>(Experiment experiment, Action<Cell<T>> fold, IProgress<ExperimentProgress>? progress)
    {
        private readonly SortedDictionary<int, Cell<T>> _early = [];
        private readonly object _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _finished;

        public int Folded { get; private set; }

        public Exception? Failure { get; private set; }

        /// <summary>Folds what can be folded and returns how many cells left the window.</summary>
        public int Arrive(int index, Cell<T> cell)
        {
            lock (_gate)
            {
                _early.Add(index, cell);
                var left = 0;
                while (Failure is null && _early.Remove(Folded, out var next))
                {
                    fold(next);
                    Folded++;
                    left++;
                }
                progress?.Report(new ExperimentProgress(experiment.Stage, ++_finished, experiment.Cells, _clock.Elapsed));
                // A cell that cannot be folded yet keeps its place in the window until it is.
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
