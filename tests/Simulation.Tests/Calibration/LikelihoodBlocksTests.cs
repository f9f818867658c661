using Simulation.Calibration;
using Simulation.Calibration.Posterior;
using Simulation.Model.Targets;
using Simulation.Tests.Support;

namespace Simulation.Tests.Calibration;

/// <summary>
/// Where the supply side replays, the posterior falls into blocks of markets that share nothing: the likelihood must be the
/// sum of the blocks' to the rounding, and a block's must not move when another block's numbers do.
/// </summary>
public sealed class LikelihoodBlocksTests
{
    /// <summary>
    /// Two markets, a company in each; <paramref name="secondApp"/> gives the first company an app in the second market too,
    /// <paramref name="sigma"/> is the shared series' sigma, <paramref name="poach"/> the first company's poaching rate.
    /// </summary>
    private static ScenarioText Pair(bool secondApp = false, string sigma = "0.1", string poach = "0.1") => ScenarioText.Parse($$$$"""
        name: pair
        start: 2023-01-01
        end: 2024-12-31
        fitUntil: 2024-06
        tick: week
        seed: 5
        talent:
          tiers: [{id: staff, monthlySalaryUsd: 10000}]
        markets:
          - id: east
            potential: 10000000
            innovation: {value: 0.03, assumption: "a guess", fit: {min: 0.005, max: 0.5}}
            imitation: {value: 0.4, assumption: "a guess", fit: {min: 0.05, max: 3}}
          - id: west
            potential: 20000000
            innovation: {value: 0.02, assumption: "a guess", fit: {min: 0.005, max: 0.5}}
            imitation: 0.3
        companies:
          - id: a
            cashUsd: 1000000000
            workforce: {staff: 20}
            policy: {aiBudgetFloorUsd: 1000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2, poachRate: {{{{poach}}}}}
            apps:
              - id: a1
                market: east
                retention: {d30: {value: 0.3, assumption: "a guess", fit: {min: 0.1, max: 0.6}}}
        {{{{(secondApp ? "      - {id: a2, market: west, retention: {d30: 0.3}}" : "")}}}}
          - id: b
            cashUsd: 1000000000
            workforce: {staff: 20}
            policy: {aiBudgetFloorUsd: 1000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2}
            apps:
              - {id: b1, market: west, retention: {d30: 0.3}, initialUsers: {value: 100000, assumption: "a guess", fit: {min: 10000, max: 1000000}}}
        series:
          - {id: panel, model: logNormal, sigma: {{{{sigma}}}}}
        targets:
          - {id: east-early, kind: marketActives, market: east, month: 2023-10, value: 1500000, tolerance: 0.01, relative: true, series: panel}
          - {id: east-late, kind: appActives, app: a1, month: 2024-06, value: 3000000, tolerance: 0.01, relative: true, series: panel}
          - {id: west-late, kind: marketActives, market: west, month: 2024-06, value: 5000000, tolerance: 0.01, relative: true, series: panel}
          - {id: b1-mau, kind: appActives, app: b1, month: 2024-03, value: 2000000, tolerance: 0.01, relative: true, series: panel}
        """, "pair.yaml");

    private static IReadOnlyList<ParameterBlock> BlocksOf(ScenarioText text)
    {
        var calibrator = new Calibrator(text);
        return LikelihoodBlocks.Of(text, text.Bind([.. text.Parameters.Select(p => p.Start)]).Info, calibrator.Replays);
    }

    private static string[] Paths(ScenarioText text, ParameterBlock block) => [.. block.Parameters.Select(i => text.Parameters[i].Path)];

    [Fact]
    public void The_baselines_posterior_splits_into_the_chinese_market_and_the_global_one()
    {
        var text = ScenarioText.Load(Repo.Baseline);
        var blocks = BlocksOf(text);

        Assert.Equal(["china-aigc", "global"], blocks.Select(b => b.Name));
        Assert.All(Paths(text, blocks[1]), p => Assert.Matches(@"^(markets\.global\.|companies\.openai\.apps\.chatgpt\.)", p));
        Assert.Contains("companies.bytedance.apps.doubao.retention.d30", Paths(text, blocks[0]));
        Assert.Contains("series.questmobile-2024-12.sigma", Paths(text, blocks[0]));
        // Every parameter in one block, every fitted target in one block.
        Assert.Equal(Enumerable.Range(0, text.Parameters.Count), blocks.SelectMany(b => b.Parameters).Order());
        var inFit = TargetEvaluator.InFit(text.Bind([.. text.Parameters.Select(p => p.Start)]).Info).Select(t => t.Id).Order();
        Assert.Equal(inFit, blocks.SelectMany(b => b.Targets!).Order());
        Assert.All(blocks[1].Targets!, t => Assert.StartsWith("chatgpt-", t));
    }

