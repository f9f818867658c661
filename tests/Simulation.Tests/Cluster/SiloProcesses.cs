using System.Diagnostics;
using System.Text.RegularExpressions;
using Simulation.Tests.Cli;
using Simulation.Tests.Support;

namespace Simulation.Tests.Cluster;

/// <summary>A <c>sim silo</c> process whose stdout lines are kept as they come; killed (SIGKILL) on dispose if still running.</summary>
public sealed partial class SiloProcess : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly System.Text.StringBuilder _stderr = new();
    private readonly object _gate = new();

    private SiloProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    _lines.Add(e.Data);
                }
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public static SiloProcess Start(string workingDirectory, string clusterId, string name) =>
        new(SimProcess.Start(workingDirectory, "silo", "--cluster", TestRedis.Url, "--cluster-id", clusterId, "--name", name), name);

    /// <summary>Replicates the silo says it has played (its last "played N replicate(s)" line).</summary>
    public int Played
    {
        get
        {
            lock (_gate)
            {
                for (var i = _lines.Count - 1; i >= 0; i--)
                {
                    if (PlayedLine().Match(_lines[i]) is { Success: true } m)
                    {
                        return int.Parse(m.Groups[1].Value);
                    }
                }
                return 0;
            }
        }
    }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return $"--- {Name} stdout ---\n{string.Join('\n', _lines)}\n--- {Name} stderr ---\n{_stderr}";
            }
        }
    }

    /// <summary>Waits for the line saying the silo joined.</summary>
    public Task WaitReadyAsync() => WaitForAsync(() => Lines().Any(l => l.StartsWith($"Silo {Name} joined", StringComparison.Ordinal)), ReadyTimeout, "to join");

    /// <summary>Waits until <paramref name="condition"/> holds, failing with the silo's output after <paramref name="timeout"/> or if it exits.</summary>
    public async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(_process.HasExited, $"silo {Name} exited (code {(_process.HasExited ? _process.ExitCode : 0)}) while waiting {what}\n{Output}");
            Assert.True(clock.Elapsed < timeout, $"silo {Name} did not get {what} within {timeout.TotalSeconds} s\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: no goodbye to the cluster, which has to notice by itself.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    private List<string> Lines()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }

    [GeneratedRegex(@"^played (\d+) replicate")]
    private static partial Regex PlayedLine();
}

/// <summary>Three silo processes of one cluster with an id of its own, started together; all killed on dispose.</summary>
public sealed class ThreeSilos : IDisposable
{
    private ThreeSilos(string clusterId, IReadOnlyList<SiloProcess> silos)
    {
        ClusterId = clusterId;
        Silos = silos;
    }

    public string ClusterId { get; }

    public IReadOnlyList<SiloProcess> Silos { get; }

    /// <summary>The options that point a command at this cluster.</summary>
    public string[] Options => ["--cluster", TestRedis.Url, "--cluster-id", ClusterId];

    public string Output => string.Join('\n', Silos.Select(s => s.Output));

    public static async Task<ThreeSilos> StartAsync(string workingDirectory, string what)
    {
        var clusterId = TestRedis.NewClusterId(what);
        var silos = new List<SiloProcess>();
        try
        {
            foreach (var name in new[] { "silo-a", "silo-b", "silo-c" })
            {
                silos.Add(SiloProcess.Start(workingDirectory, clusterId, name));
            }
            await Task.WhenAll(silos.Select(s => s.WaitReadyAsync()));
            return new ThreeSilos(clusterId, silos);
        }
        catch
        {
            silos.ForEach(s => s.Dispose());
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var silo in Silos)
        {
            silo.Dispose();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterProcessCollection
{
    /// <summary>Alone, after the other tests: three silos and a client on two cores leave little room for anything else.</summary>
    public const string Name = "cluster processes";
}
