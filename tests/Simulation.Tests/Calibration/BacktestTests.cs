using System.Globalization;
using System.Text.Json.Nodes;
using Simulation.Calibration;
using Simulation.Cli.Commands;
using Simulation.Scenarios;
using Simulation.Tests.Support;
using static Simulation.Tests.Support.SimCli;

namespace Simulation.Tests.Calibration;

/// <summary><c>sim backtest</c> on a one-market scenario whose truth is known, observed at nine quarters.</summary>
public sealed class BacktestTests
{
    private const double TrueInnovation = 0.04, TrueImitation = 0.9;

    private static readonly string[] Quarters = ["2023-03", "2023-06", "2023-09", "2023-12", "2024-03", "2024-06", "2024-09", "2024-12", "2025-03"];

    private const string Template = """
        name: synthetic
        start: 2023-01-01
        end: 2025-06-30
        fitUntil: 2024-12
        tick: month
        seed: 5
        talent:
          tiers: [{id: staff, monthlySalaryUsd: 10000}]
        markets:
          - id: m
            potential: 10000000
            innovation: INNOVATION
            imitation: IMITATION
        companies:
          - id: solo
            cashUsd: 1000000000
            workforce: {staff: 10}
            policy: {aiBudgetFloorUsd: 1000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2}
            apps:
              - {id: app, market: m, retention: {d30: 0.3} }
        series:
          - {id: panel, model: logNormal, sigma: 0.05}
        targets:
        TARGETS
        """;

    /// <summary>
    /// The scenario with innovation and imitation to fit; its targets are the truth's figures: the market's actives at
    /// each quarter (in the panel series; the last after the scenario's fitUntil), the app's actives in 2024-09 (a figure
    /// outside any series) and a ranking.
    /// </summary>
    private static string Synthetic()
    {
        // Without a fitting window, the truth's run plays every target's month.
        var truth = ScenarioLoader.Parse(Fill(R(TrueInnovation), R(TrueImitation), Targets(null)).Replace("fitUntil: 2024-12\n", "", StringComparison.Ordinal), "truth.yaml");
        var observed = Calibrator.Evaluate(truth, 5);
        return Fill("""{value: 0.08, assumption: "a guess", fit: {min: 0.005, max: 0.2}}""",
            """{value: 0.6, assumption: "a guess", fit: {min: 0.2, max: 1.5}}""", Targets(observed.Select(r => r.Value).ToList()));
    }

    private static string Targets(IReadOnlyList<double>? values)
    {
        string V(int i) => values is null ? "1" : R(values[i]);
        var lines = Quarters.Select((q, i) =>
            $"  - {{id: m-{q}, kind: marketActives, market: m, month: {q}, value: {V(i)}, tolerance: 0.05, relative: true, series: panel}}").ToList();
        lines.Add($"  - {{id: app-2024-09, kind: appActives, app: app, month: 2024-09, value: {V(Quarters.Length)}, tolerance: 0.05, relative: true}}");
        lines.Add("  - {id: app-first-2024-06, kind: appFirst, app: app, month: 2024-06, series: panel}");
        return string.Join('\n', lines);
    }

    private static string Fill(string innovation, string imitation, string targets) => Template
        .Replace("INNOVATION", innovation).Replace("IMITATION", imitation).Replace("TARGETS", targets);

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static readonly string[] Small = ["--starts", "1", "--chains", "2", "--warmup", "200", "--draws", "200", "--runs", "40"];

