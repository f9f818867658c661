using Orleans.Storage;

namespace Simulation.Cli.Engines;

/// <summary>
/// Grain storage for a Monte Carlo batch: writes are dropped and reads find nothing. A replicate's grains
/// stay active from its first tick to its last and are deactivated when it ends, so no state is ever
/// read back; memory storage would keep a copy of every finished replicate's grains until the process
/// ends. A grain that lost its activation mid-run fails loudly (its run "has not been started").
/// </summary>
public sealed class TransientGrainStorage : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
