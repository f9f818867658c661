using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Simulation.Tests.Support;

/// <summary>
/// The Redis the cluster tests run on: <c>SIM_TEST_REDIS=HOST:PORT</c>, which <c>.ci/run</c> sets after starting one; without
/// it, a <c>redis-server</c> on the PATH started for this test process on a free loopback port (stopped when the process
/// ends), so <c>dotnet test</c> stands alone where Redis is installed. With neither, those tests fail (not skip) and say
/// how to get one.
/// </summary>
public static class TestRedis
{
    public const string Variable = "SIM_TEST_REDIS";

    private static readonly Lazy<string?> Started = new(StartOwn);

    /// <summary><c>redis://HOST:PORT</c> of the test Redis.</summary>
    public static string Url
    {
        get
        {
            var hostPort = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given ? given : Started.Value;
            Assert.True(hostPort is { Length: > 0 },
                $"{Variable} is not set and no redis-server could be started from the PATH: the cluster tests need a Redis server. " +
                $".ci/run installs and starts one; by hand: apt-get install redis-server, or " +
                $"redis-server --port 6390 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes && export {Variable}=127.0.0.1:6390");
            return $"redis://{hostPort}";
        }
    }

    /// <summary>A cluster id no other test (or run of the suite) uses, so tests do not see each other's silos.</summary>
    public static string NewClusterId(string what) => $"test-{what}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>Starts redis-server on a free loopback port for this process; null when there is none to start or it does not answer.</summary>
    private static string? StartOwn()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Process server;
        try
        {
            server = Process.Start(new ProcessStartInfo("redis-server", ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
        server.OutputDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                server.Kill();
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && !server.HasExited)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return $"127.0.0.1:{port}";
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        return null;
    }
}
