using System.Globalization;
using Simulation.Experiments;
using Simulation.Cli.Commands;
using Simulation.Cli.Engines;
using Simulation.Exports;
using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Metrics;
using Simulation.Tests.Cli;
using Simulation.Tests.Support;

namespace Simulation.Tests.Engine;

[Collection(ClusterCollection.Name)]
public sealed class CompareTests(ClusterFixture fixture)
{
    private static readonly ScenarioInfo Rivals = TestScenarios.Rivals();

    /// <summary>Rivals with more word of mouth: the market's imitation q doubled.</summary>
    private static readonly ScenarioInfo LouderRivals = Rivals with
    {
        Name = "louder-rivals",
        Markets = [Rivals.Markets[0] with { Imitation = 2 * Rivals.Markets[0].Imitation }],
    };

    /// <summary>Rivals where company a also runs a second app the reference does not have.</summary>
    private static readonly ScenarioInfo RivalsWithExtraApp = Rivals with
    {
        Name = "extra-app",
        Companies =
        [
            Rivals.Companies[0] with
            {
                Apps = [.. Rivals.Companies[0].Apps, new AppInfo { Id = "a-extra", Market = "m", Retention = new RetentionInfo { D30 = 0.3 } }],
            },
            .. Rivals.Companies.Skip(1),
        ],
    };

