using MathNet.Numerics.Distributions;
using Simulation.Calibration.Posterior;

namespace Simulation.Tests.Calibration;

/// <summary>
/// Posterior.Diagnostics: split R-hat (BDA3), rank-normalised R-hat and bulk/tail ESS (Vehtari et al. 2021), ESS
/// by Geyer's initial monotone sequence, on chains whose behaviour is known.
/// </summary>
public sealed class DiagnosticsTests
{
    private static double[][] Chains(int chains, int draws, int seed, Func<Random, int, double[]> chain) =>
        [.. Enumerable.Range(0, chains).Select(c => chain(new Random(seed * 1000 + c), draws))];

    private static double[] Iid(IContinuousDistribution distribution, int draws)
    {
        var result = new double[draws];
        for (var i = 0; i < draws; i++)
        {
            result[i] = distribution.Sample();
        }
        return result;
    }

    private static double[][] NormalChains(int chains, int draws, int seed) =>
        Chains(chains, draws, seed, (rng, n) => Iid(new Normal(0, 1, rng), n));

    /// <summary>A stationary AR(1) chain x_i = phi x_(i-1) + e_i, e_i ~ N(0, 1), started from its stationary law.</summary>
    private static double[] Ar1(Random rng, int draws, double phi)
    {
        var noise = new Normal(0, 1, rng);
        var result = new double[draws];
        result[0] = noise.Sample() / Math.Sqrt(1 - phi * phi);
        for (var i = 1; i < draws; i++)
        {
            result[i] = phi * result[i - 1] + noise.Sample();
        }
        return result;
    }

    private static double[][] Shifted(double[][] chains, Func<int, double> shift) =>
        [.. chains.Select((draws, c) => draws.Select(x => x + shift(c)).ToArray())];

    [Fact]
    public void Independent_normal_chains_have_r_hat_near_one_and_ess_near_the_draw_count()
    {
        var chains = NormalChains(4, 1000, seed: 1);

        Assert.InRange(Diagnostics.SplitRHat(chains), 0.99, 1.01);
        Assert.InRange(Diagnostics.RankNormalizedRHat(chains), 0.99, 1.01);
        Assert.InRange(Diagnostics.EssBulk(chains), 3000, 5000);
        Assert.InRange(Diagnostics.Ess(chains), 3000, 5000);
        Assert.InRange(Diagnostics.EssTail(chains), 2500, 5000);
    }

    [Fact]
    public void Split_r_hat_of_two_short_chains_matches_the_bda3_formula_worked_by_hand()
    {
        double[][] chains = [[1, 2, 3, 4], [2, 4, 6, 8]];

        // Split into m = 4 chains of n = 2: [1, 2], [3, 4], [2, 4], [6, 8].
        const double n = 2, m = 4;
        double[] means = [1.5, 3.5, 3, 7];
        double[] variances = [0.5, 0.5, 2, 2];
        var grand = means.Average();
        var between = n / (m - 1) * means.Sum(mean => (mean - grand) * (mean - grand));
        var within = variances.Average();
        var variancePlus = (n - 1) / n * within + between / n;
        var expected = Math.Sqrt(variancePlus / within);

        Assert.Equal(65.0 / 6, between, 12);
        Assert.Equal(1.25, within, 12);
        Assert.Equal(Math.Sqrt(29.0 / 6), expected, 12);
        Assert.Equal(expected, Diagnostics.SplitRHat(chains), 12);
    }

    [Fact]
    public void Every_diagnostic_matches_the_posterior_r_package_on_a_small_autocorrelated_set_with_ties()
    {
        // Three AR(1) chains (phi = 0.6, the third shifted by 0.8), rounded to 2 decimals so that some draws tie.
        // Expected values from posterior 1.4.0: rhat_basic(x, split = TRUE), rhat, ess_bulk, ess_tail, ess_basic.
        double[][] chains =
        [
            [0.19, -0.02, 0.62, 0.09, -2.60, -4.00, -1.08, -0.96, -2.35, -1.58, 0.26, 2.05, 0.80, 0.22, -1.63, -0.52, -0.95, -0.11, 0.64, 1.42],
            [-1.18, 0.74, 0.01, 0.66, 0.72, -0.35, 1.36, 1.46, 0.97, 0.86, 1.19, 0.81, -2.51, -1.22, -1.10, -0.47, 0.30, 1.58, 0.22, 1.43],
            [-0.49, 1.54, 1.50, 1.31, 0.98, -0.28, 0.76, 0.56, 0.47, 1.54, 2.06, 2.95, 1.61, 1.94, 2.87, 0.93, 0.02, -0.80, -1.62, -0.57],
        ];

        Assert.Equal(1.135864978823, Diagnostics.SplitRHat(chains), 9);
        Assert.Equal(1.129365286452, Diagnostics.RankNormalizedRHat(chains), 9);
        Assert.Equal(18.880655671414, Diagnostics.EssBulk(chains), 9);
        Assert.Equal(17.318794098781, Diagnostics.EssTail(chains), 9);
        Assert.Equal(18.828399018624, Diagnostics.Ess(chains), 9);
    }

    [Fact]
    public void Autocorrelated_chains_have_the_ess_of_an_ar1_process()
    {
        const double phi = 0.9;
        const int chains = 4, draws = 5000;
        var ar1 = Chains(chains, draws, seed: 2, (rng, n) => Ar1(rng, n, phi));
        var theoretical = chains * draws * (1 - phi) / (1 + phi);

        Assert.InRange(Diagnostics.Ess(ar1), 0.75 * theoretical, 1.25 * theoretical);
        Assert.InRange(Diagnostics.EssBulk(ar1), 0.75 * theoretical, 1.25 * theoretical);
        Assert.InRange(Diagnostics.SplitRHat(ar1), 0.99, 1.02);
    }

