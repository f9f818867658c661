using System.CommandLine;
using System.Diagnostics;
using System.Net;
using Simulation.Cli.Hosting;
using Simulation.Grains;

namespace Simulation.Cli.Commands;

/// <summary>
/// <c>sim silo --cluster redis://HOST:PORT</c>: a silo that joins the cluster and serves its grains (replicates of
/// every command given the same <c>--cluster</c>, company grains, the dashboard) until Ctrl+C or SIGTERM.
/// </summary>
public static class SiloCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var cluster = new ClusterOption(required: true);
        var host = new Option<string>("--host")
        {
            Description = "The address this silo listens on and gives the others (default 127.0.0.1: this machine only; on several machines, this machine's address in their network).",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = new Option<int?>("--port") { Description = "The silo-to-silo port (default: a free one)." };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "The port clients connect to (default: a free one)." };
        var dashboard = new Option<int?>("--dashboard") { Description = "Serve the Orleans Dashboard on this port (0: a free one) of --dashboard-host.", HelpName = "PORT" };
        var dashboardHost = new Option<string>("--dashboard-host")
        {
            Description = "The address the dashboard listens on (default 127.0.0.1; it has no log-in, so think before opening it to a network).",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var name = new Option<string?>("--name") { Description = "The silo's name in sim cluster status (default: machine name and process id)." };
        var command = new Command("silo", "Run a silo that joins a cluster on Redis and plays the replicates of commands given --cluster, until Ctrl+C.")
        {
            host, port, gatewayPort, dashboard, dashboardHost, name,
        };
        cluster.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var target = cluster.Target(parse)!;
            var address = Address(parse.GetValue(host)!, "--host");
            var dashboardAddress = Address(parse.GetValue(dashboardHost)!, "--dashboard-host");
            var siloAsked = Asked(parse.GetValue(port), "--port");
            var gatewayAsked = Asked(parse.GetValue(gatewayPort), "--gateway-port");
            if (siloAsked is { } both && both == gatewayAsked)
            {
                throw new UsageException($"--port and --gateway-port must differ (both {both})");
            }
            // The ports left to the kernel are found together, so they differ from each other and from those asked for.
            int[] asked = [.. new[] { siloAsked, gatewayAsked }.OfType<int>()];
            var free = new Queue<int>(EmbeddedSilo.FindFreePorts(address, 2 - asked.Length, asked));
            var (siloPort, gateway) = (siloAsked ?? free.Dequeue(), gatewayAsked ?? free.Dequeue());
            int? dashboardPort = parse.GetValue(dashboard) is { } d
                ? Asked(d, "--dashboard") ?? EmbeddedSilo.FindFreePorts(dashboardAddress, 1, [siloPort, gateway])[0]
                : null;
            var siloName = parse.GetValue(name) ?? $"{Environment.MachineName}-{Environment.ProcessId}";
            await target.CheckRedisAsync();

            using var silo = await ClusterSilo.StartAsync(
                new SiloRequest(target, address, siloPort, gateway, dashboardPort, dashboardAddress, siloName), ct);
            var ready = DateTime.Now - Process.GetCurrentProcess().StartTime;
            await stdout.WriteLineAsync(
                $"Silo {siloName} joined {target}: silo {Endpoint(address, siloPort)}, gateway {Endpoint(address, gateway)}, ready in {ready.TotalSeconds:0.0} s.");
            if (dashboardPort is { } shown)
            {
                await stdout.WriteLineAsync($"Dashboard: http://{Endpoint(dashboardAddress, shown)}/");
            }
            await stdout.WriteLineAsync($"Ctrl+C stops it. Commands run on this cluster with {target.Options}.");
            await stdout.FlushAsync(CancellationToken.None);

            // Replicates played and calibration objectives evaluated, each said when its count changes (at most once a second):
            // what a batch left here. The runs' grains held here, said when they change (at most four times a second): which
            // silo holds which run.
            var said = 0L;
            var saidEvaluations = 0L;
            var saidRuns = (Runs: 0L, Companies: 0L, Ticks: 0L, Prepared: 0L, Kept: 0, Rosters: 0L, Changes: 0L);
            var lastSaid = Stopwatch.StartNew();
            var lastSaidEvaluations = Stopwatch.StartNew();
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
                    if (lastSaid.Elapsed >= TimeSpan.FromSeconds(1) && ReplicateGrain.Played is var played && played != said)
                    {
                        said = played;
                        lastSaid.Restart();
                        await stdout.WriteLineAsync($"played {played} replicate(s)");
                    }
                    if (lastSaidEvaluations.Elapsed >= TimeSpan.FromSeconds(1) && EvaluationGrain.Evaluated is var evaluated && evaluated != saidEvaluations)
                    {
                        saidEvaluations = evaluated;
                        lastSaidEvaluations.Restart();
                        await stdout.WriteLineAsync($"evaluated {evaluated} objective(s)");
                    }
                    if ((RunGrain.Active, CompanyGrain.Active, RunGrain.TicksPlayed, RunSetups.Built, RunSetups.Held, RunSetups.RostersFetched, RunSetups.RosterChangesFetched) is var runs && runs != saidRuns)
                    {
                        saidRuns = runs;
                        await stdout.WriteLineAsync($"holding {runs.Item1} run scheduler(s) and {runs.Item2} company grain(s); {runs.Item3} tick(s) scheduled here; " +
                            $"{runs.Item4} scenario(s) prepared here, {runs.Item5} kept; {runs.Item6} roster(s) fetched, {runs.Item7} as changes");
                    }
                    await stdout.FlushAsync(CancellationToken.None);
                }
            }
            catch (OperationCanceledException)
            {
            }
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await silo.StopAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            await stdout.WriteLineAsync($"Silo {siloName} left {target} after playing {ReplicateGrain.Played} replicate(s).");
            return ExitCodes.Success;
        });
        return command;
    }

    private static IPAddress Address(string text, string option) =>
        IPAddress.TryParse(text, out var address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any)
            ? address
            : throw new UsageException($"{option}: '{text}' is not an address other silos and clients can reach (write an IP address such as 127.0.0.1 or 10.0.0.5)");

    /// <summary>The port asked for with <paramref name="option"/>; null for a free one (not given, or 0).</summary>
    private static int? Asked(int? asked, string option) => asked switch
    {
        null or 0 => null,
        < 0 or > 65535 => throw new UsageException($"{option}: {asked} is not a port (1-65535, or 0 for a free one)"),
        { } p => p,
    };

    private static string Endpoint(IPAddress address, int port) => new IPEndPoint(address, port).ToString();
}