    [Fact]
    public async Task A_backtest_scores_the_held_back_points_covers_the_truth_and_writes_the_same_bytes_twice()
    {
        using var dir = new TempDir("sim-backtest-");
        var file = dir.Write("synthetic.yaml", Synthetic());
        var first = Path.Combine(dir.Path, "first");
        var second = Path.Combine(dir.Path, "second");

        var (code, stdout, stderr) = await Sim(["backtest", file, "--fit-until", "2023-12", .. Small, "--out", first]);
        var (again, _, stderr2) = await Sim(["backtest", file, "--fit-until", "2023-12", .. Small, "--out", second]);

        Assert.True(code == 0, stderr);
        Assert.True(again == 0, stderr2);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(first, "backtest.json")))!;
        Assert.Equal("synthetic-backtest-2023-12", json["backtest_scenario"]!.GetValue<string>());
        Assert.Equal(["m-2023-03", "m-2023-06", "m-2023-09", "m-2023-12"], json["fitted_targets"]!.AsArray().Select(t => t!.GetValue<string>()));
        var points = json["points"]!.AsArray().Select(p => p!).ToList();
        // Held back: the four later quarters and the app's figure (outside any series); the ranking is listed, not scored.
        Assert.Equal(["app-2024-09", "m-2024-03", "m-2024-06", "m-2024-09", "m-2024-12"], points.Select(p => p["target"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal("app-first-2024-06", Assert.Single(json["not_scored"]!.AsArray())!["target"]!.GetValue<string>());
        Assert.All(points, p => Assert.Equal(40, p["runs"]!.GetValue<int>()));

        // The observations are the truth's figures: the refit's bands hold most of them.
        var inside90 = points.Count(p => p["inside_90"]!.GetValue<bool>());
        Assert.True(inside90 >= 4, $"only {inside90} of 5 held-back truths inside the 90 % band:\n{stdout}");

        // The counts agree with the points, the bands and the printed table.
        foreach (var p in points)
        {
            var (observed, p5, p25, p75, p95) = (D(p, "observed"), D(p, "p5"), D(p, "p25"), D(p, "p75"), D(p, "p95"));
            Assert.Equal(p5 <= observed && observed <= p95, p["inside_90"]!.GetValue<bool>());
            Assert.Equal(p25 <= observed && observed <= p75, p["inside_50"]!.GetValue<bool>());
            Assert.True(p5 <= p25 && p25 <= D(p, "p50") && D(p, "p50") <= p75 && p75 <= p95);
            Assert.Equal((D(p, "p50") - observed) / observed, D(p, "error_p50"), 12);
        }
        var summary = json["summary"]!;
        var inside50 = points.Count(p => p["inside_50"]!.GetValue<bool>());
        Assert.Equal(inside90, summary["inside_90"]!.GetValue<int>());
        Assert.Equal(inside50, summary["inside_50"]!.GetValue<int>());
        Assert.Equal(5, summary["points"]!.GetValue<int>());
        var errors = points.Select(p => Math.Abs(D(p, "error_p50"))).Order().ToList();
        Assert.Equal(errors[2], summary["median_abs_error"]!.GetValue<double>(), 12);
        Assert.Contains($"inside the 50 % band: {inside50} of 5; inside the 90 % band: {inside90} of 5", stdout, StringComparison.Ordinal);
        Assert.Contains("R-hat", stdout, StringComparison.Ordinal);
        Assert.Contains("Not scored (rankings and yes/no, in the held-back months): app-first-2024-06", stdout, StringComparison.Ordinal);
        Assert.Equal(6, File.ReadAllLines(Path.Combine(first, "backtest.csv")).Length);

        // Same inputs, same bytes: every file of the second run is the first's.
        var names = Files(first);
        Assert.Equal(["backtest.csv", "backtest.json", "backtest.txt", Path.Combine("charts", "backtest.png"), Path.Combine("charts", "backtest.svg"), "posterior-draws.csv", "posterior.txt"],
            names.Where(n => !n.StartsWith('.')));
        Assert.Equal(names, Files(second));
        Assert.All(names, n => Assert.Equal(File.ReadAllBytes(Path.Combine(first, n)), File.ReadAllBytes(Path.Combine(second, n))));
        // The file is not changed: the backtest scenario lives in memory.
        Assert.Equal(Synthetic(), File.ReadAllText(file));
    }

    [Fact]
    public async Task A_what_if_that_extends_the_scenario_is_backtested_under_its_own_name_and_draws_a_chart()
    {
        using var dir = new TempDir("sim-backtest-");
        dir.Write("synthetic.yaml", Synthetic());
        var whatIf = dir.Write("whatif.yaml", "extends: synthetic.yaml\nname: whatif\nset:\n  companies.solo.cashUsd: 2000000000\n");
        var output = Path.Combine(dir.Path, "out");

        var (code, stdout, stderr) = await Sim(["backtest", whatIf, "--fit-until", "2024-06", "--starts", "1", "--chains", "2", "--warmup", "100", "--draws", "100", "--runs", "10", "--out", output]);

        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "backtest.json")))!;
        Assert.Equal("whatif-backtest-2024-06", json["backtest_scenario"]!.GetValue<string>());
        Assert.Equal(3, json["points"]!.AsArray().Count); // 2024-09 and 2024-12 of the market, and the app's 2024-09
        Assert.Equal(7, json["fitted_targets"]!.AsArray().Count); // six quarters and the ranking of 2024-06
        Assert.True(new FileInfo(Path.Combine(output, "charts", "backtest.png")).Length > 0);
        Assert.True(new FileInfo(Path.Combine(output, "charts", "backtest.svg")).Length > 0);
        Assert.Contains("Backtest of whatif", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_backtest_scenario_sets_fitUntil_where_it_is_written_or_adds_it_and_renames_the_scenario()
    {
        var text = ScenarioText.Parse(Synthetic(), "synthetic.yaml");
        var without = ScenarioText.Parse(Synthetic().Replace("fitUntil: 2024-12\n", "", StringComparison.Ordinal), "synthetic.yaml");

        var replaced = BacktestPlan.Prepare(text, "2023-12").Text;
        var added = BacktestPlan.Prepare(without, "2023-12").Text;

        foreach (var backtest in new[] { replaced, added })
        {
            var info = backtest.Bind([.. backtest.Parameters.Select(p => p.Start)]).Info;
            Assert.Equal(new DateOnly(2023, 12, 1), info.FitUntil);
            Assert.Equal("synthetic-backtest-2023-12", info.Name);
            Assert.Equal(text.Parameters.Select(p => p.Path), backtest.Parameters.Select(p => p.Path));
        }
        Assert.Equal(Synthetic().Replace("fitUntil: 2024-12", "fitUntil: 2023-12", StringComparison.Ordinal).Replace("name: synthetic", "name: synthetic-backtest-2023-12", StringComparison.Ordinal), replaced.Text);
        // Without a fitUntil of its own, everything after the month up to the scenario's end is held back: 2025-03 too.
        Assert.Equal(6, BacktestPlan.Prepare(without, "2023-12").HeldBack.Count);
        Assert.Equal(5, BacktestPlan.Prepare(text, "2023-12").HeldBack.Count);

        var moved = replaced.StartingAt([0.05, 0.7]);
        Assert.Equal([0.05, 0.7], moved.Parameters.Select(p => p.Start));
        Assert.Equal(new DateOnly(2023, 12, 1), moved.Bind([0.05, 0.7]).Info.FitUntil);
    }

    [Theory]
    [InlineData("2023-13", "--fit-until: expected a month as yyyy-MM (e.g. 2024-06), got '2023-13'")]
    [InlineData("2023/06", "--fit-until: expected a month as yyyy-MM (e.g. 2024-06), got '2023/06'")]
    [InlineData("2030-01", "--fit-until 2030-01 lies outside the scenario synthetic (2023-01 to 2025-06)")]
    [InlineData("2022-12", "--fit-until 2022-12 lies outside the scenario synthetic (2023-01 to 2025-06)")]
    [InlineData("2023-02", "nothing to fit up to 2023-02: no target of")]
    [InlineData("2024-12", "nothing held back after 2024-12: no target of")]
    public async Task A_bad_month_exits_2_with_a_message_and_writes_nothing(string month, string message)
    {
        using var dir = new TempDir("sim-backtest-");
        var file = dir.Write("synthetic.yaml", Synthetic());
        var output = Path.Combine(dir.Path, "out");

        var (code, stdout, stderr) = await Sim(["backtest", file, "--fit-until", month, "--out", output]);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(output));
        Assert.Equal(["synthetic.yaml"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_scenario_without_fit_parameters_a_missing_file_and_bad_options_exit_2()
    {
        using var dir = new TempDir("sim-backtest-");
        var plain = dir.Write("plain.yaml", Synthetic()
            .Replace("""{value: 0.08, assumption: "a guess", fit: {min: 0.005, max: 0.2}}""", "0.04", StringComparison.Ordinal)
            .Replace("""{value: 0.6, assumption: "a guess", fit: {min: 0.2, max: 1.5}}""", "0.9", StringComparison.Ordinal));
        var file = dir.Write("synthetic.yaml", Synthetic());

        var noFit = await Sim(["backtest", plain, "--fit-until", "2023-12"]);
        var missing = await Sim(["backtest", Path.Combine(dir.Path, "nope.yaml"), "--fit-until", "2023-12"]);
        var runs = await Sim(["backtest", file, "--fit-until", "2023-12", "--runs", "1"]);
        var noMonth = await Sim(["backtest", file]);

        Assert.Equal(2, noFit.Code);
        Assert.Contains("no parameter to fit", noFit.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, missing.Code);
        Assert.Contains("nope.yaml: file not found", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, runs.Code);
        Assert.Contains("--runs must be a whole number of at least 2, got 1", runs.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, noMonth.Code);
        Assert.Contains("--fit-until", noMonth.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")));
    }

    private static double D(JsonNode point, string key) => point[key]!.GetValue<double>();
}
