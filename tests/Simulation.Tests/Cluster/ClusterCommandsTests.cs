using Simulation.Tests.Cli;
using Simulation.Tests.Support;

namespace Simulation.Tests.Cluster;

/// <summary>compare, sweep, sensitivity and a posterior drawn in blocks, given --cluster, play on its silos and write what they write in process.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ClusterCommandsTests(SharedSilos shared) : IDisposable
{
    private readonly TempDir _dir = new("sim-cluster-commands-");

    [Fact]
    public async Task Compare_sweep_and_sensitivity_on_a_cluster_write_the_bytes_they_write_in_process()
    {
        var whatIf = Path.Combine(SimProcess.RepoRoot, "scenarios", "what-if", "bytedance-halves-ai-budget.yaml");
        string[][] commands =
        [
            ["compare", SimProcess.Baseline, whatIf, "--runs", "4", "--no-charts"],
            ["sweep", SimProcess.Baseline, "--param", "seed=1:3:3", "--runs", "2"],
            ["sensitivity", SimProcess.Baseline, "--params", "markets.china-aigc.innovation", "--runs", "2", "--morris-top", "0", "--no-charts"],
        ];
        var cluster = shared.Cluster;
        var played = Played(cluster);
        foreach (var command in commands)
        {
            var inProcess = Path.Combine(_dir.Path, command[0] + "-in-process");
            var onCluster = Path.Combine(_dir.Path, command[0] + "-cluster");
            var local = await SimProcess.RunAsync(_dir.Path, [.. command, "--out", inProcess]);
            Assert.True(local.ExitCode == 0, local.ToString());
            var remote = await SimProcess.RunAsync(_dir.Path, [.. command, "--out", onCluster, .. cluster.Options]);
            Assert.True(remote.ExitCode == 0, $"{remote}\n{cluster.Output}");
            Assert.Equal(SimCli.Files(inProcess), SimCli.Files(onCluster));
            foreach (var file in SimCli.Files(inProcess))
            {
                Assert.True(File.ReadAllBytes(Path.Combine(inProcess, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(onCluster, file))),
                    $"sim {command[0]}: {file} differs on the cluster");
            }
        }
        // A silo says what it played once a second: give it that second.
        await cluster.Silos[0].WaitForAsync(() => Played(cluster) > played, TimeSpan.FromSeconds(1.5), "the silos to say they played these commands' replicates");
    }

    [Fact]
    public async Task A_posterior_drawn_in_blocks_on_three_silos_writes_the_draws_it_writes_in_process()
    {
        string[] posterior = ["posterior", "fittable.yaml", "--chains", "2", "--warmup", "100", "--draws", "100", "--thin", "2"];
        var local = PosteriorFolders.Create(_dir.Path, "local-pair", TestScenarios.FittablePair);
        var remote = PosteriorFolders.Create(_dir.Path, "cluster-pair", TestScenarios.FittablePair);

        var inProcess = await SimProcess.RunAsync(local, posterior);
        Assert.True(inProcess.ExitCode == 0, inProcess.ToString());
        Assert.Contains("in 2 independent blocks", inProcess.Stderr);
        var onCluster = await SimProcess.RunAsync(remote, [.. posterior, .. shared.Cluster.Options]);

        Assert.True(onCluster.ExitCode == 0, $"{onCluster}\n{shared.Cluster.Output}");
        Assert.Contains("on the 3 silo(s) of", onCluster.Stderr);
        PosteriorFolders.AssertSameDraws(local, remote);
    }

    /// <summary>Replicates the cluster's silos say they have played.</summary>
    private static int Played(ThreeSilos cluster) => cluster.Silos.Sum(s => s.Played);

    public void Dispose() => _dir.Dispose();
}
