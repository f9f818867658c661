using Simulation.Tests.Cli;
using Simulation.Tests.Support;

namespace Simulation.Tests.Cluster;

/// <summary>
/// --cluster refused before any work: a bad address, a Redis nobody listens on, or a cluster without silos. None starts a
/// silo, so these run beside the other tests rather than in <see cref="ClusterProcessCollection"/>.
/// </summary>
public sealed class ClusterOptionTests : IDisposable
{
    private readonly TempDir _dir = new("sim-cluster-option-");

    [Theory]
    [InlineData("http://127.0.0.1:6379")]
    [InlineData("127.0.0.1:6379")]
    [InlineData("redis://127.0.0.1:6379/0")]
    public async Task A_cluster_address_that_is_not_redis_host_port_is_refused_with_exit_code_2(string address)
    {
        var outDir = Path.Combine(_dir.Path, "out");
        var (code, _, stderr) = await SimCli.Sim("run", Repo.Baseline, "--runs", "3", "--out", outDir, "--cluster", address);
        Assert.Equal(2, code);
        Assert.Contains("--cluster", stderr);
        Assert.Contains("redis://HOST:PORT", stderr);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task A_redis_that_cannot_be_reached_is_said_plainly_with_exit_code_2_and_nothing_written()
    {
        var port = Simulation.Cli.Hosting.EmbeddedSilo.FindFreeLoopbackPort();
        var outDir = Path.Combine(_dir.Path, "out");
        var (code, _, stderr) = await SimCli.Sim("run", Repo.Baseline, "--runs", "3", "--fresh", "--out", outDir, "--cluster", $"redis://127.0.0.1:{port}");
        Assert.Equal(2, code);
        Assert.Contains($"cannot reach Redis at redis://127.0.0.1:{port}", stderr);
        Assert.False(Directory.Exists(outDir));
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

    [Fact]
    public async Task The_reference_engine_and_a_cluster_are_refused_together()
    {
        var (code, _, stderr) = await SimCli.Sim("run", Repo.Baseline, "--engine", "reference", "--cluster", "redis://127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.Contains("--engine reference", stderr);
    }

    public void Dispose() => _dir.Dispose();
}
