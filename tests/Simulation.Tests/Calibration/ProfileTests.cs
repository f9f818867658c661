using System.Globalization;
using System.Text.Json.Nodes;
using Simulation.Calibration;
using Simulation.Cli.Commands;
using Simulation.Scenarios;
using Simulation.Tests.Support;
using static Simulation.Tests.Support.SimCli;

namespace Simulation.Tests.Calibration;

/// <summary>Profile likelihoods (<see cref="Profiler"/>, <c>sim profile</c>) on a one-market scenario whose truth is known.</summary>
public sealed class ProfileTests
{
    private const double TrueInnovation = 0.04;

    private const string Template = """
        name: synthetic
        start: 2023-01-01
        end: 2024-12-31
        tick: month
        seed: 5
        talent:
          tiers: [{id: staff, monthlySalaryUsd: 10000}]
        markets:
          - id: m
            potential: 10000000
            innovation: INNOVATION
            imitation: 0.9
        companies:
          - id: solo
            cashUsd: 1000000000
            workforce: {staff: 10}
            policy: {aiBudgetFloorUsd: 1000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2}
            apps:
              - {id: app, market: m, retention: {d30: 0.3} }
        series:
          - {id: panel, model: logNormal, sigma: 0.05}
          - {id: spare, model: logNormal, sigma: SPARE}
        targets:
          - {id: early, kind: marketActives, market: m, month: 2023-06, value: EARLY, tolerance: 0.05, relative: true, series: panel}
          - {id: late, kind: marketActives, market: m, month: 2024-06, value: LATE, tolerance: 0.05, relative: true, series: panel}
        """;

    private const string SparePath = "series.spare.sigma";

    /// <summary>
    /// Two fitted numbers: the market's innovation, which the two figures (at 5 %) pin, and the sigma of a series with no
    /// figure in it, which no target depends on. The targets are the truth's figures (seed 5, the scenario's own).
    /// </summary>
    private static string Synthetic(double innovation)
    {
        var truth = ScenarioLoader.Parse(Fill(R(TrueInnovation), "0.3", 1, 1), "truth.yaml");
        var observed = Calibrator.Evaluate(truth, 5);
        return Fill($$$"""{value: {{{R(innovation)}}}, assumption: "a guess", fit: {min: 0.005, max: 0.2}}""",
            """{value: 0.3, assumption: "a guess", fit: {min: 0.05, max: 1}}""", observed[0].Value, observed[1].Value);
    }

    private static string Fill(string innovation, string spare, double early, double late) => Template
        .Replace("INNOVATION", innovation)
        .Replace("SPARE", spare)
        .Replace("EARLY", R(early))
        .Replace("LATE", R(late));

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static readonly Lazy<ProfileResult> AtTruth = new(() => Profile(Synthetic(TrueInnovation), new ProfileOptions()));

    private static ProfileResult Profile(string scenario, ProfileOptions options) =>
        new Profiler(new Calibrator(ScenarioText.Parse(scenario, "synthetic.yaml"), new CalibrationOptions { Seeds = 1 }), options).RunAsync().GetAwaiter().GetResult();

    [Fact]
    public void The_grid_is_even_on_a_narrow_range_and_log_spaced_on_a_wide_positive_one()
    {
        Assert.Equal([0.0, 2, 4, 6, 8], Profiler.Grid(new FitParameter("w", 1, 0, 0, 8), 5));
        var wide = Profiler.Grid(new FitParameter("p", 1, 1e8, 1e7, 1e9), 5);
        Assert.Equal(5, wide.Count);
        Assert.Equal(1e7, wide[0]);
        Assert.Equal(1e9, wide[^1]);
        Assert.Equal(1e8, wide[2], 1e-3);
        Assert.Equal(Math.Sqrt(1e7 * 1e8), wide[1], 1e-3);
    }

