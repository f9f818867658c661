namespace Simulation.Tests.Support;

/// <summary>
/// The Redis the cluster tests run on: <c>SIM_TEST_REDIS=HOST:PORT</c>, which <c>.ci/run</c> sets after starting one.
/// Without it those tests fail (not skip) and say how to start one.
/// </summary>
public static class TestRedis
{
    public const string Variable = "SIM_TEST_REDIS";

    /// <summary><c>redis://HOST:PORT</c> of the test Redis.</summary>
    public static string Url
    {
        get
        {
            var hostPort = Environment.GetEnvironmentVariable(Variable);
            Assert.True(hostPort is { Length: > 0 },
                $"{Variable} is not set: the cluster tests need a Redis server. .ci/run starts one; by hand: " +
                $"redis-server --port 6390 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes && export {Variable}=127.0.0.1:6390");
            return $"redis://{hostPort}";
        }
    }

    /// <summary>A cluster id no other test (or run of the suite) uses, so tests do not see each other's silos.</summary>
    public static string NewClusterId(string what) => $"test-{what}-{Guid.NewGuid().ToString("N")[..10]}";
}