    [Fact]
    public async Task Comparing_a_scenario_with_itself_gives_exactly_zero_differences_with_zero_width_bands()
    {
        var result = await Comparison.RunAsync(new ReferenceReplicates(), [Rivals, Rivals], "mau", baseSeed: 7, runs: 12, parallel: 3);
        var rows = result.Bands.Rows();

        Assert.Equal(12, result.Runs);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("rivals (2)", r.Scenario));
        Assert.All(rows, r => Assert.Equal(new Band(0, 0, 0, 0), r.Difference));
        Assert.All(rows, r => Assert.Equal(r.Reference, r.Value));
        // The replicates themselves differ: the zero is pairing, not a lack of noise.
        Assert.Contains(rows, r => r.Reference.P5 < r.Reference.P95);
    }

    [Fact]
    public async Task A_market_with_a_higher_imitation_q_gives_positive_mau_differences_with_a_paired_band_no_wider_than_both_bands_together()
    {
        var result = await Comparison.RunAsync(new ReferenceReplicates(), [Rivals, LouderRivals], "mau", baseSeed: 7, runs: 16, parallel: 2);
        var rows = result.Bands.Rows();
        var june = rows.Where(r => r.Month == "2024-06").ToList();

        Assert.Equal(["a-app", "b-app", MetricRow.All], june.Select(r => r.App));
        Assert.All(june, r => Assert.True(r.Difference.P5 > 0, $"{r.App}: difference p5 {r.Difference.P5}"));
        Assert.All(june, r => Assert.True(r.RelativeDifference!.P50 > 0));
        var total = june[^1];
        // Common random numbers: the paired band is never wider than the two bands together (equal, up to
        // rounding, when the replicates hardly differ).
        Assert.True(total.Difference.P95 - total.Difference.P5 <= (total.Value.P95 - total.Value.P5) + (total.Reference.P95 - total.Reference.P5) + 1e-6 * total.Value.P50,
            $"paired band {total.Difference} against {total.Value} and {total.Reference}");
    }

    [Fact]
    public async Task Results_do_not_depend_on_parallelism_completion_order_engine_or_placement()
    {
        ScenarioInfo[] scenarios = [Rivals, LouderRivals, RivalsWithExtraApp];
        var reference = await CsvAsync(new ReferenceReplicates(), scenarios, parallel: 1);

        Assert.Equal(reference, await CsvAsync(new ShuffledReplicates(), scenarios, parallel: 4));
        Assert.Equal(reference, await CsvAsync(new GrainReplicates(fixture.Grains), scenarios, parallel: 3));
        Assert.Equal(reference, await CsvAsync(new CompanyGrainReplicates(fixture.Grains), scenarios, parallel: 2));
    }

    [Fact]
    public async Task Compare_csv_has_its_columns_and_compares_an_app_only_one_scenario_has_against_zero()
    {
        var csv = await CsvAsync(new ReferenceReplicates(), [Rivals, RivalsWithExtraApp], parallel: 2);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');

        Assert.Equal(CompareExport.Header, lines[0]);
        Assert.Equal(
            ["scenario", "month", "market", "company", "app", "metric", "ref_p50", "p50", "diff_mean", "diff_p5", "diff_p50", "diff_p95", "rel_diff_p50"],
            header);
        Assert.All(lines[1..], l => Assert.Equal(header.Length, l.Split(',').Length));
        var extra = lines[1..].Select(l => l.Split(',')).Where(r => r[4] == "a-extra").ToList();
        Assert.Equal(12, extra.Count);
        Assert.All(extra, r => Assert.Equal(("extra-app", "mau", "0", ""), (r[0], r[5], r[6], r[12])));
        Assert.Contains(extra, r => double.Parse(r[10], CultureInfo.InvariantCulture) > 0 && r[7] == r[10]);
    }

    [Fact]
    public async Task The_cli_prints_the_difference_table_and_writes_compare_csv_summary_json_and_overlay_charts()
    {
        var work = Directory.CreateTempSubdirectory("sim-compare-");
        try
        {
            var whatIf = Path.Combine(Repo.Scenarios, "what-if", "openai-enters-china.yaml");
            var result = await SimProcess.RunAsync(work.FullName, "compare", Repo.Baseline, whatIf, "--runs", "2", "--parallel", "2", "--months", "2024-09", "--out", "cmp");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains($"openai-enters-china vs baseline\n  {Simulation.Scenarios.ScenarioLoader.Load(whatIf).Info.Question}\n", result.Stdout);
            Assert.Contains("difference p50 [p5, p95]", result.Stdout);
            Assert.Matches(@"2024-09\s+china-aigc\s+chatgpt-cn\s+0\.000M\s+\d+\.\d{3}M\s+\+\d+\.\d{3}M \[", result.Stdout);
            Assert.Matches(@"2024-09\s+china-aigc\s+doubao\s", result.Stdout);
            var dir = Path.Combine(work.FullName, "cmp");
            Assert.StartsWith(CompareExport.Header + "\n", File.ReadAllText(Path.Combine(dir, "compare.csv")));
            Assert.Contains("\"reference\": \"baseline\"", File.ReadAllText(Path.Combine(dir, "summary.json")));
            foreach (var chart in new[] { "compare-mau-doubao", "compare-mau-chatgpt-cn", "compare-mau-total-china-aigc" })
            {
                Assert.True(new FileInfo(Path.Combine(dir, "charts", chart + ".png")).Length > 0, chart);
                Assert.True(File.Exists(Path.Combine(dir, "charts", chart + ".svg")), chart);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Explain_decomposes_the_talent_wars_difference_along_the_chain_with_bands_and_writes_explain_csv()
    {
        var work = Directory.CreateTempSubdirectory("sim-explain-");
        try
        {
            var whatIf = Path.Combine(Repo.Scenarios, "what-if", "no-talent-war.yaml");
            var result = await SimProcess.RunAsync(work.FullName, "compare", Repo.Baseline, whatIf, "--runs", "3", "--months", "2024-09",
                "--apps", "doubao,ALL", "--engine", "reference", "--no-charts", "--explain", "--out", "cmp");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("no-talent-war vs baseline, explained", result.Stdout);
            // ByteDance's stars lift its team less, its quality is lower and Doubao has fewer users: every step with a band.
            Assert.Matches(@"2024-09\s+doubao\s+talent: stars' lift\s+\d\.\d{4}\s+\d\.\d{4}\s+-0\.\d{4} \[-0\.\d{4}, -0\.\d{4}\]", result.Stdout);
            Assert.Matches(@"2024-09\s+doubao\s+quality \(over the frontier\)\s+\S+\s+\S+\s+-0\.\d{4} \[", result.Stdout);
            Assert.Matches(@"2024-09\s+doubao\s+monthly actives\s+\S+\s+\S+\s+-\d+\.\d{3}M \[-", result.Stdout);
            Assert.Matches(@"2024-09\s+china-aigc \(total\)\s+potential", result.Stdout);
            Assert.Contains("Wrote compare.csv, explain.csv, summary.json", result.Stdout);
            var csv = File.ReadAllLines(Path.Combine(work.FullName, "cmp", "explain.csv"));
            Assert.Equal("scenario,month,market,app,step,metric,reference_p50,scenario_p50,difference_p50,difference_p5,difference_p95", csv[0]);
            Assert.Contains(csv, l => l.StartsWith("no-talent-war,2024-09,china-aigc,doubao,talent: stars' lift,star_lift,", StringComparison.Ordinal));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("only-one", "at least two scenario files")]
    [InlineData("--months=2024-09,2031-01", "unknown month(s) 2031-01; expected yyyy-MM from 2023-01 to 2025-12")]
    [InlineData("--apps=doubao,doubo", "unknown app(s) doubo; valid: ALL, chatgpt")]
    public async Task Fewer_than_two_scenarios_and_unknown_months_or_apps_exit_2_naming_the_valid_ones(string ask, string message)
    {
        var whatIf = Path.Combine(Repo.Scenarios, "what-if", "no-talent-war.yaml");
        string[] args = ask == "only-one" ? ["compare", Repo.Baseline] : ["compare", Repo.Baseline, whatIf, ask, "--out", Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}")];
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await SimCommand.InvokeAsync(args, stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr.ToString());
        Assert.False(Directory.Exists(args[^1]));
    }

    private static async Task<string> CsvAsync(IReplicateRunner runner, IReadOnlyList<ScenarioInfo> scenarios, int parallel)
    {
        var result = await Comparison.RunAsync(runner, scenarios, "mau", baseSeed: 7, runs: 10, parallel);
        var output = new ComparisonOutput(
            [.. Comparison.Names(scenarios).Select(n => new ComparedScenario(n, n + ".yaml", "sha"))], "mau", 7, 10, result.Runs,
            runner.Engine, runner.Placement, "test", ["2024-06"], [MetricRow.All], result.Bands.Rows());
        return CompareExport.Table(output);
    }
}
