using System.Globalization;
using Simulation.Calibration;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;

namespace Simulation.Tests.Calibration;

public sealed class CalibrationTests
{
    private const double TrueInnovation = 0.04;
    private const double TrueImitation = 0.9;

    /// <summary>One market, one app, month ticks: users follow p and q alone.</summary>
    private static string Synthetic(string innovation, string imitation, string targets) => $$"""
        name: synthetic
        start: 2023-01-01
        end: 2025-12-31
        tick: month
        seed: 5
        talent:
          tiers: [{id: staff, monthlySalaryUsd: 10000}]
        markets:
          - id: m
            potential: 10000000
            innovation: {{innovation}}
            imitation: {{imitation}}
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
        {{targets}}
        """;

    private static string Targets(double mau2023, double mau2025) => string.Create(CultureInfo.InvariantCulture, $$"""
          - {id: early, kind: marketActives, market: m, month: 2023-10, value: {{mau2023:R}}, tolerance: 0.01, relative: true, series: panel}
          - {id: late, kind: marketActives, market: m, month: 2025-06, value: {{mau2025:R}}, tolerance: 0.01, relative: true, series: panel}
        """);

    [Fact]
    public void Calibration_recovers_known_parameters_of_a_synthetic_scenario_within_5_percent()
    {
        // The truth: run the scenario with known p and q and read its figures as targets.
        var truth = ScenarioLoader.Parse(Synthetic(TrueInnovation.ToString("R", CultureInfo.InvariantCulture), TrueImitation.ToString("R", CultureInfo.InvariantCulture), Targets(1, 1)), "truth.yaml");
        var observed = Calibrator.Evaluate(truth, 5);
        var text = Synthetic(
            """{value: 0.15, assumption: "a guess", fit: {min: 0.005, max: 0.5}}""",
            """{value: 0.3, assumption: "a guess", fit: {min: 0.05, max: 3}}""",
            Targets(observed[0].Value, observed[1].Value));

        var result = new Calibrator(ScenarioText.Parse(text, "synthetic.yaml"), new CalibrationOptions { Seeds = 2, Starts = 2 }).Run();

        Assert.Equal(TrueInnovation, result.Values[0], TrueInnovation * 0.05);
        Assert.Equal(TrueImitation, result.Values[1], TrueImitation * 0.05);
        Assert.All(result.Targets, t => Assert.True(t.Within, t.Target.Id));
        Assert.Equal(2, result.Identification.Count);
        Assert.All(result.Eigenvalues, e => Assert.True(e > 0));
    }

