using System.Globalization;
using Simulation.Calibration;
using Simulation.Experiments;
using Simulation.Model.Engine;
using Simulation.Model.Rules;
using Simulation.Tests.Support;

namespace Simulation.Tests.Calibration;

/// <summary>
/// A calibration evaluation replays the recorded supply side (the companies, the job market) of its seed when every
/// free number is on the demand side: the figures must be those of the whole run, to the bit, wherever the numbers are.
/// </summary>
public sealed class SupplyReplayTests
{
    /// <summary>One market, one company with one app: its cash lasts about ten months unless its users pay for its budget.</summary>
    private static string Lean(string revenuePerUser) => $$$"""
        name: lean
        start: 2023-01-01
        end: 2024-12-31
        fitUntil: 2024-06
        tick: week
        seed: 11
        talent:
          tiers: [{id: staff, monthlySalaryUsd: 10000}]
        markets:
          - id: m
            potential: 10000000
            innovation: {value: 0.03, assumption: "a guess", fit: {min: 0.005, max: 0.5}}
            imitation: {value: 0.4, assumption: "a guess", fit: {min: 0.05, max: 3}}
        companies:
          - id: solo
            cashUsd: 10000000
            workforce: {staff: 20}
            policy: {aiBudgetFloorUsd: 1000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2}
            apps:
              - {id: app, market: m, retention: {d30: 0.3}, revenuePerUserMonthlyUsd: {{{revenuePerUser}}} }
        series:
          - {id: panel, model: logNormal, sigma: 0.1}
        targets:
          - {id: early, kind: marketActives, market: m, month: 2023-10, value: 1500000, tolerance: 0.01, relative: true, series: panel}
          - {id: late, kind: marketActives, market: m, month: 2024-06, value: 4000000, tolerance: 0.01, relative: true, series: panel}
        """;

    private static double[] RandomPoint(UnitSpace space, Random rng) =>
        space.FromUnit([.. Enumerable.Range(0, space.Dimension).Select(_ => rng.NextDouble())]);

