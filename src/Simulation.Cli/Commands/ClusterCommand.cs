using System.CommandLine;
using System.Globalization;
using System.Text;
using Simulation.Cli.Hosting;

namespace Simulation.Cli.Commands;

/// <summary><c>sim cluster status --cluster redis://HOST:PORT</c>: the silos of a cluster, their load and their grains.</summary>
public static class ClusterCommand
{
    /// <summary>How long a silo has to give its statistics before it is shown as not answering.</summary>
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(10);

    public static Command Create(TextWriter stdout)
    {
        var cluster = new ClusterOption(required: true);
        var status = new Command("status", "List the cluster's silos (active or dead, since when), their load (activations, CPU, memory) and their grains by type.");
        cluster.AddTo(status);
        status.SetAction(async (parse, ct) =>
        {
            var target = cluster.Target(parse)!;
            await using var client = await ClusterClient.ConnectAsync(target, ct);
            var management = client.Client.GetGrain<IManagementGrain>(0);
            var hosts = await MembershipAsync(management, ct);
            var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
            // Silo by silo: one that was killed stays listed active until the others vote it dead, and must not take the
            // answers of the living with it.
            var load = new Dictionary<SiloAddress, SiloRuntimeStatistics>();
            var grains = new List<SimpleGrainStatistic>();
            foreach (var silo in active)
            {
                try
                {
                    load[silo] = (await management.GetRuntimeStatistics([silo]).WaitAsync(Answer, ct))[0];
                    grains.AddRange(await management.GetSimpleGrainStatistics([silo]).WaitAsync(Answer, ct));
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    load.Remove(silo);
                }
            }
            await stdout.WriteAsync(Render(target, hosts, load, grains));
            return ExitCodes.Success;
        });
        return new Command("cluster", "Look at a cluster of silos (sim silo).") { status };
    }

    public static string Render(ClusterTarget target, IReadOnlyList<MembershipEntry> hosts, IReadOnlyDictionary<SiloAddress, SiloRuntimeStatistics> load,
        IReadOnlyList<SimpleGrainStatistic> grains)
    {
        var inv = CultureInfo.InvariantCulture;
        var active = hosts.Count(h => h.Status == SiloStatus.Active);
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Cluster {target}: {active} active silo(s), {hosts.Count - active} not active");
        var rows = new List<string[]> { new[] { "silo", "name", "status", "since (UTC)", "activations", "cpu", "memory" } };
        foreach (var h in hosts.OrderBy(h => h.Status == SiloStatus.Active ? 0 : 1).ThenBy(h => h.StartTime).ThenBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal))
        {
            var since = h.Status == SiloStatus.Active ? h.StartTime : h.IAmAliveTime;
            var stats = load.GetValueOrDefault(h.SiloAddress);
            // Listed active but silent: killed, most likely, and not yet voted dead by the others.
            var status = h.Status == SiloStatus.Active && stats is null ? "active, not answering" : Word(h.Status);
            rows.Add(
            [
                h.SiloAddress.ToString(), h.SiloName, status, since.ToString("yyyy-MM-dd HH:mm:ss", inv),
                stats is null ? "-" : stats.ActivationCount.ToString(inv),
                stats is null ? "-" : $"{stats.EnvironmentStatistics.FilteredCpuUsagePercentage.ToString("0", inv)} %",
                stats is null ? "-" : $"{(stats.EnvironmentStatistics.FilteredMemoryUsageBytes / 1048576.0).ToString("0", inv)} MiB",
            ]);
        }
        Table(sb, rows);
        sb.AppendLine();
        sb.AppendLine("Grains by type (activations per silo):");
        var types = grains.GroupBy(g => g.GrainType).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (types.Count == 0)
        {
            sb.AppendLine("  (none)");
        }
        var grainRows = new List<string[]> { new[] { "grain type", "silo", "activations" } };
        foreach (var type in types)
        {
            foreach (var g in type.OrderBy(g => g.SiloAddress.ToString(), StringComparer.Ordinal))
            {
                grainRows.Add([type.Key, g.SiloAddress.ToString(), g.ActivationCount.ToString(inv)]);
            }
        }
        if (types.Count > 0)
        {
            Table(sb, grainRows);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The membership table. The management grain can have lived on a silo just killed: its calls fail until the cluster
    /// notices, and then it lives again elsewhere, so a failed read is tried again (for up to a minute).
    /// </summary>
    private static async Task<MembershipEntry[]> MembershipAsync(IManagementGrain management, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await management.GetDetailedHosts(onlyActive: false).WaitAsync(Answer, ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested && clock.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    /// <summary>The membership's status as a word: active, dead, joining, shutting-down, ...</summary>
    private static string Word(SiloStatus status) => status switch
    {
        SiloStatus.Active => "active",
        SiloStatus.Dead => "dead",
        SiloStatus.ShuttingDown or SiloStatus.Stopping => "stopping",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static void Table(StringBuilder sb, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            sb.Append("  ");
            sb.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }
    }
}
