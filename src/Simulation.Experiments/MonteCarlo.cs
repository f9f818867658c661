using Simulation.Model.Config;
using Simulation.Model.Metrics;

namespace Simulation.Experiments;

/// <summary>What a Monte Carlo batch did: the bands of the replicates that finished.</summary>
public sealed record MonteCarloResult(int RunsRequested, BandAggregator Bands, bool Cancelled)
{
    public int Runs => Bands.Runs;
}

/// <summary>
/// N replicates of one scenario folded into a <see cref="BandAggregator"/> in replicate order: an
/// <see cref="Experiment"/> of one variant on <see cref="ExperimentRunner"/>, so the bands are the same for
/// any K, engine or placement, and cancellation returns the bands of every replicate that finished.
/// </summary>
public static class MonteCarlo
{
    public const int WindowPerSlot = ExperimentRunner.WindowPerSlot;

    /// <param name="folded">Called with each replicate in index order as it is folded (runs.csv); not kept.</param>
    /// <param name="uncertainty">What makes the replicates differ (default: their seeds alone).</param>
    public static async Task<MonteCarloResult> RunAsync(
        IReplicateRunner runner, ScenarioInfo scenario, ulong baseSeed, int runs, int parallel,
        Action<ReplicateResult>? folded = null, IProgress<ExperimentProgress>? progress = null, CancellationToken ct = default,
        int exactCapacity = QuantileSketch.DefaultExactCapacity, ReplicateUncertainty? uncertainty = null)
    {
        var bands = new BandAggregator(exactCapacity);
        var experiment = new Experiment([scenario], runs, baseSeed) { Uncertainty = uncertainty ?? ReplicateUncertainty.Seed };
        var result = await ExperimentRunner.RunAsync(runner, experiment, parallel, cell =>
        {
            bands.Add(cell.Result);
            folded?.Invoke(cell.Result);
        }, progress, ct);
        return new MonteCarloResult(runs, bands, result.Cancelled);
    }
}
