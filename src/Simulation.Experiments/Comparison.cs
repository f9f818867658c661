using Simulation.Model.Config;
using Simulation.Model.Metrics;

namespace Simulation.Experiments;

/// <summary>What a comparison batch did: the paired bands of the replicate indexes that finished.</summary>
public sealed record ComparisonResult(int RunsRequested, ComparisonAggregator Bands, bool Cancelled)
{
    public int Runs => Bands.Runs;

    /// <summary>The paired bands of further metrics folded from the same replicates (the causal chain of <c>--explain</c>), by metric.</summary>
    public IReadOnlyDictionary<string, ComparisonAggregator> Chain { get; init; } = new Dictionary<string, ComparisonAggregator>();
}

/// <summary>
/// Plays scenarios side by side with common random numbers: an <see cref="Experiment"/> whose variants are the
/// scenarios and whose base seed is shared, so replicate i of every scenario plays <see cref="Seeds.For"/>(base
/// seed, i). Cells are folded in order (every scenario of replicate 0, then of 1, ...), and each complete
/// replicate index goes into a <see cref="ComparisonAggregator"/>; cancellation and failures behave as in
/// <c>sim run --runs</c>.
/// </summary>
public static class Comparison
{
    /// <param name="scenarios">The reference first, then the scenarios compared with it.</param>
    /// <param name="parallel">Simulations in flight at once.</param>
    /// <param name="progress">Reports simulations (scenario x replicate) finished.</param>
    /// <param name="uncertainty">
    /// What makes the replicates differ (default: their seeds alone). With posterior draws, replicate i of every
    /// scenario plays the same draw (and the same seed): the differences stay paired.
    /// </param>
    public static async Task<ComparisonResult> RunAsync(
        IReplicateRunner runner, IReadOnlyList<ScenarioInfo> scenarios, string metric, ulong baseSeed, int runs, int parallel,
        IProgress<ExperimentProgress>? progress = null, CancellationToken ct = default, int exactCapacity = QuantileSketch.DefaultExactCapacity,
        IReadOnlyList<string>? chain = null, int stopTick = int.MaxValue, ReplicateUncertainty? uncertainty = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scenarios.Count, 2, nameof(scenarios));
        var bands = new ComparisonAggregator(Names(scenarios), metric, exactCapacity);
        var chained = (chain ?? []).Distinct().ToDictionary(m => m, m => new ComparisonAggregator(Names(scenarios), m, exactCapacity));
        var row = new ReplicateResult[scenarios.Count];
        var result = await ExperimentRunner.RunAsync(runner, new Experiment(scenarios, runs, baseSeed)
        {
            Stage = "simulations",
            StopTick = stopTick,
            Uncertainty = uncertainty ?? ReplicateUncertainty.Seed,
        }, parallel, cell =>
        {
            row[cell.Variant] = cell.Result;
            if (cell.Variant == scenarios.Count - 1)
            {
                bands.Add(row);
                foreach (var aggregator in chained.Values)
                {
                    aggregator.Add(row);
                }
                row = new ReplicateResult[scenarios.Count];
            }
        }, progress, ct);
        return new ComparisonResult(runs, bands, result.Cancelled) { Chain = chained };
    }

    /// <summary>The scenarios' names, a repeated one numbered by its place (a scenario compared with itself: "rivals", "rivals (2)").</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<ScenarioInfo> scenarios) =>
    [
        .. scenarios.Select((s, i) => scenarios.Take(i).Any(earlier => earlier.Name == s.Name) ? $"{s.Name} ({i + 1})" : s.Name),
    ];
}
