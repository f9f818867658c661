using Simulation.Calibration.Sensitivity;

namespace Simulation.Tests.Engine;

public sealed class SobolTests
{
    private const double A = 7, B = 0.1;

    /// <summary>Ishigami and Homma (1990): f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3.</summary>
    private static double Ishigami(double[] x) => Math.Sin(x[0]) + A * Math.Pow(Math.Sin(x[1]), 2) + B * Math.Pow(x[2], 4) * Math.Sin(x[0]);

    /// <summary>The analytic indices: V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = 8 b^2 pi^8 / 225, V = V1 + V2 + V13.</summary>
    private static (double[] S1, double[] ST) IshigamiTruth()
    {
        var v1 = 0.5 * Math.Pow(1 + B * Math.Pow(Math.PI, 4) / 5, 2);
        var v2 = A * A / 8;
        var v13 = 8 * B * B * Math.Pow(Math.PI, 8) / 225;
        var v = v1 + v2 + v13;
        return ([v1 / v, v2 / v, 0], [(v1 + v13) / v, v2 / v, v13 / v]);
    }

    private static readonly (double, double)[] Cube = [(-Math.PI, Math.PI), (-Math.PI, Math.PI), (-Math.PI, Math.PI)];

    private static SobolEstimate Run(int samples, ulong seed) =>
        Sobol.Estimate(Cube, 1, points => [.. points.Select(p => new[] { Ishigami(p) })],
            new SobolDesignOptions { Samples = samples, Bootstrap = 100, Seed = seed })[0];

    [Fact]
    public void The_analytic_Ishigami_indices_are_the_published_ones()
    {
        var (s1, st) = IshigamiTruth();

        Assert.Equal([0.314, 0.442, 0], s1.Select(x => Math.Round(x, 3)));
        Assert.Equal([0.558, 0.442, 0.244], st.Select(x => Math.Round(x, 3)));
    }

    [Fact]
    public void The_estimator_recovers_the_Ishigami_indices_within_0_03_at_N_8192_and_S1_stays_below_ST()
    {
        var (s1, st) = IshigamiTruth();

        var estimate = Run(8192, seed: 3);

        Assert.Equal((8192, 0), (estimate.BaseRows, estimate.DroppedRows));
        for (var i = 0; i < 3; i++)
        {
            var x = estimate.Indices[i];
            Assert.True(Math.Abs(x.S1 - s1[i]) < 0.03, $"S1[{i}] = {x.S1}, true {s1[i]}");
            Assert.True(Math.Abs(x.ST - st[i]) < 0.03, $"ST[{i}] = {x.ST}, true {st[i]}");
            Assert.False(x.S1AboveST);
            Assert.False(x.S1Wide || x.STWide);
        }
    }

    [Fact]
    public void The_95_percent_bootstrap_intervals_contain_the_true_Ishigami_indices_in_most_designs()
    {
        var (s1, st) = IshigamiTruth();
        var (covered, total) = (0, 0);

        for (ulong seed = 1; seed <= 20; seed++)
        {
            var estimate = Run(1024, seed);
            for (var i = 0; i < 3; i++)
            {
                var x = estimate.Indices[i];
                covered += (Math.Abs(x.S1 - s1[i]) <= x.S1Conf ? 1 : 0) + (Math.Abs(x.ST - st[i]) <= x.STConf ? 1 : 0);
                total += 2;
            }
        }

        // 120 intervals at a nominal 95 %: a coverage below 85 % would mean intervals too narrow (or a biased estimator).
        Assert.True(covered >= 0.85 * total, $"{covered} of {total} intervals hold the true value");
        var one = Run(1024, 1);
        Assert.All(one.Indices, x => Assert.InRange(x.S1Conf, 0.005, 0.2));
    }

    [Fact]
    public void A_small_design_marks_its_intervals_wide_and_the_same_seed_gives_the_same_numbers()
    {
        var small = Run(16, seed: 5);

        Assert.Contains(small.Indices, x => x.S1Wide || x.STWide);
        Assert.Equal(small.Indices, Run(16, seed: 5).Indices);
        Assert.NotEqual(small.Indices, Run(16, seed: 6).Indices);
    }

    [Fact]
    public void The_design_interleaves_A_the_A_B_matrices_and_B_per_base_row_as_SALib_does()
    {
        var rows = Sobol.Design(samples: 4, factors: 3, seed: 9);

        Assert.Equal(4 * 5, rows.Length);
        for (var j = 0; j < 4; j++)
        {
            var (a, b) = (rows[j * 5], rows[j * 5 + 4]);
            for (var i = 0; i < 3; i++)
            {
                var ab = rows[j * 5 + 1 + i];
                Assert.Equal(Enumerable.Range(0, 3).Select(c => c == i ? b[c] : a[c]), ab);
            }
        }
    }

    [Fact]
    public void Points_that_give_no_number_drop_their_base_row()
    {
        var estimate = Sobol.Estimate(Cube, 1, points => [.. points.Select((p, n) => new[] { n == 7 ? double.NaN : Ishigami(p) })],
            new SobolDesignOptions { Samples = 64, Seed = 1 })[0];

        Assert.Equal((63, 1), (estimate.BaseRows, estimate.DroppedRows));
    }

    [Fact]
    public void The_plain_Sobol_sequence_starts_as_Joe_and_Kuo_give_it_and_every_dimension_is_stratified()
    {
        var plain = SobolSequence.Points(8, 3, shiftSeed: null);

        Assert.Equal([0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125], plain.Select(p => p[0]));
        Assert.Equal([0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625], plain.Select(p => p[1]));
        Assert.Equal([0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375], plain.Select(p => p[2]));
        foreach (ulong? seed in new ulong?[] { null, 42 })
        {
            var points = SobolSequence.Points(256, SobolSequence.MaxDimensions, seed);
            for (var d = 0; d < SobolSequence.MaxDimensions; d++)
            {
                // The first 2^m points put one value in each interval [i / 2^m, (i + 1) / 2^m).
                Assert.Equal(Enumerable.Range(0, 256), points.Select(p => (int)Math.Floor(p[d] * 256)).Order());
                Assert.Equal(Enumerable.Range(0, 16), points.Take(16).Select(p => (int)Math.Floor(p[d] * 16)).Order());
            }
        }
        Assert.Equal(64, SobolSequence.MaxDimensions);
    }
}
