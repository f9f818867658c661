using System.Text.Json.Nodes;
using Simulation.Cli.Bench;
using Simulation.Cli.Commands;

namespace Simulation.Tests.Cli;

/// <summary><c>sim bench</c> in tiny configurations: it runs and prints its tables. No test looks at a time.</summary>
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
        Assert.Equal(5 + 3, figures["throughput"]!.AsArray().Count); // N=1: 3 placements and 2 single runs; N=2: 3 placements
        Assert.NotNull(figures["machine"]?["cores"]);
    }

    [Fact]
    public async Task Bench_scaling_prints_cost_against_entities_elapsed_ticks_and_grains()
    {
        var (code, stdout, stderr) = await SimAsync("bench", "--scaling", "--sizes", "2,3", "--years", "1", "--repeat", "1");

        Assert.True(code == ExitCodes.Success, $"exit code {code}\n{stdout}\n{stderr}");
        Assert.Contains("companies  researchers  apps  entities", stdout);
        Assert.Contains("cost ~ entities^", stdout);
        Assert.Contains("vs first year", stdout);
        Assert.Contains("grain calls/tick", stdout);
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

    private static async Task<(int Code, string Stdout, string Stderr)> SimAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await SimCommand.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
