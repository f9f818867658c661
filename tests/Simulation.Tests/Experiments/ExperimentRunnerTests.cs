using System.Collections.Concurrent;
using Simulation.Calibration;
using Simulation.Calibration.Sensitivity;
using Simulation.Cli.Commands;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Metrics;
using Simulation.Model.Randomness;
using Simulation.Model.Time;
using Simulation.Scenarios;
using Simulation.Tests.Support;

namespace Simulation.Tests.Experiments;

/// <summary>The one experiment runner: its seed rule, its quantiles, its cancellation and its progress.</summary>
public sealed class ExperimentRunnerTests
{
    private static readonly ScenarioInfo Rivals = TestScenarios.Rivals();

    [Fact]
    public void The_seed_rule_plays_the_base_seed_first_then_derived_seeds()
    {
        Assert.Equal(7UL, Seeds.For(7, 0));
        Assert.Equal(RandomStreams.DeriveSeed(7, 1), Seeds.For(7, 1));
        Assert.Equal([Seeds.For(7, 0), Seeds.For(7, 1), Seeds.For(7, 2)], Seeds.First(7, 3));
    }

    [Theory]
    [InlineData(TickLength.Day)]
    [InlineData(TickLength.Week)]
    [InlineData(TickLength.Month)]
    public void A_replicate_that_stops_after_a_month_plays_every_tick_of_it_and_no_tick_that_starts_later(TickLength tick)
    {
        var scenario = Runs.Baseline.Info with { TickLength = tick };
        var calendar = scenario.CreateCalendar();
        var month = new DateOnly(2024, 6, 1);

        var stop = Replicates.StopAfter(scenario, month);

        Assert.True(calendar[stop - 1].Start < month.AddMonths(1) && calendar[stop - 1].End >= month.AddMonths(1),
            $"the last tick played, {calendar[stop - 1]}, holds the month's last day");
        Assert.True(calendar[stop].Start >= month.AddMonths(1), $"the first tick not played, {calendar[stop]}, starts after the month");
        Assert.Contains(Replicates.Collect(scenario, scenario.Seed, stop).MonthRows, r => r.Month == "2024-06");
    }

    [Fact]
    public async Task Run_runs_compare_sweep_and_calibrate_give_replicate_i_the_same_seed()
    {
        var baseline = Runs.Baseline;
        var baseSeed = baseline.Info.Seed;
        var monteCarlo = new SeedRecorder();
        await MonteCarlo.RunAsync(monteCarlo, Rivals, baseSeed, runs: 4, parallel: 2);
        var compare = new SeedRecorder();
        await Comparison.RunAsync(compare, [Rivals, Rivals], "mau", baseSeed, runs: 4, parallel: 2);
        var sweep = new SeedRecorder();
        var evaluator = new PointEvaluator(baseline, [OutputSpec.Parse("mau:doubao:2023-03", baseline.Info)], runs: 4, parallel: 2, engine: sweep);
        evaluator.Evaluate([[], []]);

        IReadOnlyList<ulong> expected = Seeds.First(baseSeed, 4);
        Assert.Equal(expected, monteCarlo.SeedsByIndex());
        Assert.Equal(expected, compare.SeedsByIndex());
        Assert.Equal(expected, sweep.SeedsByIndex());
        Assert.Equal(expected, evaluator.Seeds);
        Assert.All(compare.Played.GroupBy(p => p.Index), g => Assert.Single(g.Select(p => p.Seed).Distinct()));
    }

    [Fact]
    public void Calibration_averages_over_the_seeds_of_the_same_rule()
    {
        var text = ScenarioText.Parse(File.ReadAllText(Repo.Baseline), Repo.Baseline, Path.Combine(Repo.Root, "seeds"));

        var calibrator = new Calibrator(text, new CalibrationOptions { Seeds = 3 });

        Assert.Equal(Seeds.First(Runs.Baseline.Info.Seed, 3), calibrator.Seeds);
    }

