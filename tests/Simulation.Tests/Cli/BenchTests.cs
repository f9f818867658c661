using System.Text.Json.Nodes;
using Simulation.Cli.Bench;
using Simulation.Cli.Commands;

namespace Simulation.Tests.Cli;

/// <summary>
/// <c>sim bench</c> in tiny configurations: it runs, prints its tables, and its figures have the right structure
/// (positive rates and costs, positive ratios, finite exponents, shares summing to 1). No test compares a time with a bound.
/// </summary>
public sealed class BenchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sim-bench-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_synthetic_market_has_the_companies_researchers_and_apps_asked_for()
    {
        var size = new SyntheticScenario(Companies: 3, Researchers: 10, AppsPerCompany: 2, Markets: 2, Years: 2);

        var info = size.Build();

        Assert.Equal(3, info.Companies.Length);
        Assert.Equal(10, info.Talent.Researchers.Length);
        Assert.Equal(6, info.Apps.Count());
        Assert.Equal(2, info.Markets.Length);
        Assert.Equal(new DateOnly(2026, 12, 31), info.End);
        Assert.All(info.Companies, c => Assert.True(c.Policy.PoachRate > 0));
    }

    [Fact]
    public async Task Bench_measures_the_monte_carlo_on_every_engine_and_prints_the_tables()
    {
        var scenario = Path.Combine(_dir, "tiny.yaml");
        await File.WriteAllTextAsync(scenario, new SyntheticScenario(Companies: 2, Researchers: 4).Yaml());
        var json = Path.Combine(_dir, "bench.json");

        var (code, stdout, stderr) = await SimAsync("bench", "--scenario", scenario, "--replicates", "1,2", "--repeat", "1", "--profile-runs", "1", "--json", json);

        Assert.True(code == ExitCodes.Success, $"exit code {code}\n{stdout}\n{stderr}");
        Assert.Contains("machine: ", stdout);
        Assert.Contains("runs  engine / placement", stdout);
        foreach (var engine in new[] { "reference", "orleans replicate", "orleans company", "single run, orleans" })
        {
            Assert.Contains(engine, stdout);
        }
        Assert.Contains("Targets", stdout);
        Assert.Contains("part ", stdout);
        Assert.Contains("load average", stdout);
        var figures = JsonNode.Parse(await File.ReadAllTextAsync(json))!;
        var rows = figures["throughput"]!.AsArray();
        Assert.Equal(5 + 3, rows.Count); // N=1: 3 placements and 2 single runs; N=2: 3 placements
        Assert.NotNull(figures["machine"]?["cores"]);
        Assert.All(rows, row =>
        {
            Assert.True((double)row!["runs_per_second"]! > 0, $"runs per second of {row["engine"]}");
            Assert.True((double)row["cpu_ms_per_run"]! > 0, $"CPU per run of {row["engine"]}");
            Assert.True((double)row["allocated_bytes_per_run"]! > 0, $"bytes per run of {row["engine"]}");
            // A ratio to the reference at the same N: positive wherever there is one to compare with.
            Assert.Equal(row["compared_with"] is null, row["ratio"] is null);
            Assert.True(row["ratio"] is null || (double)row["ratio"]! > 0, $"ratio of {row["engine"]}");
            Assert.True(row["cpu_ratio"] is null || (double)row["cpu_ratio"]! > 0, $"CPU ratio of {row["engine"]}");
        });
        var parts = figures["profile"]!.AsArray();
        Assert.All(parts, part => Assert.InRange((double)part!["share"]!, 0, 1));
        Assert.Equal(1, parts.Sum(part => (double)part!["share"]!), 6);
    }

    [Fact]
    public async Task Bench_scaling_prints_cost_against_entities_elapsed_ticks_and_grains()
    {
        var json = Path.Combine(_dir, "scaling.json");

        var (code, stdout, stderr) = await SimAsync("bench", "--scaling", "--sizes", "2,3", "--years", "1", "--repeat", "1", "--json", json);

        Assert.True(code == ExitCodes.Success, $"exit code {code}\n{stdout}\n{stderr}");
        Assert.Contains("companies  researchers  apps  markets  entities", stdout);
        Assert.Contains("cost ~ entities^", stdout);
        var scaling = JsonNode.Parse(await File.ReadAllTextAsync(json))!["scaling"]!;
        var entities = scaling["entities"]!.AsArray();
        Assert.Equal([2, 3], entities.Select(e => (int)e!["companies"]!));
        Assert.All(entities, e => Assert.True((double)e!["thread_cpu_us_per_tick"]! > 0 && (double)e["wall_us_per_tick"]! > 0));
        Assert.True(double.IsFinite((double)scaling["entity_exponent"]!), "the log-log exponent is a finite number");
        Assert.True(double.IsFinite((double)scaling["best_entity_exponent"]!));
        var windows = scaling["elapsed"]!["windows"]!.AsArray();
        Assert.NotEmpty(windows);
        Assert.All(windows, w => Assert.True((int)w!["to_tick"]! > (int)w["from_tick"]! && (double)w["thread_cpu_us_per_tick"]! > 0));
        var orleans = scaling["orleans"]!.AsArray();
        Assert.NotEmpty(orleans);
        Assert.All(orleans, o =>
        {
            Assert.True((double)o!["reference_wall_us_per_tick"]! > 0 && (double)o["orleans_wall_us_per_tick"]! > 0);
            Assert.True((double)o["cpu_ratio"]! > 0);
            Assert.True((double)o["company_calls_per_tick"]! > 0);
            // Counted by the scheduler: one Produce and one Settle fan-out a tick.
            Assert.Equal(2, (double)o["company_fan_outs_per_tick"]!);
        });
        // Orleans's own cost of a call, in fan-outs as wide as the largest size: the floor under the engine's extra per call.
        var floor = scaling["call_floor"]!;
        Assert.Equal(3, (int)floor["calls_per_fan_out"]!);
        Assert.True((double)floor["wall_us_per_call"]! > 0 && (double)floor["cpu_us_per_call"]! > 0, floor.ToJsonString());
        Assert.Contains("under it, Orleans's own cost of a call in this run:", stdout);
    }

    [Fact]
    public async Task A_sim_process_collects_without_background_collections_and_keeps_a_ticks_roster_off_the_large_object_heap()
    {
        // sim's own runtimeconfig, so a process (the test host has its own collector): a 1,000-company roster's 800 KB
        // array starts young instead of on the large-object heap, which only full collections free. The bench's machine
        // lines say it, since it moves every figure.
        var file = Path.Combine(_dir, "market.yaml");
        await File.WriteAllTextAsync(file, new SyntheticScenario(Companies: 2, Researchers: 10, Years: 1).Yaml());

        var result = await SimProcess.RunAsync(_dir, "bench", "--run", file, "--out", Path.Combine(_dir, "out"));

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit code {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains("GC: workstation, non-concurrent, large objects from 2,097,152 bytes", result.Stdout);
    }

    [Theory]
    [InlineData("--replicates", "0")]
    [InlineData("--replicates", "ten")]
    [InlineData("--repeat", "0")]
    [InlineData("--sizes", "5")]
    public async Task Bench_refuses_impossible_options_with_exit_code_2(string option, string value)
    {
        var (code, _, stderr) = await SimAsync("bench", option, value);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(option, stderr);
    }

    [Theory]
    [InlineData("--cluster applies only with --scaling", "bench", "--cluster", "redis://127.0.0.1:1")]
    [InlineData("--cluster applies only with --scaling", "bench", "--synthetic", "--out", "never.yaml", "--cluster", "redis://127.0.0.1:1")]
    [InlineData("--cluster applies only with --scaling", "bench", "--run", "never.yaml", "--cluster", "redis://127.0.0.1:1")]
    [InlineData("redis://HOST:PORT", "bench", "--scaling", "--cluster", "http://127.0.0.1:1")]
    [InlineData("--cluster-id applies only with --cluster", "bench", "--scaling", "--cluster-id", "mine")]
    public async Task Bench_refuses_a_cluster_anywhere_but_with_scaling_and_a_bad_cluster_address_with_exit_code_2(string said, params string[] args)
    {
        var (code, stdout, stderr) = await SimAsync(args);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(said, stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Empty(stdout);
        Assert.False(File.Exists("never.yaml"));
    }

    private static async Task<(int Code, string Stdout, string Stderr)> SimAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await SimCommand.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
