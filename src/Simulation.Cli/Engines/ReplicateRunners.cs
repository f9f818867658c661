using Orleans.Core.Internal;
using Simulation.Contracts;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Metrics;

namespace Simulation.Cli.Engines;

/// <summary>Placement "replicate": one <see cref="IReplicateGrain"/> call plays a whole replicate.</summary>
public sealed class GrainReplicates(IGrainFactory grains) : IReplicateRunner
{
    private readonly string _batch = $"batch-{Guid.NewGuid():N}";

    public string Engine => "orleans";

    public string? Placement => "replicate";

    public Task<ReplicateResult> RunAsync(ScenarioInfo scenario, ulong seed, int index, int stopTick = int.MaxValue) =>
        grains.GetGrain<IReplicateGrain>(ReplicateKeys.Of(_batch, index)).Run(scenario, seed, index, stopTick);
}

/// <summary>
/// Placement "company": each replicate is a run on the per-company grains, driven through its
/// <see cref="IRunGrain"/> by the replicate loop (<see cref="OrleansTicker"/>). When a replicate has finished,
/// its run and company grains are deactivated, so a batch holds the grains of the
/// runs in flight only (with <see cref="TransientGrainStorage"/>, nothing else of a finished run stays).
/// </summary>
public sealed class CompanyGrainReplicates(IGrainFactory grains) : IReplicateRunner
{
    public string Engine => "orleans";

    public string? Placement => "company";

    public async Task<ReplicateResult> RunAsync(ScenarioInfo scenario, ulong seed, int index, int stopTick = int.MaxValue)
    {
        var runId = $"replicate-{Guid.NewGuid():N}";
        var ticker = await OrleansTicker.StartAsync(grains, runId, scenario, seed);
        var result = await Replicates.PlayAsync(ticker, scenario, seed, index, stopTick);
        await OrleansTicker.DeactivateAsync(grains, scenario, runId);
        return result;
    }
}
