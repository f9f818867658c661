using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Metrics;

namespace Simulation.Tests.Support;

/// <summary>The reference loop with replicates finishing out of index order (a later one often first).</summary>
public sealed class ShuffledReplicates : IReplicateRunner
{
    public string Engine => "reference";

    public string? Placement => null;

    public async Task<ReplicateResult> RunAsync(ScenarioInfo scenario, ulong seed, int index, int stopTick = int.MaxValue)
    {
        await Task.Delay((index * 7) % 5 * 3);
        return await Task.Run(() => Replicates.Play(scenario, seed, index, stopTick));
    }
}
