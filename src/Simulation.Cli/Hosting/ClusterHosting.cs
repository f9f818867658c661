using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace Simulation.Cli.Hosting;

/// <summary>A cluster to join or call: its Redis and its id (also the ServiceId, so clusters on one Redis share nothing).</summary>
public sealed record ClusterTarget(ClusterAddress Address, string ClusterId)
{
    public const string DefaultClusterId = "sim";

    public override string ToString() => ClusterId == DefaultClusterId ? Address.ToString() : $"{Address} (cluster id {ClusterId})";

    /// <summary>The <c>--cluster</c> and <c>--cluster-id</c> a command would be given to reach this cluster.</summary>
    public string Options => ClusterId == DefaultClusterId ? $"--cluster {Address}" : $"--cluster {Address} --cluster-id {ClusterId}";

    public void Configure(ClusterOptions options)
    {
        options.ClusterId = ClusterId;
        options.ServiceId = ClusterId;
    }

    /// <summary>Throws a <see cref="ClusterException"/> unless Redis answers a PING within a few seconds.</summary>
    public async Task CheckRedisAsync()
    {
        try
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(Address.RedisConfiguration());
            await redis.GetDatabase().PingAsync();
        }
        catch (Exception e) when (e is RedisException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new ClusterException(
                $"--cluster: cannot reach Redis at {Address} ({e.Message.Split('\n')[0].TrimEnd('.')}); start one there, e.g. redis-server --port {Address.Port} --bind {Address.Host}", e);
        }
    }
}

/// <summary>What <c>sim silo</c> was asked for.</summary>
public sealed record SiloRequest(ClusterTarget Cluster, IPAddress Host, int SiloPort, int GatewayPort, int? DashboardPort, IPAddress DashboardHost, string Name);

/// <summary>A silo of a Redis cluster (<c>sim silo</c>): Redis membership and grain storage, quick failure detection, the dashboard.</summary>
public static class ClusterSilo
{
    /// <summary>
    /// Failure detection: a silo that misses 2 probes of 1 s is voted dead (Orleans's defaults, 5 s and 3, take
    /// about 12 s to evict a killed silo; these about 1-2 s: a killed silo's port refuses at once, so its probes fail
    /// without waiting out their time-out). Orleans adapts each probe's time-out (and the period between probes) to the
    /// round trips it sees, between <see cref="ClusterMembershipOptions.MinProbeTimeout"/> (half of
    /// <c>ProbeTimeout</c> unless set) and <see cref="ClusterMembershipOptions.MaxProbeTimeout"/> (four times it): on a
    /// quiet cluster on one machine it fell to the floor, 0.5 s, so one second of a busy silo (a blocking collection
    /// of a 2 GB heap, a burst of large messages ahead of the probe on the same connection) was two missed probes.
    /// The floor is 1 s here.
    /// </summary>
    public static void ConfigureMembership(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.MinProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 2;
    }

    /// <summary>Builds and starts the silo's host (a web host when the dashboard is asked for).</summary>
    public static async Task<IHost> StartAsync(SiloRequest request, CancellationToken ct)
    {
        IHostApplicationBuilder builder;
        WebApplicationBuilder? web = null;
        if (request.DashboardPort is { } dashboardPort)
        {
            web = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
            web.WebHost.ConfigureKestrel(k => k.Listen(request.DashboardHost, dashboardPort));
            builder = web;
        }
        else
        {
            builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        }
        Logs(builder.Logging, LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedSilo.NoOpHostLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(request.Cluster.Configure);
            silo.Configure<SiloOptions>(o => o.SiloName = request.Name);
            silo.UseRedisClustering(o => o.ConfigurationOptions = request.Cluster.Address.RedisConfiguration());
            silo.Configure<ClusterMembershipOptions>(ConfigureMembership);
            silo.Configure<EndpointOptions>(o =>
            {
                o.AdvertisedIPAddress = request.Host;
                o.SiloPort = request.SiloPort;
                o.GatewayPort = request.GatewayPort;
                o.SiloListeningEndpoint = new IPEndPoint(request.Host, request.SiloPort);
                o.GatewayListeningEndpoint = new IPEndPoint(request.Host, request.GatewayPort);
            });
            silo.AddRedisStorage(request.Cluster.Address);
            // Every silo collects the dashboard's figures; the one given --dashboard serves the pages.
            silo.AddDashboard();
        });

        IHost host;
        if (web is not null)
        {
            var app = web.Build();
            app.MapOrleansDashboard();
            host = app;
        }
        else
        {
            host = ((HostApplicationBuilder)builder).Build();
        }
        try
        {
            await host.StartAsync(ct);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return host;
    }

    /// <summary>
    /// The CLI's logging: nothing on stdout, levels from <paramref name="minimum"/> on stderr (no default console logger, no
    /// configuration that could turn info logging back on), without Orleans's advice and false alarms:
    /// <list type="bullet">
    /// <item>the silo's two warnings on every start recommending ServerGC (its real failures are logged as errors);</item>
    /// <item>the watchdog's start-up warning that its check "has not completed for" the machine's uptime (a bogus first measurement);</item>
    /// <item>the scheduler's warning that a grain turn took longer than a second: a run's slice of ticks, or preparing a large
    /// scenario, is one turn by design, and on a busy machine any turn can be.</item>
    /// </list>
    /// </summary>
    internal static void Logs(ILoggingBuilder logging, LogLevel minimum)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(minimum);
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        logging.AddFilter("Orleans.Runtime.Scheduler.WorkItemGroup", LogLevel.Error);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Error);
    }
}

/// <summary>
/// A client of a Redis cluster, started with a time-out: an Orleans client that finds no gateway retries
/// forever, so "no silo" has to be told apart from "slow" by the clock.
/// </summary>
public sealed class ClusterClient : IAsyncDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A replicate may legitimately take minutes; a call lost with its silo is noticed by the <c>SiloPool</c>, not by
    /// this time-out, which only catches what nothing else does.
    /// </summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromMinutes(30);

    private readonly IHost _host;

    private ClusterClient(IHost host, ClusterTarget target)
    {
        _host = host;
        Target = target;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public ClusterTarget Target { get; }

    public IClusterClient Client { get; }

    /// <exception cref="ClusterException">Redis cannot be reached, or no silo answers within <see cref="ConnectTimeout"/>.</exception>
    public static async Task<ClusterClient> ConnectAsync(ClusterTarget target, CancellationToken ct)
    {
        await target.CheckRedisAsync();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // The client's own complaints (a gateway gone) are the pool's to report, in one line.
        ClusterSilo.Logs(builder.Logging, LogLevel.Critical);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedSilo.NoOpHostLifetime>();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(target.Configure);
            client.UseRedisClustering(o => o.ConfigurationOptions = target.Address.RedisConfiguration());
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
        });
        var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await host.StartAsync(timeout.Token).WaitAsync(timeout.Token);
        }
        catch (Exception e)
        {
            _ = Task.Run(() => host.Dispose());
            ct.ThrowIfCancellationRequested();
            throw new ClusterException(
                $"--cluster: no silo of {target} answered within {ConnectTimeout.TotalSeconds:0} s" +
                (e is OperationCanceledException ? "" : $" ({e.Message.Split('\n')[0].TrimEnd('.')})") +
                $"; start one with: sim silo {target.Options}", e);
        }
        return new ClusterClient(host, target);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _host.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        _host.Dispose();
    }
}
