using Simulation.Tests.Support;

namespace Simulation.Tests.Cluster;

/// <summary>--cluster refused before any work: a bad address, or a Redis nobody listens on.</summary>
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
    public async Task The_reference_engine_and_a_cluster_are_refused_together()
    {
        var (code, _, stderr) = await SimCli.Sim("run", Repo.Baseline, "--engine", "reference", "--cluster", "redis://127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.Contains("--engine reference", stderr);
    }

    public void Dispose() => _dir.Dispose();
}