    [Fact]
    public void A_start_stopped_by_its_evaluation_limit_records_its_own_best_and_the_report_lists_every_start()
    {
        var text = Synthetic(
            """{value: 0.15, assumption: "a guess", fit: {min: 0.005, max: 0.5}}""",
            """{value: 0.3, assumption: "a guess", fit: {min: 0.05, max: 3}}""",
            Targets(1_000_000, 5_000_000));
        var progress = new Recorder();

        var result = new Calibrator(ScenarioText.Parse(text, "synthetic.yaml"), new CalibrationOptions { Seeds = 1, Starts = 2, FromFile = true, MaxGlobalEvaluations = 12, MaxIterationsPerStart = 2 })
            .Run(progress);

        Assert.Equal(2, result.Starts.Count);
        Assert.All(result.Starts, s => Assert.Equal(StartEnd.IterationLimit, s.Ended));
        // The first round always restarts (from the start's best, twice the population).
        Assert.All(result.Starts, s => Assert.InRange(s.Rounds, 2, 3));
        Assert.Equal([false, true], result.Starts.Select(s => s.Seeded));
        Assert.NotEqual(result.Starts[0].To, result.Starts[1].To);
        Assert.NotEqual(result.Starts[0].Objective, result.Starts[1].Objective);
        for (var i = 0; i < 2; i++)
        {
            // Its own best: the least objective among the evaluations of this start alone.
            var own = progress.Seen.Where(p => p.Start == i + 1).ToList();
            Assert.Equal(own.Count, result.Starts[i].Evaluations);
            Assert.Equal(own.Min(p => p.Objective), result.Starts[i].Objective);
        }
        var worse = result.Starts.MaxBy(s => s.Objective)!;
        Assert.True(worse.Objective > progress.Seen.Min(p => p.Objective), "the worse start must not record the global best");

        var report = Simulation.Cli.Commands.CalibrateCommand.Report(result);
        Assert.Contains("start 1: from the file's values [0.15, 0.3] -> objective ", report, StringComparison.Ordinal);
        Assert.Contains("start 2: from seeded point [", report, StringComparison.Ordinal);
        Assert.Equal(2, report.Split('\n').Count(l => l.Contains("; evaluation limit after ", StringComparison.Ordinal)));
        var best = result.Starts.Select((s, i) => (s, i)).MinBy(x => x.s.Objective).i + 1;
        Assert.Contains($"Best: start {best} (objective ", report, StringComparison.Ordinal);
        Assert.Contains(" of 2 starts ended within 1 % of its objective.", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Starts_are_seeded_points_in_the_bounds_unless_the_first_is_told_to_begin_at_the_file()
    {
        var text = ScenarioText.Parse(Synthetic(
            """{value: 0.15, assumption: "a guess", fit: {min: 0.005, max: 0.5}}""",
            """{value: 0.3, assumption: "a guess", fit: {min: 0.05, max: 3}}""",
            Targets(1_000_000, 5_000_000)), "synthetic.yaml");
        var options = new CalibrationOptions { Seeds = 1, Starts = 2, Restarts = 0, MaxGlobalEvaluations = 12, MaxIterationsPerStart = 1 };

        var seeded = new Calibrator(text, options).Run();
        var fromFile = new Calibrator(text, options with { FromFile = true }).Run();

        Assert.All(seeded.Starts, s => Assert.True(s.Seeded));
        Assert.All(seeded.Starts, s => Assert.Equal(1, s.Rounds));
        Assert.All(seeded.Starts, s => Assert.NotEqual<double>([0.15, 0.3], s.From));
        Assert.All(seeded.Starts, s => Assert.All(s.From.Zip(text.Parameters), x => Assert.InRange(x.First, x.Second.Min, x.Second.Max)));
        Assert.Equal<double>([0.15, 0.3], fromFile.Starts[0].From);
        Assert.False(fromFile.Starts[0].Seeded);
        Assert.Equal(seeded.Starts[1].From, fromFile.Starts[1].From);
    }

    /// <summary>Records progress as it is reported (synchronously, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class Recorder : IProgress<CalibrationProgress>
    {
        public List<CalibrationProgress> Seen { get; } = [];

        // Starts run in parallel: their reports may come at once.
        public void Report(CalibrationProgress value)
        {
            lock (Seen)
            {
                Seen.Add(value);
            }
        }
    }

    [Fact]
    public void Fitted_values_are_written_back_with_their_provenance_and_nothing_else_changes()
    {
        var text = Synthetic(
            """{value: 0.15, assumption: "a guess", fit: {min: 0.005, max: 0.5}}   # keep this comment""",
            "0.9",
            Targets(1_000_000, 5_000_000));
        var scenario = ScenarioText.Parse(text, "synthetic.yaml");

        var written = scenario.WithFitted([0.0412345678], "sim calibrate synthetic.yaml (2026-11-29)");
        var reloaded = ScenarioLoader.Parse(written, "synthetic.yaml");

        var p = reloaded.Provenance.Find("markets.m.innovation")!;
        Assert.Equal(Provenance.Fitted, p.Kind);
        Assert.Equal("sim calibrate synthetic.yaml (2026-11-29)", p.Text);
        Assert.Equal(0.0412346, p.Value);
        Assert.Equal((0.005, 0.5), (p.FitMin!.Value, p.FitMax!.Value));
        Assert.Contains("# keep this comment", written);
        Assert.Equal(text.Split('\n').Where(l => !l.Contains("innovation")), written.Split('\n').Where(l => !l.Contains("innovation")));
    }

    [Fact]
    public void A_what_if_that_extends_another_fits_the_numbers_of_every_file_by_overrides_and_writes_a_what_if_extending_it()
    {
        var dir = Directory.CreateTempSubdirectory("sim-fit-extends-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "base.yaml"), Synthetic(
                """{value: 0.15, assumption: "a guess", fit: {min: 0.005, max: 0.5}}""", "0.9", Targets(1_000_000, 5_000_000)));
            var whatIf = Path.Combine(dir, "what-if.yaml");
            // A set: entry may carry its provenance and fit bounds like any number: {value, fitted|assumption|source, fit}.
            File.WriteAllText(whatIf, """
                extends: base.yaml
                name: what-if
                set:
                  markets.m.imitation: {value: 0.6, assumption: "slower word of mouth", fit: {min: 0.05, max: 3}}
                """);
            var text = ScenarioText.Load(whatIf);

            Assert.Equal("base.yaml", text.Extends);
            Assert.Equal(["markets.m.innovation", "markets.m.imitation"], text.Parameters.Select(p => p.Path));
            Assert.Equal([0.15, 0.6], text.Parameters.Select(p => p.Start));
            var bound = text.Bind([0.05, 1.2]).Info.Markets[0];
            Assert.Equal((0.05, 1.2), (bound.Innovation, bound.Imitation));
            Assert.Throws<InvalidOperationException>(() => text.WithFitted([0.05, 1.2], "x"));

            var output = Path.Combine(dir, "out", "fitted.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            File.WriteAllText(output, text.FittedWhatIf([0.0412345678, 1.2], "sim calibrate what-if.yaml (2026-12-02)", "what-if-fitted", output));
            var reloaded = ScenarioLoader.Load(output);

            Assert.StartsWith("# ", File.ReadAllText(output), StringComparison.Ordinal);
            Assert.Contains("extends: ../what-if.yaml", File.ReadAllText(output), StringComparison.Ordinal);
            Assert.Equal("what-if-fitted", reloaded.Info.Name);
            var innovation = reloaded.Provenance.Find("markets.m.innovation")!;
            Assert.Equal((Provenance.Fitted, "sim calibrate what-if.yaml (2026-12-02)", 0.0412346), (innovation.Kind, innovation.Text, innovation.Value));
            Assert.Equal((0.005, 0.5), (innovation.FitMin!.Value, innovation.FitMax!.Value));
            var imitation = reloaded.Provenance.Find("markets.m.imitation")!;
            Assert.Equal((Provenance.Fitted, 1.2, 0.05, 3.0), (imitation.Kind, imitation.Value, imitation.FitMin!.Value, imitation.FitMax!.Value));
            Assert.Equal(2, ScenarioText.Load(output).Parameters.Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_scenario_without_fit_parameters_is_refused_with_a_clear_message()
    {
        var text = ScenarioText.Parse(Synthetic("0.04", "0.9", Targets(1, 1)), "plain.yaml");

        var e = Assert.Throws<CalibrationInputException>(() => new Calibrator(text));
        Assert.Contains("no parameter to fit: mark one with fit: {min, max}", e.Message);
    }
}
