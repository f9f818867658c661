using System.Text.RegularExpressions;
using Simulation.Tests.Cli;
using Simulation.Tests.Support;

namespace Simulation.Tests.Cluster;

/// <summary>
/// calibrate and posterior given --cluster evaluate their objective on the silos (<c>sim silo</c> processes on the test
/// Redis) and write what they write in process, byte for byte, also when a silo is killed (SIGKILL) mid-command (a
/// posterior drawn in blocks on the shared silos: <see cref="ClusterCommandsTests"/>).
/// </summary>
[Collection(ClusterProcessCollection.Name)]
public sealed partial class CalibrationOnClusterTests : IDisposable
{
    private readonly TempDir _dir = new("sim-cluster-calibration-");

    [Fact]
    public async Task Calibrate_and_posterior_on_two_silos_write_the_bytes_they_write_in_process_also_with_a_silo_killed_mid_posterior()
    {
        var clusterId = TestRedis.NewClusterId("calibration");
        using var a = SiloProcess.Start(_dir.Path, clusterId, "silo-a");
        using var victim = SiloProcess.Start(_dir.Path, clusterId, "silo-b");
        string[] cluster = ["--cluster", TestRedis.Url, "--cluster-id", clusterId];
        var local = Folder("local");
        var remote = Folder("cluster");
        string[] calibrate = ["calibrate", "fittable.yaml", "--starts", "1", "--max-iterations", "20", "--out", "fitted.yaml"];
        string[] posterior = ["posterior", "fittable.yaml", "--chains", "4", "--warmup", "100", "--draws", "100", "--thin", "40"];

        // In process, while the silos start.
        var inProcess = await SimProcess.RunAsync(local, calibrate);
        Assert.True(inProcess.ExitCode == 0, inProcess.ToString());
        inProcess = await SimProcess.RunAsync(local, posterior);
        Assert.True(inProcess.ExitCode == 0, inProcess.ToString());
        await Task.WhenAll(a.WaitReadyAsync(), victim.WaitReadyAsync());

        var onCluster = await SimProcess.RunAsync(remote, [.. calibrate, .. cluster]);
        Assert.True(onCluster.ExitCode == 0, $"{onCluster}\n{a.Output}\n{victim.Output}");
        Assert.Contains("on the 2 silo(s) of", onCluster.Stderr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(local, "fitted.yaml")), File.ReadAllBytes(Path.Combine(remote, "fitted.yaml")));

        // The posterior, with one silo killed (SIGKILL) once it has evaluated a few hundred more proposals.
        await victim.WaitForAsync(() => Evaluated(victim) > 0, TimeSpan.FromSeconds(5), "to say it evaluated the calibration's objectives");
        var before = Evaluated(victim);
        using var run = SimProcess.Start(remote, [.. posterior, .. cluster]);
        var waiting = SimProcess.WaitAsync(run);
        try
        {
            await victim.WaitForAsync(() => Evaluated(victim) >= before + 200 || run.HasExited, TimeSpan.FromSeconds(60), "to evaluate 200 proposals");
            Assert.False(run.HasExited, $"the posterior ended before a silo could be killed\n{victim.Output}");
            victim.Kill();
        }
        finally
        {
            if (!run.HasExited && Evaluated(victim) == before)
            {
                run.Kill(entireProcessTree: true);
            }
        }
        onCluster = await waiting;
        Assert.True(onCluster.ExitCode == 0, $"{onCluster}\n{a.Output}\n{victim.Output}");
        PosteriorFolders.AssertSameDraws(local, remote);
        await a.WaitForAsync(() => Evaluated(a) > 0, TimeSpan.FromSeconds(5), "to say it evaluated");
    }

    [Theory]
    [InlineData("calibrate")]
    [InlineData("posterior")]
    [InlineData("backtest")]
    [InlineData("profile")]
    public async Task A_cluster_address_that_is_not_redis_host_port_stops_the_command_with_exit_code_2_before_any_work(string command)
    {
        var file = _dir.Write("fittable.yaml", TestScenarios.Fittable);
        var outPath = Path.Combine(_dir.Path, "out");
        string[] args = command switch
        {
            "calibrate" => ["calibrate", file, "--out", outPath],
            "backtest" => ["backtest", file, "--fit-until", "2023-06", "--out", outPath],
            "profile" => ["profile", file, "--out", outPath],
            _ => ["posterior", file],
        };

        var (code, stdout, stderr) = await SimCli.Sim([.. args, "--cluster", "http://127.0.0.1:6379"]);

        Assert.Equal(2, code);
        Assert.Contains("--cluster", stderr);
        Assert.Contains("redis://HOST:PORT", stderr);
        Assert.Equal("", stdout);
        Assert.Equal(["fittable.yaml"], Directory.EnumerateFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    public void Dispose() => _dir.Dispose();

    private string Folder(string name) => PosteriorFolders.Create(_dir.Path, name, TestScenarios.Fittable);

    /// <summary>Objectives the silo says it has evaluated (its last "evaluated N objective(s)" line).</summary>
    private static int Evaluated(SiloProcess silo) =>
        EvaluatedLine().Matches(silo.Output) is { Count: > 0 } m ? int.Parse(m[^1].Groups[1].Value) : 0;

    [GeneratedRegex(@"^evaluated (\d+) objective", RegexOptions.Multiline)]
    private static partial Regex EvaluatedLine();
}