    [Fact]
    public void Chains_whose_means_step_apart_by_one_standard_deviation_have_r_hat_above_1_1()
    {
        var chains = Shifted(NormalChains(4, 1000, seed: 3), c => c);

        Assert.True(Diagnostics.SplitRHat(chains) > 1.1, $"split R-hat {Diagnostics.SplitRHat(chains)}");
        Assert.True(Diagnostics.RankNormalizedRHat(chains) > 1.1, $"rank-normalised R-hat {Diagnostics.RankNormalizedRHat(chains)}");
    }

    [Fact]
    public void One_chain_stuck_at_another_mode_gives_a_rank_normalised_r_hat_above_1_05()
    {
        var chains = Shifted(NormalChains(4, 1000, seed: 4), c => c == 3 ? 4 : 0);

        Assert.True(Diagnostics.RankNormalizedRHat(chains) > 1.05, $"rank-normalised R-hat {Diagnostics.RankNormalizedRHat(chains)}");
    }

    [Fact]
    public void Chains_that_differ_only_in_scale_are_caught_by_the_folded_r_hat()
    {
        var chains = NormalChains(4, 1000, seed: 5);
        chains[3] = [.. chains[3].Select(x => 3 * x)];

        Assert.True(Diagnostics.RankNormalizedRHat(chains) > 1.05, $"rank-normalised R-hat {Diagnostics.RankNormalizedRHat(chains)}");
    }

    [Fact]
    public void Heavy_tailed_chains_fool_the_classic_r_hat_but_not_the_rank_normalised_one()
    {
        var iid = Chains(4, 1000, seed: 6, (rng, n) => Iid(new Cauchy(0, 1, rng), n));
        Assert.InRange(Diagnostics.RankNormalizedRHat(iid), 0.99, 1.01);

        // Two chains sit 2 scale units off: a real disagreement, which the infinite-variance draws hide from
        // the classic R-hat and the ranks do not.
        var shifted = Shifted(iid, c => c % 2 == 0 ? 0 : 2);
        Assert.True(Diagnostics.SplitRHat(shifted) < 1.05, $"split R-hat {Diagnostics.SplitRHat(shifted)}");
        Assert.True(Diagnostics.RankNormalizedRHat(shifted) > 1.05, $"rank-normalised R-hat {Diagnostics.RankNormalizedRHat(shifted)}");
    }

    [Fact]
    public void The_tail_ess_of_binary_draws_is_decided_by_the_quantile_inside_the_support()
    {
        // Draws of 0 or 1: the 95 % indicator is always 1 and says nothing; the 5 % one is 1 - x, with the ESS of x.
        var chains = Chains(4, 500, seed: 7, (rng, n) => [.. Ar1(rng, n, 0.8).Select(x => x > 1.2 ? 1.0 : 0.0)]);

        Assert.Equal(Diagnostics.Ess(chains), Diagnostics.EssTail(chains), 9);
    }

    [Fact]
    public void Identical_draws_give_r_hat_one_and_the_draw_count_as_ess()
    {
        double[][] chains = [[2, 2, 2, 2, 2, 2], [2, 2, 2, 2, 2, 2]];

        Assert.Equal(1.0, Diagnostics.SplitRHat(chains));
        Assert.Equal(1.0, Diagnostics.RankNormalizedRHat(chains));
        Assert.Equal(12, Diagnostics.Ess(chains));
        Assert.Equal(12, Diagnostics.EssBulk(chains));
        Assert.Equal(12, Diagnostics.EssTail(chains));
    }

    [Fact]
    public void Chains_each_constant_at_a_different_value_have_infinite_r_hat()
    {
        double[][] chains = [[1, 1, 1, 1], [2, 2, 2, 2]];

        Assert.Equal(double.PositiveInfinity, Diagnostics.SplitRHat(chains));
        Assert.Equal(double.PositiveInfinity, Diagnostics.RankNormalizedRHat(chains));
    }

    /// <summary>Each bad input with the words its message must contain.</summary>
    public static TheoryData<string, double[][]> BadInputs => new()
    {
        { "at least one chain", [] },
        { "at least 4 draws per chain, chain 0 has 3", [[1, 2, 3]] },
        { "as many draws as chain 0 (4), chain 1 has 5", [[1, 2, 3, 4], [1, 2, 3, 4, 5]] },
        { "chain 1 to hold draws", [[1, 2, 3, 4], null!] },
        { "finite draws, draw 2 of chain 0 is NaN", [[1, 2, double.NaN, 4]] },
        { "finite draws, draw 3 of chain 1", [[1, 2, 3, 4], [1, 2, 3, double.PositiveInfinity]] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_refused_with_an_argument_exception_saying_what_was_expected(string expected, double[][] chains)
    {
        Func<IReadOnlyList<double[]>, double>[] diagnostics =
            [Diagnostics.SplitRHat, Diagnostics.RankNormalizedRHat, Diagnostics.EssBulk, Diagnostics.EssTail, Diagnostics.Ess];

        foreach (var diagnostic in diagnostics)
        {
            var error = Assert.Throws<ArgumentException>(() => diagnostic(chains));
            Assert.StartsWith("Expected", error.Message, StringComparison.Ordinal);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void No_list_of_chains_at_all_is_refused_with_an_argument_exception()
    {
        Assert.Throws<ArgumentNullException>(() => Diagnostics.Ess(null!));
    }
}
