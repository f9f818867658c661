using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Simulation.Cli.Engines;
using Simulation.Contracts;

namespace Simulation.Cli.Hosting;

/// <summary>The grain storage a silo gives the simulation's grains (<see cref="StorageNames.Simulation"/>).</summary>
public static class SimulationStorage
{
    /// <summary>
    /// In-memory checkpoints that a deactivated grain reads back. States are written with the Orleans serializer
    /// (the types' generated codecs and the model's wire converters), not the storage's default JSON, which
    /// cannot read the model's immutable records back.
    /// </summary>
    public static ISiloBuilder AddCheckpointStorage(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(StorageNames.Simulation);
        silo.Services.AddOptions<MemoryGrainStorageOptions>(StorageNames.Simulation)
            .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        return silo;
    }

    /// <summary>How long a grain's state stays in Redis after its last write.</summary>
    public static readonly TimeSpan StateExpiry = TimeSpan.FromDays(1);

    /// <summary>
    /// Grain state in the cluster's Redis, so a grain whose silo dies reactivates elsewhere with its last written state.
    /// Written with the Orleans serializer, as <see cref="AddCheckpointStorage"/>.
    /// </summary>
    public static ISiloBuilder AddRedisStorage(this ISiloBuilder silo, ClusterAddress redis)
    {
        silo.AddRedisGrainStorage(StorageNames.Simulation, options => options.Configure<Serializer>((o, serializer) =>
        {
            o.ConfigurationOptions = redis.RedisConfiguration();
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            // A run's checkpoints matter only while it runs (each write renews this): finished runs do not pile up in Redis.
            o.EntryExpiry = StateExpiry;
        }));
        return silo;
    }

    /// <summary>Storage that drops writes, for batches whose replicates never deactivate mid-run (<see cref="TransientGrainStorage"/>).</summary>
    public static ISiloBuilder AddTransientStorage(this ISiloBuilder silo)
    {
        silo.Services.AddGrainStorage(StorageNames.Simulation, (_, _) => new TransientGrainStorage());
        return silo;
    }
}