    [Fact]
    public void Two_markets_that_share_nothing_are_two_blocks()
    {
        var text = Pair();
        var blocks = BlocksOf(text);

        Assert.Equal(["east", "west"], blocks.Select(b => b.Name));
        Assert.Equal(["markets.east.innovation", "markets.east.imitation", "companies.a.apps.a1.retention.d30"], Paths(text, blocks[0]));
        Assert.Equal(["east-early", "east-late"], blocks[0].Targets);
        Assert.Equal(["west-late", "b1-mau"], blocks[1].Targets);
    }

    [Fact]
    public void A_company_with_apps_in_both_markets_joins_them_in_one_block()
    {
        var blocks = BlocksOf(Pair(secondApp: true));

        Assert.Equal("all", Assert.Single(blocks).Name);
        Assert.Null(blocks[0].Targets);
    }

    [Fact]
    public void A_fitted_sigma_of_a_series_in_both_markets_joins_them_in_one_block()
    {
        Assert.Single(BlocksOf(Pair(sigma: """{value: 0.1, assumption: "a guess", fit: {min: 0.02, max: 1}}""")));
    }

    [Fact]
    public void A_free_number_on_the_supply_side_leaves_the_posterior_whole()
    {
        var text = Pair(poach: """{value: 0.1, assumption: "a guess", fit: {min: 0, max: 1}}""");

        Assert.False(new Calibrator(text).Replays);
        Assert.Single(BlocksOf(text));
    }

    [Fact]
    public void The_likelihood_is_the_sum_of_the_blocks_and_a_block_does_not_move_with_another_blocks_numbers()
    {
        var text = ScenarioText.Load(Repo.Baseline);
        var blocks = BlocksOf(text);
        var space = new UnitSpace(text.Parameters);
        var whole = new Calibrator(text);
        var parts = blocks.Select(b => new Calibrator(text, new CalibrationOptions { Targets = b.Targets })).ToArray();
        var rng = new Random(7);
        double[] Point() => space.FromUnit([.. Enumerable.Range(0, space.Dimension).Select(_ => rng.NextDouble())]);
        for (var k = 0; k < 6; k++)
        {
            var x = Point();
            var sum = parts.Sum(p => p.Score(x, CancellationToken.None)) - (parts.Length - 1) * whole.Prior(x);
            var all = whole.Score(x, CancellationToken.None);
            Assert.Equal(all, sum, Math.Max(1e-9, 1e-12 * Math.Abs(all)));

            // The China block's likelihood where only the global block's numbers moved: the same (to the prior's rounding).
            var y = (double[])x.Clone();
            var other = Point();
            foreach (var i in blocks[1].Parameters)
            {
                y[i] = other[i];
            }
            var china = parts[0].Score(x, CancellationToken.None) - parts[0].Prior(x);
            var moved = parts[0].Score(y, CancellationToken.None) - parts[0].Prior(y);
            Assert.Equal(china, moved, 1e-12 * Math.Max(1, Math.Abs(china)));
        }
        Assert.True(whole.Runs.Replayed > 0 && parts.All(p => p.Runs.Replayed > 0), "the evaluations replayed the supply side");
    }

    [Fact]
    public void A_replay_takes_the_markets_whose_block_kept_the_records_numbers_from_the_record_and_gives_the_same_bits()
    {
        var text = ScenarioText.Load(Repo.Baseline);
        var blocks = BlocksOf(text);
        var space = new UnitSpace(text.Parameters);
        var start = text.Parameters.Select(p => p.Start).ToArray();
        var rng = new Random(11);
        foreach (var targets in new[] { null, blocks[0].Targets, blocks[1].Targets })
        {
            var options = new CalibrationOptions { Seeds = 2, Targets = targets };
            var used = new Calibrator(text, options);
            used.Score(start, CancellationToken.None);
            for (var k = 0; k < 3; k++)
            {
                // Only one block's numbers move: the other's markets come from the record made at the start.
                var x = (double[])start.Clone();
                foreach (var i in blocks[k % 2].Parameters)
                {
                    x[i] = space.FromUnit(i, rng.NextDouble());
                }
                var fresh = new Calibrator(text, options).Score(x, CancellationToken.None);
                var replayed = used.Score(x, CancellationToken.None);
                Assert.True(BitConverter.DoubleToInt64Bits(fresh) == BitConverter.DoubleToInt64Bits(replayed), $"{fresh:R} played whole, {replayed:R} replayed");
            }
            Assert.Equal(2, used.Runs.PlayedWhole);
        }
    }
}
