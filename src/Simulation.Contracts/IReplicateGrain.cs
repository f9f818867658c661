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
    Task<ReplicateResult> Run(ScenarioInfo scenario, ulong seed, int index, int stopTick);
}

public static class ReplicateKeys
{
    /// <summary>The key of replicate <paramref name="index"/> of batch <paramref name="batchId"/>.</summary>
    public static string Of(string batchId, int index) => $"{batchId}/replicate/{index}";
}
