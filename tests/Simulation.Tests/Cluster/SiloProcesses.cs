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

    public static SiloProcess Start(string workingDirectory, string clusterId, string name, params string[] options) =>
        new(SimProcess.Start(workingDirectory, ["silo", "--cluster", TestRedis.Url, "--cluster-id", clusterId, "--name", name, .. options]), name);

    /// <summary>The dashboard's address the silo printed (<c>Dashboard: http://...</c>), null without <c>--dashboard</c>.</summary>
    public Uri? Dashboard =>
        Lines().Select(l => DashboardLine().Match(l)).FirstOrDefault(m => m.Success) is { } m ? new Uri(m.Groups[1].Value) : null;

    /// <summary>
    /// What the silo last said it holds of single runs (its "holding R run scheduler(s) and C company grain(s); T tick(s)
    /// scheduled here" line): schedulers and company grains active now, ticks its schedulers have played so far.
    /// </summary>
    public (int Runs, int Companies, int Ticks) Holding
    {
        get
        {
            lock (_gate)
            {
                for (var i = _lines.Count - 1; i >= 0; i--)
                {
                    if (HoldingLine().Match(_lines[i]) is { Success: true } m)
                    {
                        return (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value));
                    }
                }
                return (0, 0, 0);
            }
        }
    }

    /// <summary>
    /// The runs' scenario contexts the silo last said it built so far and keeps now (the end of its "holding" line:
    /// "P scenario(s) prepared here, K kept").
    /// </summary>
    public (int Prepared, int Kept) Contexts
    {
        get
        {
            lock (_gate)
            {
                for (var i = _lines.Count - 1; i >= 0; i--)
                {
                    if (HoldingLine().Match(_lines[i]) is { Success: true } m && m.Groups[4].Success)
                    {
                        return (int.Parse(m.Groups[4].Value), int.Parse(m.Groups[5].Value));
                    }
                }
                return (0, 0);
            }
        }
    }

    /// <summary>
    /// The rosters the silo last said its runs' grains fetched from their schedulers, and how many of them came as the
    /// changes from the tick before (the end of its "holding" line).
    /// </summary>
    public (int Fetched, int AsChanges) Rosters
    {
        get
        {
            lock (_gate)
            {
                for (var i = _lines.Count - 1; i >= 0; i--)
                {
                    if (HoldingLine().Match(_lines[i]) is { Success: true } m && m.Groups[6].Success)
                    {
                        return (int.Parse(m.Groups[6].Value), int.Parse(m.Groups[7].Value));
                    }
                }
                return (0, 0);
            }
        }
    }

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

    [GeneratedRegex(@"^holding (\d+) run scheduler\(s\) and (\d+) company grain\(s\); (\d+) tick\(s\) scheduled here(?:; (\d+) scenario\(s\) prepared here, (\d+) kept)?(?:; (\d+) roster\(s\) fetched, (\d+) as changes)?")]
    private static partial Regex HoldingLine();

    [GeneratedRegex(@"^Dashboard: (http://\S+)")]
    private static partial Regex DashboardLine();
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

    /// <param name="dashboard">Whether the first silo serves the dashboard (<c>--dashboard 0</c>: on a free loopback port).</param>
    public static async Task<ThreeSilos> StartAsync(string workingDirectory, string what, bool dashboard = false)
    {
        var clusterId = TestRedis.NewClusterId(what);
        var silos = new List<SiloProcess>();
        try
        {
            foreach (var name in new[] { "silo-a", "silo-b", "silo-c" })
            {
                silos.Add(SiloProcess.Start(workingDirectory, clusterId, name, dashboard && silos.Count == 0 ? ["--dashboard", "0"] : []));
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

    /// <summary>
    /// Starts three silos while <paramref name="work"/> runs (a one-silo run to compare with, say), so the silos' start
    /// costs no wall time of its own; both once both are done. The silos are killed if the work fails, and the work's
    /// failure is the one reported, whether the silos started or not.
    /// </summary>
    public static async Task<(ThreeSilos Cluster, T Result)> StartBesideAsync<T>(string workingDirectory, string what, Func<Task<T>> work)
    {
        var starting = StartAsync(workingDirectory, what);
        T result;
        try
        {
            result = await work();
        }
        catch
        {
            try
            {
                (await starting).Dispose();
            }
            catch
            {
                // The silos failed to start as well (StartAsync killed those it had started): the work's failure says more.
            }
            throw;
        }
        return (await starting, result);
    }

    public void Dispose()
    {
        foreach (var silo in Silos)
        {
            silo.Dispose();
        }
    }
}

/// <summary>
/// The three silos of one cluster (an id of its own) that the tests of <see cref="SharedClusterCollection"/> share, as they
/// neither kill a silo nor need a fresh cluster: started once for the collection, killed at its end. Each test uses its
/// own run ids and folders, and counts what the silos say from where they stood when it began.
/// </summary>
public sealed class SharedSilos : IAsyncLifetime
{
    private readonly TempDir _dir = new("sim-shared-silos-");
    private ThreeSilos? _cluster;

    public ThreeSilos Cluster => _cluster ?? throw new InvalidOperationException("the shared silos have not started");

    public IReadOnlyList<SiloProcess> Silos => Cluster.Silos;

    public async Task InitializeAsync() => _cluster = await ThreeSilos.StartAsync(_dir.Path, "shared");

    /// <summary>
    /// Waits until no silo holds a run's scheduler, company grain or scenario context: what an earlier test's runs left
    /// has been let go, so what the silos hold from then on is the calling test's.
    /// </summary>
    public Task WaitIdleAsync() =>
        Silos[0].WaitForAsync(() => Silos.All(s => s.Holding is { Runs: 0, Companies: 0 } && s.Contexts.Kept == 0),
            TimeSpan.FromSeconds(30), "the shared silos to hold no run");

    public Task DisposeAsync()
    {
        _cluster?.Dispose();
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Tests that kill a silo or need a fresh cluster: each starts silos of its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterProcessCollection
{
    /// <summary>Alone, after the other tests: three silos and a client on two cores leave little room for anything else.</summary>
    public const string Name = "cluster processes";
}

/// <summary>
/// Tests that play on the <see cref="SharedSilos"/>. Alone too, after the other tests, and a collection of its own so the
/// shared silos run only while its tests do: idle, three silos of a Debug build still take about a third of a core.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SharedClusterCollection : ICollectionFixture<SharedSilos>
{
    public const string Name = "shared cluster processes";
}
