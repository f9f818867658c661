using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Simulation.Tests.Cli;
using Simulation.Tests.Support;

namespace Simulation.Tests.Cluster;

/// <summary>
/// <c>sim bench --scaling --cluster</c> on three real <c>sim silo</c> processes and a real Redis: the company engine's
/// per-tick cost against entities and elapsed ticks, measured there, with the silo count said. No time is compared with a bound.
/// </summary>
[Collection(SharedClusterCollection.Name)]
public sealed class BenchOnClusterTests(SharedSilos shared) : IDisposable
{
    private readonly TempDir _dir = new("sim-bench-cluster-");

    [Fact]
    public async Task Bench_scaling_on_a_cluster_measures_the_company_engine_on_its_three_silos_and_says_how_many()
    {
        var cluster = shared.Cluster;
        var ticks = cluster.Silos.Sum(s => s.Holding.Ticks);
        var json = Path.Combine(_dir.Path, "scaling.json");

        // Tiny markets, one repeat: a few seconds of work on three silos (the working folder has no baseline to add).
        var result = await SimProcess.RunAsync(_dir.Path, ["bench", "--scaling", "--sizes", "2,3", "--years", "1", "--repeat", "1", "--json", json, .. cluster.Options]);

        Assert.True(result.ExitCode == 0, $"{result}\n{cluster.Output}");
        var stdout = result.Stdout;
        Assert.Contains($"On the cluster of {TestRedis.Url} (cluster id {cluster.ClusterId}): 3 silos,", stdout);
        Assert.Contains("Per-tick cost against entities: company-per-grain engine on 3 silos", stdout);
        Assert.Contains("Per-tick cost against elapsed ticks: company-per-grain engine on 3 silos", stdout);
        Assert.Contains($"Ran on 3 silos ({TestRedis.Url}, cluster id {cluster.ClusterId}): 3 active at the start and at the end", stdout);
        Assert.Contains("companies  researchers  apps  markets  entities  µs/tick", stdout);
        Assert.Contains("cost ~ entities^", stdout);
        Assert.Contains("year  ticks  µs/tick", stdout);
        Assert.Contains("flat is 1", stdout);

        var scaling = JsonNode.Parse(await File.ReadAllTextAsync(json))!["scaling"]!;
        Assert.Equal(3, (int)scaling["silos"]!);
        Assert.Equal(cluster.ClusterId, (string)scaling["cluster"]!["cluster_id"]!);
        Assert.Equal("wall", (string)scaling["clock"]!);
        var entities = scaling["entities"]!.AsArray();
        Assert.Equal([2, 3], entities.Select(e => (int)e!["companies"]!));
        foreach (var e in entities)
        {
            Assert.True((double)e!["wall_us_per_tick"]! > 0);
            // Each size is a row of the printed table: companies, researchers, apps, markets, entities, then its cost.
            var row = $@"^\s*{e["companies"]}\s+{e["researchers"]}\s+{e["apps"]}\s+{e["markets"]}\s+{e["entities"]}\s+\d+\.\d\s";
            Assert.Matches(new Regex(row, RegexOptions.Multiline), stdout);
        }
        Assert.True(double.IsFinite((double)scaling["entity_exponent"]!), "the log-log exponent is a finite number");
        var windows = scaling["elapsed"]!["windows"]!.AsArray();
        Assert.NotEmpty(windows);
        Assert.All(windows, w => Assert.True((double)w!["wall_us_per_tick"]! > 0));
        Assert.Matches(new Regex($@"^{windows[0]!["year"]}\s+0-{windows[0]!["to_tick"]}\s+\d+\.\d\s", RegexOptions.Multiline), stdout);
        // The company engine played there: two fan-outs to the companies a tick, counted by the scheduler on a silo.
        Assert.All(scaling["orleans"]!.AsArray(), o => Assert.Equal(2, (double)o!["company_fan_outs_per_tick"]!));
        // Orleans's own cost of a call on the silos, in wall time only (their CPU time is not the client's).
        var floor = scaling["call_floor"]!;
        Assert.True((double)floor["wall_us_per_call"]! > 0, floor.ToJsonString());
        Assert.Null(floor["cpu_us_per_call"]);
        Assert.Contains("under it, Orleans's own cost of a call in this run:", stdout);
        // A silo says what it schedules at most four times a second: give it that.
        await cluster.Silos[0].WaitForAsync(() => cluster.Silos.Sum(s => s.Holding.Ticks) > ticks, TimeSpan.FromSeconds(5), "a silo to say it scheduled this bench's ticks");
    }

    public void Dispose() => _dir.Dispose();
}
