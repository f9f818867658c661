using System.Text.Json.Nodes;
using Simulation.Cli.Bench;
using Simulation.Cli.Commands;
using Simulation.Cli.Engines;
using Simulation.Experiments;
using Simulation.Exports;
using Simulation.Model.Time;
using Simulation.Scenarios;
using Simulation.Tests.Support;
using static Simulation.Tests.Support.SimCli;

namespace Simulation.Tests.Cli;

/// <summary>
/// The synthetic market generator (<see cref="SyntheticScenario"/>, <c>sim bench --synthetic</c>) and the whole-run
/// measurement (<c>sim bench --run</c>) on small sizes: the counts asked for, a valid scenario, the same bytes for the same
/// seed. No test times anything.
/// </summary>
public sealed class SyntheticScenarioTests : IDisposable
{
    private readonly TempDir _dir = new("sim-synthetic-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_synthetic_market_has_the_companies_researchers_markets_ticks_and_poach_rate_asked_for()
    {
        var size = new SyntheticScenario(Companies: 12, Researchers: 300, AppsPerCompany: 2, Markets: 3, Tick: TickLength.Week, Ticks: 20, PoachRate: 0.05);

        var info = size.Build();

        Assert.Equal(12, info.Companies.Length);
        Assert.Equal(300, info.Talent.Researchers.Length);
        Assert.Equal(24, info.Apps.Count());
        Assert.Equal(3, info.Markets.Length);
        Assert.All(info.Markets, m => Assert.Equal(8, info.Apps.Count(a => a.App.Market == m.Id)));
        Assert.Equal(TickLength.Week, info.TickLength);
        Assert.Equal(20, info.CreateCalendar().Count);
        Assert.All(info.Companies, c => Assert.Equal(0.05, c.Policy.PoachRate));
        Assert.Equal(info.Talent.Researchers.Length, info.Talent.Researchers.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void The_scaling_shape_keeps_the_thousand_company_market_proportions_at_every_size()
    {
        var small = SyntheticScenario.Scaled(40);
        var large = SyntheticScenario.Scaled(1000);

        Assert.Equal((4_000, 2, TickLength.Week), (small.Researchers, small.Markets, small.Tick));
        Assert.Equal((100_000, 50, 2_000), (large.Researchers, large.Markets, large.Companies * large.AppsPerCompany));
        // Each company approaches the same number of stars a month at both sizes.
        Assert.Equal(small.PoachRate * small.Researchers, large.PoachRate * large.Researchers, 9);
    }

    [Fact]
    public async Task Bench_synthetic_writes_a_scenario_that_the_loader_validates_and_sim_run_plays()
    {
        var file = Path.Combine(_dir.Path, "market.yaml");
        var outDir = Path.Combine(_dir.Path, "out");

        var (code, stdout, stderr) = await Sim("bench", "--synthetic", "--companies", "6", "--researchers", "60", "--markets", "2", "--tick", "week", "--ticks", "26", "--out", file);
        Assert.True(code == ExitCodes.Success, $"exit code {code}\n{stdout}\n{stderr}");
        var info = ScenarioLoader.Load(file).Info;
        Assert.Equal((6, 60, 2, 26), (info.Companies.Length, info.Talent.Researchers.Length, info.Markets.Length, info.CreateCalendar().Count));

        (code, stdout, stderr) = await Sim("run", file, "--engine", "reference", "--out", outDir, "--no-charts");
        Assert.True(code == ExitCodes.Success, $"exit code {code}\n{stdout}\n{stderr}");
        Assert.Equal(["events.csv", "monthly.csv", "summary.json", "ticks.csv"], Files(outDir).Where(f => !f.StartsWith('.')));
    }

    [Fact]
    public async Task The_same_seed_plays_a_synthetic_market_to_the_same_bytes_and_another_seed_does_not()
    {
        var loaded = ScenarioLoader.Parse(new SyntheticScenario(Companies: 8, Researchers: 400, Markets: 2, Tick: TickLength.Week, Ticks: 52, PoachRate: 0.1).Yaml(), "synthetic.yaml");

        async Task<IReadOnlyDictionary<string, string>> Play(ulong seed) => RunExport.Render(await SimulationRun.RunAsync(new ReferenceEngine(), loaded, seed));
        var first = await Play(42);
        var again = await Play(42);
        var other = await Play(43);

        Assert.Equal(first.Keys, again.Keys);
        Assert.All(first, f => Assert.True(f.Value == again[f.Key], $"{f.Key} differs between two plays on one seed"));
        Assert.Contains("poach", first["events.csv"]);
        Assert.NotEqual(first["events.csv"], other["events.csv"]);
    }

    [Fact]
    public async Task Bench_run_measures_a_whole_run_and_writes_what_sim_run_writes()
    {
        var file = _dir.Write("market.yaml", new SyntheticScenario(Companies: 4, Researchers: 40, Tick: TickLength.Week, Ticks: 13).Yaml());
        var (measured, played, json) = (Path.Combine(_dir.Path, "measured"), Path.Combine(_dir.Path, "played"), Path.Combine(_dir.Path, "run.json"));

        var (code, stdout, stderr) = await Sim("bench", "--run", file, "--out", measured, "--json", json);
        Assert.True(code == ExitCodes.Success, $"exit code {code}\n{stdout}\n{stderr}");
        (code, _, stderr) = await Sim("run", file, "--engine", "reference", "--out", played);
        Assert.True(code == ExitCodes.Success, stderr);

        Assert.Contains("peak working set", stdout);
        var run = JsonNode.Parse(await File.ReadAllTextAsync(json))!["run"]!;
        Assert.True((double)run["wall_seconds"]! > 0 && (long)run["peak_working_set_bytes"]! > 0);
        Assert.True((long)run["files"]!["ticks.csv"]! > 0);
        Assert.Equal(Files(played), Files(measured));
        Assert.All(Files(played).Where(f => !f.StartsWith('.')), f =>
            Assert.True(File.ReadAllBytes(Path.Combine(played, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(measured, f))), $"{f} differs"));
    }

    [Theory]
    [InlineData("--companies", "5")]
    [InlineData("--synthetic")]
    [InlineData("--synthetic", "--companies", "0", "--out", "x.yaml")]
    [InlineData("--synthetic", "--ticks", "10", "--years", "2", "--out", "x.yaml")]
    public async Task Bench_synthetic_refuses_options_it_cannot_use_with_exit_code_2(params string[] args)
    {
        var (code, _, stderr) = await Sim(["bench", .. args]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.NotEmpty(stderr);
    }
}