    [Fact]
    public void Variants_without_a_shared_base_seed_play_their_own_seeds_and_a_shared_one_overrides_them()
    {
        var own = new Experiment([Rivals with { Seed = 1 }, Rivals with { Seed = 2 }], Replicates: 2);
        var shared = own with { BaseSeed = 9 };

        Assert.Equal([1UL, Seeds.For(1, 1)], [own.SeedOf(0, 0), own.SeedOf(0, 1)]);
        Assert.Equal([2UL, Seeds.For(2, 1)], [own.SeedOf(1, 0), own.SeedOf(1, 1)]);
        Assert.Equal(shared.SeedOf(0, 1), shared.SeedOf(1, 1));
    }

    [Fact]
    public void Quantiles_are_type_7_linear_interpolation_on_a_known_sample()
    {
        double[] sample = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5]; // 1..10 shuffled: position 1 + (n - 1) p

        Assert.Equal(1.45, Quantiles.Of(sample, 0.05), 12);
        Assert.Equal(5.5, Quantiles.Of(sample, 0.50), 12);
        Assert.Equal(9.55, Quantiles.Of(sample, 0.95), 12);
        Assert.True(double.IsNaN(Quantiles.Of([], 0.5)));
    }

    [Fact]
    public void Bands_and_sweeps_share_the_quantile_definition()
    {
        double[] sample = [3, 1, 4, 1, 5, 9, 2, 6];
        var sketch = new QuantileSketch([0.05, 0.5, 0.95]);
        foreach (var x in sample)
        {
            sketch.Add(x);
        }
        var point = new PointOutcome(0, [], null, [sample]);

        Assert.Equal(sketch.Quantile(0), point.Quantile(0, 0.05));
        Assert.Equal(sketch.Quantile(2), point.Quantile(0, 0.95));
        Assert.Equal(Quantiles.Of(sample, 0.95), point.Quantile(0, 0.95));
    }

    [Fact]
    public async Task Cancelling_stops_launching_and_returns_the_cells_that_completed_in_order()
    {
        using var cancel = new CancellationTokenSource();
        var folded = new List<int>();
        var progress = new Reports(p =>
        {
            if (p.Done == 5)
            {
                cancel.Cancel();
            }
        });
        var experiment = new Experiment([Rivals, Rivals], Replicates: 500);

        var result = await ExperimentRunner.RunAsync<int>(experiment, parallel: 2,
            async cell => { await Task.Delay(2); return cell.Replicate * 2 + cell.Variant; },
            cell => folded.Add(cell.Result), progress, cancel.Token);

        Assert.True(result.Cancelled);
        Assert.InRange(result.Folded, 5, 5 + 2 * ExperimentRunner.WindowPerSlot);
        Assert.Equal(Enumerable.Range(0, result.Folded), folded);
    }

    [Fact]
    public async Task Progress_reports_reach_the_total_with_nothing_left()
    {
        var reports = new ConcurrentQueue<ExperimentProgress>();
        var experiment = new Experiment([Rivals], Replicates: 6) { Stage = "runs" };

        await ExperimentRunner.RunAsync(new ReferenceReplicates(), experiment, parallel: 3, _ => { }, new Reports(reports.Enqueue));

        var all = reports.ToList();
        Assert.Equal(6, all.Count);
        Assert.Equal(Enumerable.Range(1, 6), all.Select(r => r.Done).Order());
        var last = all.MaxBy(r => r.Done)!;
        Assert.Equal(6, last.Total);
        Assert.Equal(TimeSpan.Zero, last.Remaining);
        Assert.All(all, r => Assert.Equal("runs", r.Stage));
    }

    [Fact]
    public async Task A_failing_replicate_stops_the_batch_and_its_error_surfaces()
    {
        var experiment = new Experiment([Rivals], Replicates: 50);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ExperimentRunner.RunAsync<int>(experiment, parallel: 2,
            cell => cell.Replicate == 3 ? throw new InvalidOperationException("replicate 3 broke") : Task.FromResult(cell.Replicate),
            _ => { }));

        Assert.Equal("replicate 3 broke", e.Message);
    }

    [Fact]
    public void An_estimate_scales_the_pilot_by_cells_over_cores()
    {
        var estimate = new Estimate(TimeSpan.FromMilliseconds(10), Cells: 1_000_000, Cores: 2);

        Assert.Equal(TimeSpan.FromSeconds(5_000), estimate.Total);
        Assert.Equal("1 h 23 min", Estimate.Duration(estimate.Total));
        Assert.StartsWith("about 1 h 23 min on 2 cores (1,000,000 runs of about 10 ms each)", estimate.Describe(), StringComparison.Ordinal);
        Assert.True(Estimate.FromPilot(Rivals, cells: 10, parallel: 2).PerCell > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_sweep_over_seed_plays_each_points_seed()
    {
        var dir = Directory.CreateTempSubdirectory("sim-sweep-seed-").FullName;
        try
        {
            var (code, stdout, stderr) = await SimAsync("sweep", Repo.Baseline, "--param", "seed=1:3:3",
                "--outputs", "mau:doubao:2024-09", "--out", dir);

            Assert.True(code == ExitCodes.Success, stderr);
            var rows = File.ReadAllLines(Path.Combine(dir, "sweep.csv")).Skip(1).Select(l => l.Split(',')).ToList();
            Assert.Equal(["1", "2", "3"], rows.Select(r => r[1]));
            Assert.Equal(3, rows.Select(r => r[2]).Distinct().Count());
            Assert.Contains("seed is swept", stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Calibrate_fits_a_what_if_that_extends_another_into_a_new_what_if_extending_it()
    {
        var dir = Directory.CreateTempSubdirectory("sim-fitextends-").FullName;
        try
        {
            var basePath = Path.Combine(dir, "fittable.yaml");
            File.WriteAllText(basePath, TestScenarios.Fittable);
            var whatIf = Path.Combine(dir, "what-if", "slower.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(whatIf)!);
            File.WriteAllText(whatIf, "extends: ../fittable.yaml\nname: slower\nset:\n  markets.m.imitation: 0.6\n");
            var before = (File.ReadAllText(basePath), File.ReadAllText(whatIf));

            var (code, stdout, stderr) = await SimAsync("calibrate", whatIf, "--seeds", "1", "--starts", "1", "--max-iterations", "20");

            Assert.True(code == 0, stderr);
            var fittedPath = Path.Combine(dir, "what-if", "slower.fitted.yaml");
            Assert.Contains("extends: slower.yaml", File.ReadAllText(fittedPath), StringComparison.Ordinal);
            var fitted = ScenarioLoader.Load(fittedPath);
            Assert.Equal("slower-fitted", fitted.Info.Name);
            Assert.Equal(0.6, fitted.Info.Markets[0].Imitation);
            var row = stdout.Split('\n').Single(l => l.StartsWith("markets.m.innovation ", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var reported = double.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture);
            var p = fitted.Provenance.Find("markets.m.innovation")!;
            Assert.Equal(reported, p.Value);
            Assert.Equal(reported, fitted.Info.Markets[0].Innovation);
            Assert.Equal(Simulation.Scenarios.Yaml.Provenance.Fitted, p.Kind);
            Assert.StartsWith("sim calibrate ", p.Text, StringComparison.Ordinal);
            Assert.Equal((0.01, 0.5), (p.FitMin!.Value, p.FitMax!.Value));
            Assert.Equal(before, (File.ReadAllText(basePath), File.ReadAllText(whatIf)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Calibrate_in_place_refuses_a_what_if_that_extends_another()
    {
        var dir = Directory.CreateTempSubdirectory("sim-fitextends-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "fittable.yaml"), TestScenarios.Fittable);
            var whatIf = Path.Combine(dir, "slower.yaml");
            File.WriteAllText(whatIf, "extends: fittable.yaml\nname: slower\n");

            var (code, _, stderr) = await SimAsync("calibrate", whatIf, "--in-place");

            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Contains("--in-place: " + whatIf + " extends fittable.yaml, so its numbers live in other files", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Fitting", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("internal error", stderr, StringComparison.Ordinal);
            Assert.Equal("extends: fittable.yaml\nname: slower\n", File.ReadAllText(whatIf));
            Assert.Equal(["fittable.yaml", "slower.yaml"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(new string[0], "fittable-fitted")]
    [InlineData(new[] { "--name", "my-fit" }, "my-fit")]
    public async Task Calibrate_writes_its_result_under_a_new_scenario_name_unless_told_otherwise(string[] extra, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("sim-fitname-").FullName;
        try
        {
            var file = Path.Combine(dir, "fittable.yaml");
            File.WriteAllText(file, TestScenarios.Fittable);

            var (code, _, stderr) = await SimAsync(["calibrate", file, "--seeds", "1", "--starts", "1", "--max-iterations", "20", .. extra]);

            Assert.True(code == 0, stderr);
            var fitted = ScenarioLoader.Load(Path.Combine(dir, "fittable.fitted.yaml")).Info;
            Assert.Equal(expected, fitted.Name);
            Assert.Equal("fittable", ScenarioLoader.Load(file).Info.Name);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--name", "Not A Name", "--name Not A Name:")]
    [InlineData("--in-place", "--name", "--name and --in-place cannot be used together")]
    public async Task Calibrate_refuses_a_bad_new_name_before_any_work(string option, string value, string message)
    {
        var dir = Directory.CreateTempSubdirectory("sim-fitname-").FullName;
        try
        {
            var file = Path.Combine(dir, "fittable.yaml");
            File.WriteAllText(file, TestScenarios.Fittable);
            string[] args = option == "--in-place" ? ["calibrate", file, "--in-place", "--name", "x"] : ["calibrate", file, option, value];

            var (code, _, stderr) = await SimAsync(args);

            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Contains(message, stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Fitting", stderr, StringComparison.Ordinal);
            Assert.Equal(["fittable.yaml"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Calibrate_without_fit_parameters_exits_2_saying_how_to_mark_one()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sim-nofit-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, NoMarket.Replace("markets: []", "markets: [{id: m, potential: 1000000, innovation: 0.01, imitation: 0.5}]", StringComparison.Ordinal));
        try
        {
            var (code, _, stderr) = await SimAsync("calibrate", file);

            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Contains("no parameter to fit: mark one with fit: {min, max}", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Sensitivity_on_a_scenario_without_markets_exits_2_with_a_clear_message()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sim-nomarket-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, NoMarket);
        try
        {
            var (code, _, stderr) = await SimAsync("sensitivity", file, "--no-charts", "--out", Path.Combine(Path.GetTempPath(), "never"));

            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Contains("has no market", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private const string NoMarket = """
        name: nomarket
        start: 2024-01-01
        end: 2024-12-31
        tick: month
        seed: 3
        talent:
          tiers: [{id: eng, monthlySalaryUsd: 10000, productivity: 1, supplyPerMonth: 10, attritionPerMonth: 0.01}]
        markets: []
        companies:
          - id: a
            cashUsd: 1000000000
            revenue: [{from: 2024-01-01, monthlyUsd: 10000000}]
            workforce: {eng: 10}
            apps: []
            policy: {aiBudgetShare: 0.2, salaryShare: 0.5, computeShare: 0.3, marketingShare: 0.2}
        """;

    private static async Task<(int Code, string Stdout, string Stderr)> SimAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await SimCommand.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The reference loop, remembering every (index, seed) it was asked to play.</summary>
    private sealed class SeedRecorder : IReplicateRunner
    {
        private readonly ReferenceReplicates _inner = new();

        public ConcurrentBag<(int Index, ulong Seed)> Played { get; } = [];

        public string Engine => _inner.Engine;

        public string? Placement => null;

        public Task<ReplicateResult> RunAsync(ScenarioInfo scenario, ulong seed, int index, int stopTick = int.MaxValue)
        {
            Played.Add((index, seed));
            return _inner.RunAsync(scenario, seed, index, stopTick);
        }

        public IReadOnlyList<ulong> SeedsByIndex() => [.. Played.GroupBy(p => p.Index).OrderBy(g => g.Key).Select(g => g.First().Seed)];
    }

    private sealed class Reports(Action<ExperimentProgress> report) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => report(value);
    }
}
