using Simulation.Contracts;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Metrics;

namespace Simulation.Cli.Engines;

/// <summary>
/// Placement "replicate": one <see cref="IReplicateGrain"/> call plays a whole replicate. In process (no
/// <see cref="SiloPool"/>) the stateless worker runs on the embedded silo. On a cluster each call names its silo
/// (a placement hint: the least loaded one per core, <see cref="SiloPool.LeaseAsync"/>); a call whose silo dies
/// or stops answering is played again, same index and seed, on another silo, so the result is the one an
/// undisturbed batch would have had (a replicate is a pure function of its scenario and seed).
/// </summary>
public sealed class GrainReplicates(IGrainFactory grains, SiloPool? silos = null) : IReplicateRunner
{
    /// <summary>Tries of one replicate before the batch fails: each lost try means a silo was lost under it.</summary>
    public const int MaxAttempts = SiloPool.MaxAttempts;

    private readonly string _batch = $"batch-{Guid.NewGuid():N}";

    public string Engine => "orleans";

    public string? Placement => "replicate";

    public async Task<ReplicateResult> RunAsync(ScenarioInfo scenario, ulong seed, int index, int stopTick = int.MaxValue)
    {
        if (silos is null)
        {
            return await grains.GetGrain<IReplicateGrain>(ReplicateKeys.Of(_batch, index)).Run(scenario, seed, index, stopTick);
        }
        return await silos.CallAsync((silo, attempt, giveUp) =>
            grains.GetGrain<IReplicateGrain>(ReplicateKeys.Of(_batch, index, attempt)).Run(scenario, seed, index, stopTick, giveUp));
    }
}

/// <summary>
/// Placement "company": each replicate is a run on the per-company grains, driven through its
/// <see cref="IRunGrain"/> by the replicate loop (<see cref="OrleansTicker"/>). When a replicate has finished,
/// its run and company grains are deactivated, so a batch holds the grains of the
/// runs in flight only (with <see cref="TransientGrainStorage"/>, nothing else of a finished run stays). On a cluster
/// (<paramref name="silos"/>) a slice whose answer was lost with a silo is asked again, as for a single run
/// (<see cref="OrleansEngine"/>), and the tidying of a finished replicate's grains never fails the batch.
/// </summary>
public sealed class CompanyGrainReplicates(IGrainFactory grains, SiloPool? silos = null, TextWriter? log = null) : IReplicateRunner
{
    public string Engine => "orleans";

    public string? Placement => "company";

    public async Task<ReplicateResult> RunAsync(ScenarioInfo scenario, ulong seed, int index, int stopTick = int.MaxValue)
    {
        var runId = $"replicate-{Guid.NewGuid():N}";
        var ticker = await OrleansTicker.StartAsync(grains, runId, scenario, seed, silos, log);
        var result = await Replicates.PlayAsync(ticker, scenario, seed, index, stopTick);
        if (silos is null)
        {
            await OrleansTicker.DeactivateAsync(grains, scenario, runId);
        }
        else
        {
            await OrleansTicker.TidyAsync(grains, scenario, runId, $"replicate {index}'s", log);
        }
        return result;
    }
}
