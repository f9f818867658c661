using Orleans.Concurrency;
using Simulation.Contracts;
using Simulation.Model.Config;
using Simulation.Experiments;
using Simulation.Model.Metrics;

namespace Simulation.Grains;

/// <summary>
/// Plays one replicate with <see cref="Replicates.Play"/> (the replicate loop, in process) and returns only its
/// monthly rows. A stateless worker: activated on the calling silo without a directory entry (or on the silo a
/// client names with a placement hint, <c>IPlacementDirector.PlacementHintKey</c>), and deactivated as soon as
/// the call returns, so a batch of thousands leaves no activations behind.
/// The arithmetic runs on a thread of its own (the default scheduler, long-running), so seconds of CPU
/// per call never hold the silo's thread pool, which its health monitor watches for stalls.
/// </summary>
[StatelessWorker]
public sealed class ReplicateGrain : Grain, IReplicateGrain
{
    private static long s_played;

    /// <summary>Replicates this process's silo has played to the end (what <c>sim silo</c> reports as it goes).</summary>
    public static long Played => Interlocked.Read(ref s_played);

    async Task<ReplicateResult> IReplicateGrain.Run(ScenarioInfo scenario, ulong seed, int index, int stopTick, CancellationToken cancellation)
    {
        var result = await Task.Factory.StartNew(
            () => Replicates.Play(scenario, seed, index, stopTick), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Interlocked.Increment(ref s_played);
        DeactivateOnIdle();
        return result;
    }

    Task<int> IReplicateGrain.Cores()
    {
        DeactivateOnIdle();
        return Task.FromResult(Environment.ProcessorCount);
    }
}
