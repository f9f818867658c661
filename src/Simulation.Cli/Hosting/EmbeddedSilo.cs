using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Simulation.Cli.Hosting;

/// <summary>
/// An in-process, single-silo Orleans cluster for the CLI. The CLI talks to it through the
/// <see cref="IClusterClient"/> that <c>UseOrleans</c> registers in the same host, so no
/// network client (and no gateway) is involved.
/// </summary>
/// <remarks>
/// Isolation between processes: Orleans listens with SO_REUSEADDR (SO_REUSEPORT on Linux), so two
/// processes on the same port both start and the kernel silently splits connections between them.
/// Every <see cref="EmbeddedSilo"/> therefore gets a free loopback port chosen at start and a
/// ClusterId/ServiceId unique to the process.
/// </remarks>
public sealed class EmbeddedSilo : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly IHost _host;
    private int _disposed;

    private EmbeddedSilo(IHost host, string clusterId, int siloPort)
    {
        _host = host;
        ClusterId = clusterId;
        SiloPort = siloPort;
        Client = host.Services.GetRequiredService<IClusterClient>();
        Grains = host.Services.GetRequiredService<IGrainFactory>();
    }

    /// <summary>The client co-hosted with the silo (no gateway, no network hop).</summary>
    public IClusterClient Client { get; }

    /// <summary>The grain factory of the co-hosted client.</summary>
    public IGrainFactory Grains { get; }

    /// <summary>The ClusterId (also used as ServiceId) unique to this process.</summary>
    public string ClusterId { get; }

    /// <summary>The loopback port of the silo-to-silo endpoint.</summary>
    public int SiloPort { get; }

    /// <summary>Starts a silo on a free loopback port and returns once it accepts grain calls.</summary>
    public static Task<EmbeddedSilo> StartAsync(CancellationToken ct = default) => StartAsync(null, ct);

    /// <summary>
    /// Starts a silo like <see cref="StartAsync(CancellationToken)"/>, letting the caller add to the
    /// silo configuration (for example grain storage) after the defaults are applied.
    /// </summary>
    public static async Task<EmbeddedSilo> StartAsync(Action<ISiloBuilder>? configureSilo, CancellationToken ct = default)
    {
        var siloPort = FindFreeLoopbackPort();
        var clusterId = NewClusterId();

        // An empty builder: no appsettings.json, environment or command-line configuration that
        // could re-enable info logging, and no default (stdout) console logger.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());

        // Warnings and errors only, all on stderr, so the CLI's stdout holds only its own output (tables).
        ClusterSilo.Logs(builder.Logging, LogLevel.Warning);

        // The default ConsoleLifetime would take over Ctrl+C/SIGTERM and stop the silo under the
        // CLI's feet; the CLI owns cancellation, so the host gets a lifetime that does nothing.
        builder.Services.AddSingleton<IHostLifetime, NoOpHostLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = StopTimeout);

        builder.UseOrleans(silo =>
        {
            ConfigureSilo(silo, siloPort, clusterId);
            configureSilo?.Invoke(silo);
        });

        var host = builder.Build();
        try
        {
            await host.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await DisposeHostAsync(host).ConfigureAwait(false);
            throw;
        }

        return new EmbeddedSilo(host, clusterId, siloPort);
    }

    /// <summary>A ClusterId (also the ServiceId) unique to this process and call.</summary>
    public static string NewClusterId() => $"sim-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}";

    /// <summary>
    /// The silo's set-up, for this host or one it shares (the workshop's web server): one silo on
    /// <paramref name="siloPort"/> of loopback, no gateway, its own cluster id.
    /// </summary>
    public static void ConfigureSilo(ISiloBuilder silo, int siloPort, string clusterId)
    {
        // Gateway port 0 disables the gateway entirely (EndpointOptions.GatewayPort: "Specify 0 to
        // disable gateway functionality"). The co-hosted IClusterClient does not need one: it
        // calls into the silo in-process. Verified: the silo then listens on the silo port only.
        silo.UseLocalhostClustering(
            siloPort: siloPort,
            gatewayPort: 0,
            primarySiloEndpoint: new IPEndPoint(IPAddress.Loopback, siloPort),
            serviceId: clusterId,
            clusterId: clusterId);

        // UseLocalhostClustering already advertises 127.0.0.1; pin the listening endpoint to
        // loopback as well so nothing is ever exposed on another interface.
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = IPAddress.Loopback;
            o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Loopback, siloPort);
            o.GatewayListeningEndpoint = null;
        });
    }

    /// <summary>Stops the silo (at most a few seconds) and releases the host.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using (var cts = new CancellationTokenSource(StopTimeout))
        {
            try
            {
                await _host.StopAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Shutdown took too long: the host is disposed below regardless.
            }
        }

        await DisposeHostAsync(_host).ConfigureAwait(false);
    }

    private static async ValueTask DisposeHostAsync(IHost host)
    {
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            host.Dispose();
        }
    }

    /// <summary>
    /// Asks the kernel for a free loopback port by binding to port 0, then releases it. Another
    /// process could take the port in between. That window is tiny, and a collision was harmless
    /// when forced on purpose: with one silo and no gateway nothing connects to the port (two
    /// processes sharing one port each reached only their own grains), and the per-process
    /// ClusterId keeps silos of different processes from ever joining one cluster.
    /// </summary>
    public static int FindFreeLoopbackPort() => FindFreePort(IPAddress.Loopback);

    /// <summary>A free port of <paramref name="address"/>, the same way as <see cref="FindFreeLoopbackPort"/>.</summary>
    public static int FindFreePort(IPAddress address) => FindFreePorts(address, 1)[0];

    /// <summary>
    /// <paramref name="count"/> free ports of <paramref name="address"/>, all different and none of <paramref name="besides"/>:
    /// each is held until the last is found, since the kernel may hand a port it has just had back to the next ask (two
    /// free ports asked for one after the other were once the same, and a silo cannot listen twice on one port).
    /// </summary>
    public static int[] FindFreePorts(IPAddress address, int count, IReadOnlyCollection<int>? besides = null)
    {
        var held = new List<TcpListener>();
        var ports = new List<int>(count);
        try
        {
            while (ports.Count < count)
            {
                var listener = new TcpListener(address, 0);
                listener.Start();
                held.Add(listener);
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (besides?.Contains(port) != true)
                {
                    ports.Add(port);
                }
            }
            return [.. ports];
        }
        finally
        {
            foreach (var listener in held)
            {
                listener.Stop();
            }
        }
    }

    /// <summary>A host lifetime that leaves Ctrl+C and SIGTERM to the CLI.</summary>
    internal sealed class NoOpHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