    [Fact]
    public void A_parameter_two_figures_pin_is_identified_with_a_95_percent_interval_about_the_truth()
    {
        var innovation = AtTruth.Value.Profiles.Single(p => p.Parameter.Path == "markets.m.innovation");

        Assert.Equal(ProfileVerdict.Identified, innovation.Verdict);
        Assert.InRange(TrueInnovation, innovation.Lower!.Value, innovation.Upper!.Value);
        // Nine grid points over [0.005, 0.2] are 0.024 apart: the ends lie within a step of the truth.
        Assert.InRange(innovation.Lower.Value, TrueInnovation - 0.025, TrueInnovation);
        Assert.InRange(innovation.Upper.Value, TrueInnovation, TrueInnovation + 0.025);
        Assert.StartsWith($"identified: 95 % interval [{ParameterProfile.G(innovation.Lower.Value)}, {ParameterProfile.G(innovation.Upper.Value)}]", innovation.VerdictText, StringComparison.Ordinal);
        Assert.Equal(10, innovation.Points.Count); // nine grid points and the file's value
        Assert.True(innovation.DeltaAtMin > 100 && innovation.DeltaAtMax > 100, $"{innovation.DeltaAtMin}, {innovation.DeltaAtMax}");
    }

    [Fact]
    public void The_sigma_of_a_series_without_figures_is_not_identified()
    {
        var spare = AtTruth.Value.Profiles.Single(p => p.Parameter.Path == SparePath);

        Assert.Equal(ProfileVerdict.NotIdentified, spare.Verdict);
        Assert.Null(spare.Lower);
        Assert.Null(spare.Upper);
        Assert.All(spare.Points, p => Assert.Equal(0, p.Delta, 9));
        Assert.Equal("not identified: the profile stays within 3.84 over the whole range [0.05, 1]", spare.VerdictText);
    }

    [Fact]
    public void At_the_optimum_the_profile_is_nowhere_below_the_file_and_the_re_fitted_others_stay_put()
    {
        var result = AtTruth.Value;

        Assert.Equal(0, result.Reference, 9); // the truth's own figures
        Assert.All(result.Profiles.SelectMany(p => p.Points), p => Assert.True(p.Delta >= -Profiler.Tolerance, $"Δ {p.Delta} at {p.Value}"));
        Assert.All(result.Profiles, p => Assert.Null(p.Better));
        Assert.All(result.Profiles, p => Assert.False(p.AtBound));
        // Profiling the sigma re-fits the innovation: it stays at the truth.
        Assert.All(result.Profiles.Single(p => p.Parameter.Path == SparePath).Points, p => Assert.Equal(TrueInnovation, p.Values[0], 4));
    }

    [Fact]
    public void A_file_away_from_the_optimum_is_told_where_a_better_point_lies()
    {
        var result = Profile(Synthetic(0.08), new ProfileOptions { Points = 5 });

        var innovation = result.Profiles[0];
        Assert.NotNull(innovation.Better);
        Assert.True(innovation.Better.Delta < -Profiler.Tolerance);
        // The grid point nearest the truth, 0.04: the middle of five log-spaced points over [0.005, 0.2], 0.005 x 40^(1/2).
        Assert.Equal(0.005 * Math.Sqrt(40), innovation.Better.Value, 12);
        Assert.Contains("the file's value is not the optimum: a better point at 0.03162", innovation.VerdictText, StringComparison.Ordinal);
        Assert.Equal(6, innovation.Points.Count);
    }

    [Fact]
    public void The_profile_is_the_same_on_one_core_and_on_many()
    {
        var scenario = Synthetic(0.06);

        var one = Profile(scenario, new ProfileOptions { Points = 4, Parallel = 1 });
        var many = Profile(scenario, new ProfileOptions { Points = 4, Parallel = 8 });

        Assert.Equal(ProfileCommand.Csv(one), ProfileCommand.Csv(many));
        Assert.Equal(one.Evaluations, many.Evaluations);
    }

