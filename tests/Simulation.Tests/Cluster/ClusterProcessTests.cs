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

    private readonly TempDir _dir = new("sim-cluster-");

    [Fact]
    public async Task A_batch_on_three_silos_with_one_killed_midway_writes_the_bytes_of_a_one_silo_run()
    {
        var embedded = Path.Combine(_dir.Path, "embedded");
        var clustered = Path.Combine(_dir.Path, "cluster");
        var one = await SimProcess.RunAsync(_dir.Path, "run", SimProcess.Baseline, "--runs", $"{Runs}", "--fresh", "--no-charts", "--out", embedded);
        Assert.True(one.ExitCode == 0, one.ToString());

        using var cluster = await ThreeSilos.StartAsync(_dir.Path, "kill");
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
    public async Task Cluster_status_lists_three_active_silos_and_then_two_after_one_is_killed()
    {
        using var cluster = await ThreeSilos.StartAsync(_dir.Path, "status");
        var before = await SimProcess.RunAsync(_dir.Path, ["cluster", "status", .. cluster.Options]);
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Contains("3 active silo(s)", before.Stdout);
        foreach (var silo in cluster.Silos)
        {
            Assert.Matches($@"{silo.Name}\s+active", before.Stdout);
        }

        cluster.Silos[2].Kill();
        SimResult after = before;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(40))
        {
            after = await SimProcess.RunAsync(_dir.Path, ["cluster", "status", .. cluster.Options]);
            Assert.True(after.ExitCode == 0, after.ToString());
            if (after.Stdout.Contains("2 active silo(s)", StringComparison.Ordinal))
            {
                break;
            }
        }
        Assert.Contains("2 active silo(s)", after.Stdout);
        Assert.Matches($@"{cluster.Silos[2].Name}\s+dead", after.Stdout);
        Assert.Matches($@"{cluster.Silos[0].Name}\s+active", after.Stdout);
    }

    [Fact]
    public async Task A_command_given_a_cluster_without_silos_fails_with_exit_code_2_and_writes_nothing()
    {
        var outDir = Path.Combine(_dir.Path, "nothing");
        var result = await SimProcess.RunAsync(_dir.Path, "run", SimProcess.Baseline, "--runs", "4", "--fresh", "--out", outDir,
            "--cluster", TestRedis.Url, "--cluster-id", TestRedis.NewClusterId("empty"));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("no silo of", result.Stderr);
        Assert.Contains("sim silo --cluster", result.Stderr);
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.EnumerateDirectories(_dir.Path));
    }

    public void Dispose() => _dir.Dispose();
}
