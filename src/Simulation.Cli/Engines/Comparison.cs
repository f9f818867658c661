using System.Collections.Concurrent;
using Simulation.Model.Config;
using Simulation.Model.Metrics;

namespace Simulation.Cli.Engines;

/// <summary>What a comparison batch did: the paired bands of the replicate indexes that finished.</summary>
public sealed record ComparisonResult(int RunsRequested, ComparisonAggregator Bands, bool Cancelled)
{
    public int Runs => Bands.Runs;
}

/// <summary>
/// Plays scenarios side by side with common random numbers: replicate i of every scenario plays the same
/// seed, <see cref="Model.Engine.Replicate.Seed"/>(base seed, i), and the replicates of index i are folded
/// together into a <see cref="ComparisonAggregator"/>. The batch is a <see cref="MonteCarlo"/> batch whose
/// replicate is the whole tuple, so folding is in index order (whatever finishes first), memory is bounded
/// by its reorder window, and cancellation and failures behave as in <c>sim run --runs</c>.
/// </summary>
public static class Comparison
{
    /// <param name="scenarios">The reference first, then the scenarios compared with it.</param>
    /// <param name="parallel">Simulations in flight at once: each replicate index plays its scenarios one after another.</param>
    /// <param name="progress">Reports the count of finished replicate indexes (every scenario played).</param>
    public static async Task<ComparisonResult> RunAsync(
        IReplicateRunner runner, IReadOnlyList<ScenarioInfo> scenarios, string metric, ulong baseSeed, int runs, int parallel,
        IProgress<int>? progress = null, CancellationToken ct = default, int exactCapacity = QuantileSketch.DefaultExactCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scenarios.Count, 2, nameof(scenarios));
        var paired = new PairedReplicates(runner, scenarios);
        var bands = new ComparisonAggregator(Names(scenarios), metric, exactCapacity);
        var batch = await MonteCarlo.RunAsync(paired, scenarios[0], baseSeed, runs, parallel,
            folded: reference => bands.Add(paired.Take(reference.Index)), progress, ct, exactCapacity);
        return new ComparisonResult(runs, bands, batch.Cancelled);
    }

    /// <summary>The scenarios' names, a repeated one numbered by its place (a scenario compared with itself: "rivals", "rivals (2)").</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<ScenarioInfo> scenarios) =>
    [
        .. scenarios.Select((s, i) => scenarios.Take(i).Any(earlier => earlier.Name == s.Name) ? $"{s.Name} ({i + 1})" : s.Name),
    ];

    /// <summary>
    /// A replicate runner whose replicate i plays every scenario with the same seed: it hands the reference's
    /// result to the batch and keeps the tuple until the batch folds index i (<see cref="Take"/>).
    /// </summary>
    private sealed class PairedReplicates(IReplicateRunner inner, IReadOnlyList<ScenarioInfo> scenarios) : IReplicateRunner
    {
        private readonly ConcurrentDictionary<int, ReplicateResult[]> _played = new();

        public string Engine => inner.Engine;

        public string? Placement => inner.Placement;

        public async Task<ReplicateResult> RunAsync(ScenarioInfo scenario, ulong seed, int index)
        {
            var results = new ReplicateResult[scenarios.Count];
            for (var s = 0; s < scenarios.Count; s++)
            {
                results[s] = await inner.RunAsync(scenarios[s], seed, index);
            }
            _played[index] = results;
            return results[0];
        }

        public ReplicateResult[] Take(int index) =>
            _played.TryRemove(index, out var results) ? results : throw new InvalidOperationException($"replicate {index} was folded before it was played");
    }
}
