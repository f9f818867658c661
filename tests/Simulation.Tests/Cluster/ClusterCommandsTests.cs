using Simulation.Tests.Cli;
using Simulation.Tests.Support;

namespace Simulation.Tests.Cluster;

/// <summary>compare, sweep and sensitivity given --cluster play on its silo and write what they write in process.</summary>
[Collection(ClusterProcessCollection.Name)]
public sealed class ClusterCommandsTests : IDisposable
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
        var clusterId = TestRedis.NewClusterId("commands");
        using var silo = SiloProcess.Start(_dir.Path, clusterId, "silo-one");
        await silo.WaitReadyAsync();
        foreach (var command in commands)
        {
            var inProcess = Path.Combine(_dir.Path, command[0] + "-in-process");
            var onCluster = Path.Combine(_dir.Path, command[0] + "-cluster");
            var local = await SimProcess.RunAsync(_dir.Path, [.. command, "--out", inProcess]);
            Assert.True(local.ExitCode == 0, local.ToString());
            var remote = await SimProcess.RunAsync(_dir.Path, [.. command, "--out", onCluster, "--cluster", TestRedis.Url, "--cluster-id", clusterId]);
            Assert.True(remote.ExitCode == 0, $"{remote}\n{silo.Output}");
            Assert.Equal(SimCli.Files(inProcess), SimCli.Files(onCluster));
            foreach (var file in SimCli.Files(inProcess))
            {
                Assert.True(File.ReadAllBytes(Path.Combine(inProcess, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(onCluster, file))),
                    $"sim {command[0]}: {file} differs on the cluster");
            }
        }
        Assert.True(silo.Played > 0 || await PlayedSoon(silo), $"the silo played nothing\n{silo.Output}");
    }

    /// <summary>The silo says what it played once a second: give it that second.</summary>
    private static async Task<bool> PlayedSoon(SiloProcess silo)
    {
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        return silo.Played > 0;
    }

    public void Dispose() => _dir.Dispose();
}