    [Fact]
    public void The_verdicts_follow_where_the_profile_crosses_the_threshold_on_each_side()
    {
        var p = new FitParameter("x", 1, 5, 0, 10);
        ParameterProfile Judge(double file, params (double X, double Delta)[] points) =>
            Profiler.Judge(p, 0, file, [.. points.Select(q => new ProfilePoint(q.X, q.Delta, q.Delta, [q.X], 1, q.X == file))]);

        var identified = Judge(5, (0, 50), (2.5, 8), (5, 0), (7.5, 1), (10, 5.84));
        var below = Judge(5, (0, 50), (2.5, 2), (5, 0), (7.5, 1), (10, 2));
        var above = Judge(5, (0, 1), (2.5, 0.5), (5, 0), (7.5, 10), (10, 50));
        var flat = Judge(5, (0, 1), (2.5, 0.5), (5, 0), (7.5, 0.2), (10, 3.8));
        var atMin = Judge(0.05, (0.05, 0), (2.5, 0.5), (5, 2), (7.5, 4), (10, 9));
        var better = Judge(5, (0, 9), (2.5, -0.5), (5, 0), (7.5, -0.05), (10, 9));

        Assert.Equal(ProfileVerdict.Identified, identified.Verdict);
        // Linear between grid points: from (2.5, 8) to (5, 0) the profile is 3.84 at 5 - 2.5 x 3.84/8; from (7.5, 1) to (10, 5.84) at 7.5 + 2.5 x 2.84/4.84.
        Assert.Equal(5 - 2.5 * Profiler.Threshold / 8, identified.Lower!.Value, 12);
        Assert.Equal(7.5 + 2.5 * (Profiler.Threshold - 1) / 4.84, identified.Upper!.Value, 12);
        Assert.Equal((50, 5.84), (identified.DeltaAtMin, identified.DeltaAtMax));
        Assert.Equal(ProfileVerdict.BoundedBelowOnly, below.Verdict);
        Assert.StartsWith("bounded below only: 95 % interval from ", below.VerdictText, StringComparison.Ordinal);
        Assert.Contains("no upper limit within the range", below.VerdictText, StringComparison.Ordinal);
        Assert.Equal(ProfileVerdict.BoundedAboveOnly, above.Verdict);
        Assert.Contains("no lower limit within the range", above.VerdictText, StringComparison.Ordinal);
        Assert.Equal(ProfileVerdict.NotIdentified, flat.Verdict);
        Assert.False(flat.AtBound);
        Assert.Equal(ProfileVerdict.BoundedAboveOnly, atMin.Verdict);
        Assert.True(atMin.AtBound);
        Assert.Contains("at a bound: the file's value is within 1 % of the range of min", atMin.VerdictText, StringComparison.Ordinal);
        Assert.Equal(2.5, better.Better!.Value);
        Assert.EndsWith("the file's value is not the optimum: a better point at 2.5 (Δ = -0.5; run sim calibrate again)", better.VerdictText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sim_profile_prints_the_verdicts_and_writes_the_same_bytes_twice()
    {
        using var dir = new TempDir("sim-profile-");
        var file = dir.Write("synthetic.yaml", Synthetic(TrueInnovation));
        var first = Path.Combine(dir.Path, "first");
        var second = Path.Combine(dir.Path, "second");

        var (code, stdout, stderr) = await Sim(["profile", file, "--points", "5", "--out", first]);
        var (again, _, stderr2) = await Sim(["profile", file, "--points", "5", "--out", second]);

        Assert.True(code == 0, stderr);
        Assert.True(again == 0, stderr2);
        Assert.Contains("markets.m.innovation", stdout, StringComparison.Ordinal);
        Assert.Contains("1 markets.m.innovation: identified: 95 % interval [", stdout, StringComparison.Ordinal);
        Assert.Contains($"2 {SparePath}: not identified: the profile stays within 3.84", stdout, StringComparison.Ordinal);
        var names = Files(first);
        Assert.Equal([.. new[] { "profile-1.png", "profile-1.svg", "profile-2.png", "profile-2.svg" }.Select(n => Path.Combine("charts", n)), "profile.csv", "profile.json", "profile.txt"],
            names.Where(n => !n.StartsWith('.')));
        Assert.Equal(names, Files(second));
        Assert.All(names, n => Assert.Equal(File.ReadAllBytes(Path.Combine(first, n)), File.ReadAllBytes(Path.Combine(second, n))));

        var csv = File.ReadAllLines(Path.Combine(first, "profile.csv"));
        Assert.Equal($"parameter,value,delta,objective,at_file,evaluations,markets.m.innovation,{SparePath}", csv[0]);
        Assert.Equal(1 + 6 + 6, csv.Length); // five grid points and the file's value, per parameter
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(first, "profile.json")))!;
        Assert.Equal(["identified", "not identified"], json["profiles"]!.AsArray().Select(p => p!["verdict"]!.GetValue<string>()));
        Assert.Equal(File.ReadAllText(Path.Combine(first, "profile.txt")), stdout[..stdout.IndexOf("Wrote ", StringComparison.Ordinal)]);
        var svg = File.ReadAllText(Path.Combine(first, "charts", "profile-1.svg"));
        Assert.Contains("1. markets.m.innovation: identified", svg, StringComparison.Ordinal);
        Assert.Contains("chi-squared(1) 95 %: 3.84", svg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_what_if_that_extends_the_scenario_is_profiled_under_its_own_name()
    {
        using var dir = new TempDir("sim-profile-");
        dir.Write("synthetic.yaml", Synthetic(TrueInnovation));
        var whatIf = dir.Write("whatif.yaml", "extends: synthetic.yaml\nname: whatif\nset:\n  companies.solo.cashUsd: 2000000000\n");
        var output = Path.Combine(dir.Path, "out");

        var (code, stdout, stderr) = await Sim(["profile", whatIf, "--points", "3", "--params", "markets.m.innovation", "--no-charts", "--out", output]);

        Assert.True(code == 0, stderr);
        Assert.Contains("Profile likelihoods of whatif", stdout, StringComparison.Ordinal);
        Assert.Contains("1 of 2 fitted parameters", stdout, StringComparison.Ordinal);
        Assert.Equal(["profile.csv", "profile.json", "profile.txt"], Files(output).Where(n => !n.StartsWith('.')));
    }

    [Fact]
    public async Task Bad_input_exits_2_with_one_line_and_writes_nothing()
    {
        using var dir = new TempDir("sim-profile-");
        var plain = dir.Write("plain.yaml", Fill("0.04", "0.3", 1e6, 2e6));
        var file = dir.Write("synthetic.yaml", Synthetic(TrueInnovation));
        var taken = dir.Write("taken", "a file where the folder would go");
        var output = Path.Combine(dir.Path, "out");

        var cases = new (string[] Args, string Message)[]
        {
            (["profile", plain, "--out", output], "no parameter to fit"),
            (["profile", file, "--points", "2", "--out", output], "--points must be a whole number of at least 3, got 2"),
            (["profile", file, "--params", "markets.m.innovation,markets.m.imitation", "--out", output],
                $"--params: markets.m.imitation is not a fitted parameter of the scenario; its fit: numbers are markets.m.innovation, {SparePath}"),
            (["profile", file, "--out", taken], "taken"),
            (["profile", Path.Combine(dir.Path, "nope.yaml"), "--out", output], "nope.yaml: file not found"),
        };
        foreach (var (args, message) in cases)
        {
            var (code, stdout, stderr) = await Sim(args);

            Assert.True(code == 2, $"{string.Join(' ', args)}: exit {code}, {stderr}");
            Assert.Contains(message, stderr, StringComparison.Ordinal);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal("", stdout);
        }
        Assert.False(Directory.Exists(output));
        Assert.Equal(["plain.yaml", "synthetic.yaml", "taken"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
