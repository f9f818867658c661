using Simulation.Model.Config;
using Simulation.Model.Metrics;

namespace Simulation.Contracts;

/// <summary>
/// One Monte Carlo replicate played whole inside a grain with the pure model (one grain call per
/// replicate, not per company and tick): the placement for many small replicates. Stateless.
/// </summary>
public interface IReplicateGrain : IGrainWithStringKey
{
    /// <summary>Plays the scenario with <paramref name="seed"/> up to <paramref name="stopTick"/> (exclusive; int.MaxValue: to its end) and returns its monthly rows.</summary>
    /// <param name="cancellation">
    /// Lets a client give up on a call whose silo has left the cluster (the call then ends on the caller's side at once);
    /// a replicate that is playing finishes regardless: its result is just not awaited.
    /// </param>
    Task<ReplicateResult> Run(ScenarioInfo scenario, ulong seed, int index, int stopTick, CancellationToken cancellation = default);

    /// <summary>The processor count of the silo that serves the call: what a batch there can play at once.</summary>
    Task<int> Cores();
}

public static class ReplicateKeys
{
    /// <summary>The key of replicate <paramref name="index"/> of batch <paramref name="batchId"/>.</summary>
    public static string Of(string batchId, int index) => $"{batchId}/replicate/{index}";

    /// <summary>The key of the <paramref name="attempt"/>-th try (from 0) of replicate <paramref name="index"/>: a retry is a new grain.</summary>
    public static string Of(string batchId, int index, int attempt) => attempt == 0 ? Of(batchId, index) : $"{Of(batchId, index)}/retry/{attempt}";
}
