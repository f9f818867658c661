using Simulation.Calibration.Posterior;

namespace Simulation.Tests.Calibration;

/// <summary>The DE-MCzs sampler on densities whose moments are known.</summary>
public sealed class DeMczsTests
{
    private static readonly PosteriorOptions Options = new() { Chains = 4, Warmup = 1000, Draws = 3000 };

    /// <summary>A bivariate normal about (0.5, 0.4), sds 0.06 and 0.03, correlation 0.9: a narrow, tilted ridge.</summary>
    private const double MeanX = 0.5, MeanY = 0.4, SdX = 0.06, SdY = 0.03, Rho = 0.9;

    private static double Ridge(double[] u, CancellationToken _)
    {
        if (u.Any(v => v is < 0 or > 1))
        {
            return double.NegativeInfinity;
        }
        var a = (u[0] - MeanX) / SdX;
        var b = (u[1] - MeanY) / SdY;
        return -(a * a - 2 * Rho * a * b + b * b) / (2 * (1 - Rho * Rho));
    }

    private static (IReadOnlyList<double[]>[] Draws, double[] Acceptance) Sample(ulong seed)
    {
        var rng = new Random(1);
        var archive = Enumerable.Range(0, 20).Select(_ => new[] { rng.NextDouble(), rng.NextDouble() }).ToList();
        double[][] starts = [[0.2, 0.2], [0.8, 0.8], [0.2, 0.7], [0.7, 0.2]];
        return new DeMczs(Ridge, seed, Options).Run(archive, starts, [.. starts.Select(s => Ridge(s, default))]);
    }

    [Fact]
    public void Draws_from_a_tilted_ridge_have_its_means_spreads_and_correlation_and_the_chains_agree()
    {
        var (draws, acceptance) = Sample(7);

        var all = draws.SelectMany(c => c).ToArray();
        Assert.Equal(4 * 3000, all.Length);
        var x = all.Select(d => d[0]).ToArray();
        var y = all.Select(d => d[1]).ToArray();
        Assert.InRange(x.Average(), MeanX - 0.01, MeanX + 0.01);
        Assert.InRange(y.Average(), MeanY - 0.005, MeanY + 0.005);
        Assert.InRange(MathNet.Numerics.Statistics.Statistics.StandardDeviation(x), SdX * 0.9, SdX * 1.1);
        Assert.InRange(MathNet.Numerics.Statistics.Statistics.StandardDeviation(y), SdY * 0.9, SdY * 1.1);
        Assert.InRange(MathNet.Numerics.Statistics.Correlation.Pearson(x, y), Rho - 0.03, Rho + 0.03);
        for (var i = 0; i < 2; i++)
        {
            var perChain = draws.Select(c => c.Select(d => d[i]).ToArray()).ToArray();
            Assert.True(Diagnostics.RankNormalizedRHat(perChain) < 1.05, $"R-hat of coordinate {i}: {Diagnostics.RankNormalizedRHat(perChain)}");
            Assert.True(Diagnostics.EssBulk(perChain) > 400, $"bulk ESS of coordinate {i}: {Diagnostics.EssBulk(perChain)}");
        }
        Assert.All(acceptance, a => Assert.InRange(a, 0.1, 0.9));
    }

    [Fact]
    public void A_density_that_is_zero_beyond_a_bound_is_never_sampled_beyond_it()
    {
        var (draws, _) = Sample(3);

        Assert.All(draws.SelectMany(c => c), d => Assert.All(d, v => Assert.InRange(v, 0, 1)));
    }

    [Fact]
    public void The_same_seed_gives_the_same_draws_and_another_seed_other_draws()
    {
        var first = Sample(11).Draws.SelectMany(c => c).Select(d => d[0]).ToArray();
        var again = Sample(11).Draws.SelectMany(c => c).Select(d => d[0]).ToArray();
        var other = Sample(12).Draws.SelectMany(c => c).Select(d => d[0]).ToArray();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }
}
