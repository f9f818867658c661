using Simulation.Calibration.Sensitivity;
using Simulation.Cli.Commands;
using Simulation.Scenarios;

namespace Simulation.Tests.Engine;

public sealed class SensitivityTests : IDisposable
{
    /// <summary>One market, two companies with an app each, month ticks, no researchers: fast and easy to reason about.</summary>
    private const string Tiny = """
        name: tiny
        start: 2023-01-01
        end: 2024-12-31
        tick: month
        seed: 11
        legal: {arbitrationMonths: 6}
        talent:
          tiers: [{id: staff, monthlySalaryUsd: 10000}]
        markets:
          - {id: m, potential: 10000000, innovation: 0.02, imitation: 1.0, multiHoming: 1.3, marketingWeight: 1}
        companies:
          - id: a
            cashUsd: 1000000000
            workforce: {staff: 20}
            policy: {aiBudgetFloorUsd: 2000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2}
            apps: [{id: app-a, market: m, retention: {d30: 0.3}}]
          - id: b
            cashUsd: 1000000000
            workforce: {staff: 10}
            policy: {aiBudgetFloorUsd: 1000000, salaryShare: 0.5, computeShare: 0.3, marketingShare: 0.2}
            apps: [{id: app-b, market: m, retention: {d30: 0.25}}]
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("sensitivity-tests-").FullName;

    private static readonly LoadedScenario Scenario = ScenarioLoader.Parse(Tiny, "tiny.yaml");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IReadOnlyList<OutputSpec> Outputs(params string[] specs) => OutputSpec.ParseList(specs, Scenario.Info);

    [Fact]
    public void A_grid_sweep_of_imitation_over_three_points_gives_three_rows_with_MAU_rising_in_q()
    {
        var points = SweepDesign.Grid([SweepRange.Parse("markets.m.imitation=0.5:1.5:3")]);
        var evaluator = new PointEvaluator(Scenario, Outputs("mau:m/ALL:2023-12"), runs: 1, parallel: 2);

        var outcomes = evaluator.Evaluate(points);

        Assert.Equal([0.5, 1.0, 1.5], outcomes.Select(o => o.Values.Single().Value));
        var mau = outcomes.Select(o => o.Mean(0)).ToList();
        Assert.True(mau[0] < mau[1] && mau[1] < mau[2], string.Join(", ", mau));
    }

    [Fact]
    public void A_Latin_hypercube_gives_N_points_with_each_parameter_once_in_every_stratum_and_the_same_design_for_the_same_seed()
    {
        SweepRange[] ranges = [SweepRange.Parse("markets.m.imitation=0.5:1.5"), SweepRange.Parse("markets.m.innovation=0.01:0.05")];

        var design = SweepDesign.LatinHypercube(ranges, samples: 8, seed: 11);

        Assert.Equal(8, design.Count);
        foreach (var (range, j) in ranges.Select((r, j) => (r, j)))
        {
            var strata = design.Select(p => (int)Math.Floor((p[j].Value - range.From) / (range.To - range.From) * 8)).Order();
            Assert.Equal(Enumerable.Range(0, 8), strata);
        }
        Assert.Equal(design.SelectMany(p => p), SweepDesign.LatinHypercube(ranges, 8, 11).SelectMany(p => p));
        Assert.NotEqual(design.SelectMany(p => p), SweepDesign.LatinHypercube(ranges, 8, 12).SelectMany(p => p));
    }

    [Fact]
    public void An_apps_MAU_has_elasticity_one_to_multi_homing_and_the_markets_deduplicated_total_has_zero()
    {
        // Apps receive multiHoming x the market's new adopters and the market total is their sum over
        // multiHoming: app actives scale exactly with it, the de-duplicated total not at all.
        var analysis = new SensitivityAnalysis(Scenario, Outputs("mau:app-a:2024-06", "mau:m/ALL:2024-06"),
            new SensitivityOptions { Runs = 1, Parallel = 2, Parameters = ["markets.m.multiHoming"], MorrisTop = 0 });

        var result = analysis.Run();

        Assert.Equal(1.0, result.Outputs[0].Rows.Single().Elasticity, 9);
        Assert.Equal(0.0, result.Outputs[1].Rows.Single().Elasticity, 9);
    }

    [Fact]
    public void Morris_gives_mu_star_zero_to_a_parameter_without_effect_and_the_same_bytes_twice()
    {
        // Without researchers nobody is ever filed against: how long an arbitration takes changes nothing.
        var options = new SensitivityOptions
        {
            Runs = 1, Parallel = 2, Trajectories = 3, MorrisTop = 2,
            Parameters = ["markets.m.imitation", "legal.arbitrationMonths"],
        };

        var result = new SensitivityAnalysis(Scenario, Outputs("mau:app-a:2024-06"), options).Run();
        var again = new SensitivityAnalysis(Scenario, Outputs("mau:app-a:2024-06"), options).Run();

        var rows = result.Outputs[0].Rows.ToDictionary(r => r.Parameter.Path);
        Assert.Equal(0, rows["legal.arbitrationMonths"].Morris!.MuStar);
        Assert.Equal(0, rows["legal.arbitrationMonths"].Elasticity);
        Assert.True(rows["markets.m.imitation"].Morris!.MuStar > 0.1);
        Assert.Equal(3, rows["markets.m.imitation"].Morris!.Count);
        Assert.Equal((1, 1), (rows["markets.m.imitation"].Rank, rows["markets.m.imitation"].MorrisRank));
        Assert.Equal(SensitivityAnalysis.Csv(result), SensitivityAnalysis.Csv(again));
    }

    [Fact]
    public void Changing_one_budget_share_rescales_the_others_of_its_group_so_the_scenario_stays_valid()
    {
        var changes = new ParameterChanges(ScenarioOverrides.NumericPaths(Scenario));

        var changed = changes.Apply(Scenario, [new ParameterValue("companies.a.policy.marketingShare", 0.3)]);

        var policy = changed.Info.Companies.Single(c => c.Id == "a").Policy;
        Assert.Equal(0.3, policy.MarketingShare);
        Assert.Equal(0.35, policy.SalaryShare, 12);
        Assert.Equal(0.35, policy.ComputeShare, 12);
        var analysis = new SensitivityAnalysis(Scenario, Outputs("mau:app-a:2024-06"),
            new SensitivityOptions { Runs = 1, Parallel = 2, Parameters = ["companies.a.policy.marketingShare"], MorrisTop = 0 });
        var row = analysis.Run().Outputs[0].Rows.Single();
        Assert.Equal((0.18, 0.22), (Math.Round(row.XMinus, 12), Math.Round(row.XPlus, 12)));
        Assert.Contains("rescales salaryShare, computeShare", row.Note);
    }

    [Theory]
    [InlineData("mau:nope:2024-06", "'nope' is neither an app nor a market")]
    [InlineData("mau:app-a:2026-01", "outside the scenario")]
    [InlineData("wau:app-a:2024-06", "reports monthly actives")]
    [InlineData("speed:app-a:2024-06", "unknown metric 'speed'")]
    [InlineData("mau:app-a", "expected METRIC:SUBJECT:MONTH")]
    public async Task An_output_that_names_nothing_exits_with_code_2_and_says_why(string spec, string message)
    {
        var file = Write();

        var (code, _, stderr) = await Sim("sensitivity", file, "--outputs", spec, "--out", Path.Combine(_dir, "out"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Theory]
    [InlineData("markets.n.imitation=0.5:1.5:3", "unknown path 'markets.n.imitation' at 'markets.n'; nearest: markets.m")]
    [InlineData("markets.m.imitaton=0.5:1.5:3", "unknown field 'imitaton'; did you mean 'imitation'?")]
    [InlineData("markets.m.imitation=0.5:1.5", "a grid needs PATH=FROM:TO:STEPS")]
    [InlineData("markets.m.multiHoming=1.5:0.5:3", "point 2 (markets.m.multiHoming=0.5) is invalid: expected a number in [1, 20], got 0.5")]
    public async Task A_sweep_of_a_path_that_does_not_exist_or_a_bad_range_exits_with_code_2_saying_why(string param, string message)
    {
        var (code, _, stderr) = await Sim("sweep", Write(), "--param", param, "--out", Path.Combine(_dir, "out"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public async Task Sim_sweep_writes_one_row_per_point_and_sim_sensitivity_writes_the_ranking_and_a_tornado_chart()
    {
        var file = Write();
        var sweepDir = Path.Combine(_dir, "sweep");
        var sensitivityDir = Path.Combine(_dir, "sensitivity");

        var sweep = await Sim("sweep", file, "--param", "markets.m.imitation=0.5:1.5:3", "--param", "companies.b.policy.marketingShare=0.1:0.3:2",
            "--outputs", "mau:app-a:2024-06,share:app-b:2024-06", "--runs", "2", "--out", sweepDir);
        var sensitivity = await Sim("sensitivity", file, "--runs", "1", "--trajectories", "2", "--out", sensitivityDir);
        var sweepAgain = await Sim("sweep", file, "--param", "markets.m.imitation=0.5:1.5:3", "--param", "companies.b.policy.marketingShare=0.1:0.3:2",
            "--outputs", "mau:app-a:2024-06,share:app-b:2024-06", "--runs", "2", "--parallel", "1", "--out", sweepDir + "-again");

        Assert.Equal(0, sweep.Code);
        var lines = File.ReadAllLines(Path.Combine(sweepDir, "sweep.csv"));
        Assert.Equal("point,markets.m.imitation,companies.b.policy.marketingShare,mau:app-a:2024-06,mau:app-a:2024-06:p5,mau:app-a:2024-06:p95," +
            "share:app-b:2024-06,share:app-b:2024-06:p5,share:app-b:2024-06:p95", lines[0]);
        Assert.Equal(7, lines.Length);
        Assert.Contains("salaryShare, computeShare rescaled", sweep.Stdout);
        Assert.Equal(0, sweepAgain.Code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(sweepDir, "sweep.csv")), File.ReadAllBytes(Path.Combine(sweepDir + "-again", "sweep.csv")));
        Assert.Equal(0, sensitivity.Code);
        Assert.Contains("mau:m/ALL:2024-12 (users)", sensitivity.Stdout); // no targets: the market's total at the end
        Assert.Contains("Morris: the top", sensitivity.Stdout);
        Assert.True(File.Exists(Path.Combine(sensitivityDir, "charts", "tornado-mau-m-ALL-2024-12.png")));
        Assert.True(File.Exists(Path.Combine(sensitivityDir, "charts", "tornado-mau-m-ALL-2024-12.svg")));
        Assert.Contains("\"spec\": \"mau:m/ALL:2024-12\"", File.ReadAllText(Path.Combine(sensitivityDir, "summary.json")));
        var csv = File.ReadAllLines(Path.Combine(sensitivityDir, "sensitivity.csv"));
        Assert.StartsWith("output,rank,parameter,base,", csv[0]);
        Assert.Contains(csv, l => l.StartsWith("mau:m/ALL:2024-12,", StringComparison.Ordinal) && l.Contains(",legal.arbitrationMonths,6,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sim_sensitivity_method_sobol_prints_S1_and_ST_sorted_by_ST_and_writes_sobol_csv_and_the_chart()
    {
        var dir = Path.Combine(_dir, "sobol");

        var (code, stdout, stderr) = await Sim("sensitivity", Write(), "--method", "sobol", "--params", "markets.m.innovation,markets.m.imitation,legal.arbitrationMonths",
            "--outputs", "mau:m/ALL:2024-06", "--samples", "16", "--runs", "1", "--bootstrap", "50", "--out", dir);

        Assert.True(code == 0, stderr);
        Assert.Contains("Sobol indices of 3 parameters, Saltelli design N = 16 (80 points = N (k + 2))", stdout);
        var csv = File.ReadAllLines(Path.Combine(dir, "sobol.csv"));
        Assert.Equal("output,rank,parameter,base,low,high,range,s1,s1_conf,st,st_conf,interactions,base_rows,note", csv[0]);
        Assert.Equal(4, csv.Length);
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(["1", "2", "3"], rows.Select(r => r[1]));
        var st = rows.Select(r => Parse(r[9])).ToList();
        Assert.Equal(st.OrderDescending(), st);
        // Without researchers the arbitration's length changes nothing: both its indices are 0.
        var arbitration = rows.Single(r => r[2] == "legal.arbitrationMonths");
        Assert.Equal(("3", "0", "0"), (arbitration[1], arbitration[7], arbitration[9]));
        Assert.Equal((4.8, 7.2, "value -/+20%"), (Math.Round(Parse(arbitration[4]), 9), Math.Round(Parse(arbitration[5]), 9), arbitration[6]));
        Assert.True(File.Exists(Path.Combine(dir, "charts", "sobol-mau-m-ALL-2024-06.png")));
        Assert.True(File.Exists(Path.Combine(dir, "charts", "sobol-mau-m-ALL-2024-06.svg")));
        Assert.Contains("\"method\": \"sobol\"", File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Contains("S1 <= ST within the intervals", stdout);
    }

    [Theory]
    [InlineData(new[] { "--samples", "100" }, "--samples must be a power of 2 from 8 to 1048576 (a Sobol sequence is balanced at powers of 2), got 100; the nearest are 64 and 128")]
    [InlineData(new[] { "--samples", "0" }, "--samples must be a power of 2")]
    [InlineData(new[] { "--samples", "abc" }, "--samples: expected a whole number, got 'abc'")]
    [InlineData(new[] { "--bootstrap", "3" }, "--bootstrap must be at least 10 (got 3)")]
    [InlineData(new[] { "--params", "markets.m.imitaton" }, "unknown field 'imitaton'; did you mean 'imitation'?")]
    [InlineData(new[] { "--params", "markets.m.imitation,companies.a.policy.salaryShare,companies.a.policy.marketingShare" }, "shares of one group that must sum to 1")]
    [InlineData(new[] { "--params", "markets.m.imitation", "--trajectories", "3" }, "--trajectories applies to --method screening, not sobol")]
    [InlineData(new string[0], "the scenario gives no parameter fit bounds (fit: {min, max}); name the parameters to vary with --params")]
    public async Task Bad_sobol_input_exits_with_code_2_before_anything_is_played(string[] args, string message)
    {
        var (code, _, stderr) = await Sim(["sensitivity", Write(), "--method", "sobol", "--out", Path.Combine(_dir, "out"), .. args]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("runs", stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    /// <summary>Tiny with two weights at 0, as the baseline fits China's: quality with fit bounds, ecosystem without.</summary>
    private static readonly string TinyWithZeros = Tiny.Replace("marketingWeight: 1}",
        "marketingWeight: 1, qualityWeight: {value: 0, fitted: \"a fit at its lower bound\", fit: {min: 0, max: 4}}, ecosystemWeight: 0}", StringComparison.Ordinal);

    [Fact]
    public void Sobol_varies_a_parameter_whose_value_is_0_over_its_fit_bounds()
    {
        var scenario = ScenarioLoader.Parse(TinyWithZeros, "zeros.yaml");

        var analysis = new SobolAnalysis(scenario, OutputSpec.ParseList(["mau:app-a:2024-06"], scenario.Info),
            new SobolOptions { Parameters = ["markets.m.qualityWeight", "markets.m.imitation"] });

        var quality = analysis.Parameters.Single(p => p.Path == "markets.m.qualityWeight");
        Assert.Equal((0.0, 0.0, 4.0, true), (quality.BaseValue, quality.Low, quality.High, quality.FitBounds));
        Assert.Equal(2, analysis.Parameters.Count);
    }

    [Fact]
    public async Task Sim_sensitivity_method_sobol_plays_a_parameter_whose_value_is_0_over_its_fit_bounds()
    {
        var dir = Path.Combine(_dir, "sobol-zero");

        var (code, stdout, stderr) = await Sim("sensitivity", Write(TinyWithZeros, "zeros.yaml"), "--method", "sobol", "--params", "markets.m.qualityWeight,markets.m.imitation",
            "--outputs", "share:app-a:2024-06", "--samples", "8", "--runs", "1", "--bootstrap", "10", "--no-charts", "--out", dir);

        Assert.True(code == 0, stderr);
        Assert.Contains("Sobol indices of 2 parameters", stdout);
        var quality = File.ReadAllLines(Path.Combine(dir, "sobol.csv")).Select(l => l.Split(',')).Single(r => r[2] == "markets.m.qualityWeight");
        Assert.Equal(("0", "0", "4", "fit bounds"), (quality[3], quality[4], quality[5], quality[6]));
    }

    [Fact]
    public async Task Sobol_refuses_a_parameter_whose_value_is_0_without_fit_bounds_naming_the_file_the_path_and_what_it_expects()
    {
        var file = Write(TinyWithZeros, "zeros.yaml");

        var (code, _, stderr) = await Sim("sensitivity", file, "--method", "sobol", "--params", "markets.m.qualityWeight,markets.m.ecosystemWeight", "--out", Path.Combine(_dir, "out"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--params: {file}: markets.m.ecosystemWeight: the value is 0 and it has no fit bounds (fit: {{min, max}}), so it has no range to vary " +
            "(the fallback, the value -/+20%, is the single point 0): expected fit bounds or a nonzero value", stderr);
        Assert.DoesNotContain("qualityWeight", stderr); // it has fit bounds: not refused
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public async Task Sobol_refusing_a_value_set_to_0_by_an_override_says_the_override_dropped_the_fit_bounds()
    {
        var (code, _, stderr) = await Sim("sensitivity", Write(TinyWithZeros, "zeros.yaml"), "--method", "sobol", "--set", "markets.m.qualityWeight=0",
            "--params", "markets.m.qualityWeight", "--out", Path.Combine(_dir, "out"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("markets.m.qualityWeight: the value is 0 and it has no fit bounds (fit: {min, max}), so it has no range to vary", stderr);
        Assert.Contains("expected fit bounds or a nonzero value; the value is an override from --set markets.m.qualityWeight=0, which drops any fit bounds the file gives", stderr);
    }

    [Fact]
    public async Task One_at_a_time_skips_a_value_of_0_even_with_fit_bounds_and_says_why_and_that_sobol_can_vary_it()
    {
        var dir = Path.Combine(_dir, "screening-zero");

        var (code, stdout, stderr) = await Sim("sensitivity", Write(TinyWithZeros, "zeros.yaml"), "--params", "markets.m.qualityWeight,markets.m.ecosystemWeight,markets.m.imitation",
            "--outputs", "mau:app-a:2024-06", "--runs", "1", "--trajectories", "2", "--no-charts", "--out", dir);

        Assert.True(code == 0, stderr);
        Assert.Contains("2 parameter(s) skipped because their value is 0 (-/+10% of 0 is 0: no elasticity, so no Morris either): markets.m.qualityWeight, markets.m.ecosystemWeight", stdout);
        Assert.Contains("1 of them with fit bounds can vary over those with --method sobol --params PATH,...: markets.m.qualityWeight", stdout);
        var csv = File.ReadAllText(Path.Combine(dir, "sensitivity.csv"));
        Assert.Contains("skipped: the value is 0: one at a time moves it by -/+10% of itself, which leaves it at 0", csv);
        Assert.Contains("its fit bounds [0, 4] let --method sobol vary it", csv);
    }

    [Theory]
    [InlineData(new[] { "--method", "sobl" }, "--method: expected screening or sobol, got 'sobl'")]
    [InlineData(new[] { "--samples", "64" }, "--samples applies to --method sobol, not screening")]
    public async Task A_bad_method_or_a_sobol_option_without_it_exits_with_code_2(string[] args, string message)
    {
        var (code, _, stderr) = await Sim(["sensitivity", Write(), "--out", Path.Combine(_dir, "out"), .. args]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, stderr);
    }

    private static double Parse(string s) => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private string Write(string text = Tiny, string name = "tiny.yaml")
    {
        var file = Path.Combine(_dir, name);
        File.WriteAllText(file, text);
        return file;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Sim(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await SimCommand.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
