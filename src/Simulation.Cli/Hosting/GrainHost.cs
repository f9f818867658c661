using Simulation.Cli.Engines;
using Simulation.Experiments;

namespace Simulation.Cli.Hosting;

/// <summary>
/// Where a command's grains run: an embedded silo in this process, or (with <c>--cluster</c>) the silos of a Redis
/// cluster this process is a client of, followed by a <see cref="SiloPool"/> that spreads replicates over them.
/// </summary>
public sealed class GrainHost : IAsyncDisposable
{
    private readonly EmbeddedSilo? _silo;
    private readonly ClusterClient? _client;

    private GrainHost(IGrainFactory grains, EmbeddedSilo? silo, ClusterClient? client, SiloPool? silos)
    {
        Grains = grains;
        _silo = silo;
        _client = client;
        Silos = silos;
    }

    public IGrainFactory Grains { get; }

    /// <summary>The cluster's active silos; null for an embedded silo.</summary>
    public SiloPool? Silos { get; }

    /// <summary>
    /// Starts an embedded silo with <paramref name="embeddedStorage"/>, or connects to <paramref name="cluster"/> (whose
    /// silos bring their own storage).
    /// </summary>
    /// <param name="log">Where a lost silo is reported (stderr).</param>
    /// <exception cref="ClusterException">The cluster cannot be reached or has no silo.</exception>
    public static async Task<GrainHost> StartAsync(ClusterTarget? cluster, Action<ISiloBuilder> embeddedStorage, TextWriter? log, CancellationToken ct)
    {
        if (cluster is null)
        {
            var silo = await EmbeddedSilo.StartAsync(embeddedStorage, ct);
            return new GrainHost(silo.Grains, silo, null, null);
        }
        var client = await ClusterClient.ConnectAsync(cluster, ct);
        try
        {
            var silos = await SiloPool.StartAsync(client.Client, log, ct);
            return new GrainHost(client.Client, null, client, silos);
        }
        catch (Exception e)
        {
            await client.DisposeAsync();
            if (e is ClusterException or OperationCanceledException)
            {
                throw;
            }
            throw new ClusterException($"--cluster: the silos of {cluster} could not be listed ({e.GetType().Name}: {e.Message.Split('\n')[0].TrimEnd('.')})", e);
        }
    }

    /// <summary>The replicate runner for a placement: <c>replicate</c> (spread over the silos, retried) or <c>company</c>.</summary>
    /// <param name="log">Where a company-placement slice asked again on a cluster is said (stderr).</param>
    public IReplicateRunner Replicates(string placement, TextWriter? log = null) =>
        placement == "company" ? new CompanyGrainReplicates(Grains, Silos, log) : new GrainReplicates(Grains, Silos);

    /// <summary>
    /// Where a calibration's objective is evaluated: on the cluster's silos (<see cref="ClusterEvaluator"/>), as many at once as
    /// their cores allow with <paramref name="seeds"/> seeds each (a silo plays an evaluation's seeds on its cores); null for an
    /// embedded silo (evaluations then run in this process, as without a host).
    /// </summary>
    public Simulation.Calibration.IObjectiveEvaluator? Evaluator(int seeds) =>
        Silos is null ? null : new ClusterEvaluator(Grains, Silos, Math.Max(Silos.Count, Silos.Cores / Math.Max(1, seeds)));

    /// <summary>Replicates in flight: as asked, else the cores of every silo (of this machine when embedded).</summary>
    public int Parallel(int? asked) => asked ?? Silos?.Cores ?? Environment.ProcessorCount;

    public async ValueTask DisposeAsync()
    {
        if (Silos is not null)
        {
            await Silos.DisposeAsync();
        }
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