    private static void AssertSameBits(double expected, double actual, string what) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"{what}: {expected:R} played whole, {actual:R} replayed");

    [Fact]
    public void Replayed_evaluations_of_the_baseline_give_the_whole_runs_objective_to_the_bit_anywhere_in_the_box()
    {
        var text = ScenarioText.Load(Repo.Baseline);
        var space = new UnitSpace(text.Parameters);
        var options = new CalibrationOptions { Seeds = 2 };
        var replaying = new Calibrator(text, options);
        replaying.Score([.. text.Parameters.Select(p => p.Start)], CancellationToken.None);
        var rng = new Random(3);
        for (var k = 0; k < 12; k++)
        {
            var x = RandomPoint(space, rng);
            // A new calibrator has no record yet: its first evaluation plays every seed whole.
            AssertSameBits(new Calibrator(text, options).Score(x, CancellationToken.None), replaying.Score(x, CancellationToken.None), $"point {k}");
        }
        Assert.Equal((24, 2), replaying.Runs);
    }

    [Fact]
    public void A_replay_collects_the_monthly_rows_and_events_a_whole_run_of_the_other_numbers_collects()
    {
        var text = ScenarioText.Load(Repo.Baseline);
        var space = new UnitSpace(text.Parameters);
        var recorded = text.Info([.. text.Parameters.Select(p => p.Start)]);
        var other = text.Info(RandomPoint(space, new Random(9)));
        var seed = recorded.Seed;
        var stop = Replicates.StopAfter(recorded, new DateOnly(2024, 12, 1));
        var record = new SupplyRecord();
        Replicates.Collect(new ScenarioContext(recorded, seed), stop, record);

        var replayed = Replicates.Replay(new ScenarioContext(other, seed), stop, record);
        var whole = Replicates.Collect(new ScenarioContext(other, seed), stop);

        Assert.True(record.Free);
        Assert.NotNull(replayed);
        Assert.Equal(whole.MonthRows, replayed.MonthRows);
        Assert.Equal(whole.Events, replayed.Events);
    }

    [Fact]
    public void A_replay_that_takes_the_other_blocks_markets_and_companies_from_the_record_collects_the_whole_runs_rows()
    {
        var text = ScenarioText.Load(Repo.Baseline);
        var space = new UnitSpace(text.Parameters);
        var start = text.Parameters.Select(p => p.Start).ToArray();
        var recorded = text.Info(start);
        var blocks = LikelihoodBlocks.Of(text, recorded, replays: true);
        var seed = recorded.Seed;
        var stop = Replicates.StopAfter(recorded, new DateOnly(2024, 12, 1));
        var record = new SupplyRecord();
        Replicates.Collect(new ScenarioContext(recorded, seed), stop, record);
        var rng = new Random(4);
        foreach (var (moving, kept) in new[] { (0, 1), (1, 0) })
        {
            // One block's numbers move; the other's markets (and the companies all of whose apps are there) come from the record.
            var x = (double[])start.Clone();
            foreach (var i in blocks[moving].Parameters)
            {
                x[i] = space.FromUnit(i, rng.NextDouble());
            }
            var other = text.Info(x);
            var fromRecord = recorded.Markets.Select(m => blocks[kept].Markets.Contains(m.Id)).ToArray();

            var replayed = Replicates.Replay(new ScenarioContext(other, seed), stop, record, fromRecord);
            var whole = Replicates.Collect(new ScenarioContext(other, seed), stop);

            Assert.NotNull(replayed);
            Assert.Equal(whole.MonthRows, replayed.MonthRows);
            Assert.Equal(whole.Events, replayed.Events);
        }
    }

    [Fact]
    public void Where_cash_binds_in_one_run_and_not_another_every_evaluation_still_gives_the_whole_runs_objective()
    {
        var text = ScenarioText.Parse(Lean("""{value: 0.5, assumption: "a guess", fit: {min: 0.001, max: 20}}"""), "lean.yaml");
        var space = new UnitSpace(text.Parameters);
        var options = new CalibrationOptions { Seeds = 1 };
        var replaying = new Calibrator(text, options);
        var rng = new Random(5);
        for (var k = 0; k < 40; k++)
        {
            var x = RandomPoint(space, rng);
            AssertSameBits(new Calibrator(text, options).Score(x, CancellationToken.None), replaying.Score(x, CancellationToken.None), $"point {k}");
        }
        // Little revenue per user runs out of cash (played whole), much keeps the plan whole (replayed).
        var (replayed, whole) = replaying.Runs;
        Assert.True(replayed is >= 1 and <= 39 && whole is >= 2 and <= 40, $"{replayed} replayed, {whole} played whole");
        Assert.InRange(replayed, 1, 39);
        Assert.InRange(whole, 2, 40);
    }

    [Fact]
    public void Fitting_a_number_the_supply_side_reads_plays_every_evaluation_whole()
    {
        var lean = Lean("0.5").Replace(
            "cashUsd: 10000000",
            """
            cashUsd: 10000000
                ecosystem: {value: 0.5, assumption: "a guess", fit: {min: 0, max: 1}}
            """, StringComparison.Ordinal);
        var text = ScenarioText.Parse(lean, "lean.yaml");
        var calibrator = new Calibrator(text, new CalibrationOptions { Seeds = 1 });
        var rng = new Random(2);
        for (var k = 0; k < 3; k++)
        {
            calibrator.Score(RandomPoint(new UnitSpace(text.Parameters), rng), CancellationToken.None);
        }
        Assert.Equal((0, 3), calibrator.Runs);
    }

    /// <summary>Two apps in one market, the second launched in May 2023: the first's owner pushes its marketing when its share falls fast.</summary>
    private const string Rivals = """
        name: rivals
        start: 2023-01-01
        end: 2024-12-31
        fitUntil: 2024-06
        tick: week
        seed: 4
        talent:
          tiers: [{id: staff, monthlySalaryUsd: 10000}]
        markets:
          - id: m
            potential: 10000000
            innovation: {value: 0.03, assumption: "a guess", fit: {min: 0.005, max: 0.5}}
            imitation: {value: 0.4, assumption: "a guess", fit: {min: 0.05, max: 3}}
            marketingWeight: {value: 1, assumption: "a guess", fit: {min: 0, max: 5}}
        companies:
          - id: first
            cashUsd: 1000000000
            workforce: {staff: 20}
            policy: {aiBudgetFloorUsd: 1000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2, reactionShareDrop: 0.045, reactionMarketingBoost: 1}
            apps:
              - {id: one, market: m, retention: {d30: 0.3}}
          - id: second
            cashUsd: 1000000000
            workforce: {staff: 20}
            policy: {aiBudgetFloorUsd: 3000000, salaryShare: 0.4, computeShare: 0.3, marketingShare: 0.3}
            apps:
              - {id: two, market: m, launch: 2023-05-01, retention: {d30: 0.3}}
        series:
          - {id: panel, model: logNormal, sigma: 0.1}
        targets:
          - {id: late, kind: marketActives, market: m, month: 2024-06, value: 4000000, tolerance: 0.01, relative: true, series: panel}
        """;

    [Fact]
    public async Task A_company_that_reacts_otherwise_than_in_the_record_has_its_marketing_made_again_and_the_rows_of_a_whole_run()
    {
        var text = ScenarioText.Parse(Rivals, "rivals.yaml");
        var space = new UnitSpace(text.Parameters);
        var recorded = text.Info([.. text.Parameters.Select(p => p.Start)]);
        var stop = Replicates.StopAfter(recorded, new DateOnly(2024, 6, 1));
        var record = new SupplyRecord();
        Replicates.Collect(new ScenarioContext(recorded, recorded.Seed), stop, record);
        var rng = new Random(8);
        var remarketed = 0;
        for (var k = 0; k < 10; k++)
        {
            var other = new ScenarioContext(text.Info(RandomPoint(space, rng)), recorded.Seed);
            var replay = new SupplyReplay(other, record);
            var replayed = new Simulation.Model.Metrics.DataCollector(other, tickRows: false);
            await Replicates.PlayAsync(new ReplayTicker(replay), replayed.Collect, stop);
            var whole = Replicates.Collect(new ScenarioContext(other.Info, recorded.Seed), stop);
            Assert.Equal(whole.MonthRows, replayed.MonthRows);
            remarketed += replay.Remarketed;
        }
        Assert.True(remarketed > 0, "no replay reacted otherwise than the record");
    }
}
