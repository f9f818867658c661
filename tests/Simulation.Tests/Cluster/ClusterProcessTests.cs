using Simulation.Tests.Cli;
using Simulation.Tests.Support;

namespace Simulation.Tests.Cluster;

/// <summary>
/// Real processes on a real Redis (<see cref="TestRedis"/>): three <c>sim silo</c>, a <c>sim run --cluster</c> client,
/// one silo killed with SIGKILL mid-batch.
/// </summary>
[Collection(ClusterProcessCollection.Name)]
public sealed class ClusterProcessTests : IDisposable
{
    /// <summary>Replicates per batch: a few seconds of work on three silos here, so the kill lands mid-batch.</summary>
    private const int Runs = 160;

    /// <summary>The baseline's daily ticks, 2023-01-01 to 2025-12-31.</summary>
    private const int BaselineTicks = 1096;

    private readonly TempDir _dir = new("sim-cluster-");

    [Fact]
    public async Task A_batch_on_three_silos_with_one_killed_midway_writes_the_bytes_of_a_one_silo_run()
    {
        var embedded = Path.Combine(_dir.Path, "embedded");
        var clustered = Path.Combine(_dir.Path, "cluster");
        // The one-silo batch plays while the silos start.
        var (cluster, one) = await ThreeSilos.StartBesideAsync(_dir.Path, "kill",
            () => SimProcess.RunAsync(_dir.Path, "run", SimProcess.Baseline, "--runs", $"{Runs}", "--fresh", "--no-charts", "--out", embedded));
        using var _ = cluster;
        Assert.True(one.ExitCode == 0, one.ToString());

        using var run = SimProcess.Start(_dir.Path, ["run", SimProcess.Baseline, "--runs", $"{Runs}", "--fresh", "--no-charts", "--out", clustered, .. cluster.Options]);
        var waiting = SimProcess.WaitAsync(run);
        var victim = cluster.Silos[1];
        try
        {
            // Killed once it has finished a few replicates, with more of the batch to come.
            await victim.WaitForAsync(() => victim.Played >= 5 || run.HasExited, TimeSpan.FromSeconds(60), "to play 5 replicates");
            Assert.False(run.HasExited, $"the batch ended before a silo could be killed\n{cluster.Output}");
            victim.Kill();
        }
        finally
        {
            if (!run.HasExited && victim.Played == 0)
            {
                run.Kill(entireProcessTree: true);
            }
        }
        var result = await waiting;

        Assert.True(result.ExitCode == 0, $"{result}\n{cluster.Output}");
        Assert.True(victim.Played < Runs, $"the killed silo had played the whole batch\n{cluster.Output}");
        Assert.Contains("run again on another silo", result.Stderr);
        Assert.Equal(SimCli.Files(embedded), SimCli.Files(clustered));
        foreach (var file in SimCli.Files(embedded))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(embedded, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(clustered, file))),
                $"{file} differs between the one-silo run and the run that lost a silo\n{result}");
        }
        Assert.True(cluster.Silos.Where(s => s != victim).All(s => s.Played > 0), $"a surviving silo played nothing\n{cluster.Output}");
    }

    [Fact]
    public async Task A_single_company_engine_run_whose_scheduler_silo_is_killed_midway_writes_the_bytes_of_a_one_silo_run()
    {
        var embedded = Path.Combine(_dir.Path, "embedded");
        var clustered = Path.Combine(_dir.Path, "cluster");
        // The one-silo run plays while the silos start: on two cores the test stays well under a minute.
        var (cluster, one) = await ThreeSilos.StartBesideAsync(_dir.Path, "single-run",
            () => SimProcess.RunAsync(_dir.Path, "run", SimProcess.Baseline, "--out", embedded));
        using var _ = cluster;
        Assert.True(one.ExitCode == 0, one.ToString());

        using var run = SimProcess.Start(_dir.Path, ["run", SimProcess.Baseline, "--out", clustered, .. cluster.Options]);
        var waiting = SimProcess.WaitAsync(run);
        SiloProcess? victim = null;
        (int Runs, int Companies, int Ticks) held = default;
        try
        {
            // The silo holding the run's scheduler, once it has played two slices (so checkpoints are in Redis) of the run's ticks.
            victim = await SchedulerSiloAsync(cluster, run, TimeSpan.FromSeconds(60), "the run's scheduler");
            Assert.False(run.HasExited, $"the run ended before a silo could be killed\n{cluster.Output}");
            held = victim!.Holding;
            victim.Kill();
        }
        finally
        {
            if (!run.HasExited && victim is null)
            {
                run.Kill(entireProcessTree: true);
            }
        }
        var result = await waiting;

        Assert.True(result.ExitCode == 0, $"{result}\n{cluster.Output}");
        Assert.True(held.Ticks < BaselineTicks, $"the killed silo had played the whole run ({held})\n{cluster.Output}");
        // Asked again from a tick past the start: the scheduler, back on another silo, resumed from its last checkpoint
        // (a scheduler without that checkpoint refuses, and the run would fail).
        var again = System.Text.RegularExpressions.Regex.Match(result.Stderr, @"the run's slice from tick (\d+) failed \(.*\); asked again");
        Assert.True(again.Success && int.Parse(again.Groups[1].Value) > 0, $"no slice asked again past the start\n{result}");
        Assert.True(cluster.Silos.Where(s => s != victim).Any(s => s.Holding.Ticks > 0), $"no surviving silo scheduled a tick\n{cluster.Output}");
        Assert.Equal(SimCli.Files(embedded), SimCli.Files(clustered));
        foreach (var file in SimCli.Files(embedded))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(embedded, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(clustered, file))),
                $"{file} differs between the one-silo run and the run that lost the silo of its scheduler and {held.Companies} company grain(s)\n{result}");
        }
    }

    [Fact]
    public async Task A_company_placement_batch_whose_scheduler_silo_is_killed_midway_writes_the_bytes_of_a_one_silo_batch()
    {
        var embedded = Path.Combine(_dir.Path, "embedded");
        var clustered = Path.Combine(_dir.Path, "cluster");
        string[] batch = ["run", SimProcess.Baseline, "--runs", "2", "--parallel", "1", "--placement", "company", "--fresh", "--no-charts"];
        var (cluster, one) = await ThreeSilos.StartBesideAsync(_dir.Path, "company-batch",
            () => SimProcess.RunAsync(_dir.Path, [.. batch, "--out", embedded]));
        using var _ = cluster;
        Assert.True(one.ExitCode == 0, one.ToString());

        using var run = SimProcess.Start(_dir.Path, [.. batch, "--out", clustered, .. cluster.Options]);
        var waiting = SimProcess.WaitAsync(run);
        SiloProcess? victim = null;
        try
        {
            victim = await SchedulerSiloAsync(cluster, run, TimeSpan.FromSeconds(90), "a replicate's scheduler");
            Assert.False(run.HasExited, $"the batch ended before a silo could be killed\n{cluster.Output}");
            victim!.Kill();
        }
        finally
        {
            if (!run.HasExited && victim is null)
            {
                run.Kill(entireProcessTree: true);
            }
        }
        var result = await waiting;

        // Before the replicates' tickers followed the silos, a lost scheduler left its replicate waiting for good.
        Assert.True(result.ExitCode == 0, $"{result}\n{cluster.Output}");
        Assert.Contains("asked again", result.Stderr);
        Assert.Equal(SimCli.Files(embedded), SimCli.Files(clustered));
        foreach (var file in SimCli.Files(embedded))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(embedded, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(clustered, file))),
                $"{file} differs between the one-silo batch and the batch that lost a scheduler's silo\n{result}");
        }
    }

    /// <summary>
    /// The silo that holds a scheduler and has scheduled 62 ticks (two slices: checkpoints are in Redis), once there is
    /// one; null when <paramref name="run"/> ended first. Fails after <paramref name="timeout"/>.
    /// </summary>
    private static async Task<SiloProcess?> SchedulerSiloAsync(ThreeSilos cluster, System.Diagnostics.Process run, TimeSpan timeout, string scheduler)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        SiloProcess? silo = null;
        while (silo is null && !run.HasExited)
        {
            Assert.True(clock.Elapsed < timeout, $"no silo held {scheduler} for 62 ticks within {timeout.TotalSeconds:0} s\n{cluster.Output}");
            silo = cluster.Silos.FirstOrDefault(s => s.Holding is { Runs: > 0, Ticks: >= 62 });
            await Task.Delay(20);
        }
        return silo;
    }

    [Fact]
    public async Task Cluster_status_and_the_dashboard_list_three_active_silos_and_then_two_after_one_is_killed()
    {
        using var cluster = await ThreeSilos.StartAsync(_dir.Path, "status", dashboard: true);
        var before = await SimProcess.RunAsync(_dir.Path, ["cluster", "status", .. cluster.Options]);
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Contains("3 active silo(s)", before.Stdout);
        foreach (var silo in cluster.Silos)
        {
            Assert.Matches($@"{silo.Name}\s+active", before.Stdout);
        }

        // The dashboard: its page on loopback, and its counters (what its cluster view shows) listing the silos.
        var server = cluster.Silos[0];
        await server.WaitForAsync(() => server.Dashboard is not null, TimeSpan.FromSeconds(10), "to print its dashboard's address");
        var dashboard = server.Dashboard!;
        Assert.Equal("127.0.0.1", dashboard.Host);
        using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(10) };
        using (var page = await http.GetAsync("/"))
        {
            Assert.True(page.IsSuccessStatusCode, $"GET {dashboard}: {page.StatusCode}");
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }
        var three = await DashboardSilosAsync(http, active => active.Count == 3);
        Assert.Equal(cluster.Silos.Select(s => s.Name).Order(), three.Order());

        var victim = cluster.Silos[2];
        victim.Kill();
        SimResult after = before;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(40))
        {
            // Until the others vote it dead the killed silo is listed active and shown as not answering; the status of the
            // living still comes (exit 0) every time.
            after = await SimProcess.RunAsync(_dir.Path, ["cluster", "status", .. cluster.Options]);
            Assert.True(after.ExitCode == 0, after.ToString());
            Assert.Matches($@"{victim.Name}\s+(dead|active, not answering)", after.Stdout);
            if (after.Stdout.Contains("2 active silo(s)", StringComparison.Ordinal))
            {
                break;
            }
        }
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("2 active silo(s)", after.Stdout);
        Assert.Matches($@"{victim.Name}\s+dead", after.Stdout);
        Assert.Matches($@"{cluster.Silos[0].Name}\s+active", after.Stdout);
        var two = await DashboardSilosAsync(http, active => active.Count == 2);
        Assert.Equal(cluster.Silos.Take(2).Select(s => s.Name).Order(), two.Order());
    }

    /// <summary>
    /// The names of the silos the dashboard counts as active (its <c>/DashboardCounters</c>, which its cluster page
    /// draws: <c>hosts</c> with their status and <c>totalActiveHostCount</c>), once <paramref name="until"/> holds
    /// (the dashboard refreshes them every second); fails after 30 s.
    /// </summary>
    private static async Task<List<string>> DashboardSilosAsync(HttpClient http, Func<List<string>, bool> until)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var active = new List<string>();
        var body = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            body = await http.GetStringAsync("/DashboardCounters");
            var counters = System.Text.Json.Nodes.JsonNode.Parse(body)!;
            active = [.. counters["hosts"]!.AsArray().Where(h => h!["status"]!.GetValue<string>() == "Active").Select(h => h!["siloName"]!.GetValue<string>())];
            if (until(active) && counters["totalActiveHostCount"]!.GetValue<int>() == active.Count)
            {
                return active;
            }
            await Task.Delay(250);
        }
        Assert.Fail($"the dashboard's counters did not come to the expected silos within 30 s; last: {body[..Math.Min(body.Length, 2000)]}");
        return active;
    }

    public void Dispose() => _dir.Dispose();
}
