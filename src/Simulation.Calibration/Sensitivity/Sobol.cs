using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using Simulation.Model.Randomness;

namespace Simulation.Calibration.Sensitivity;

/// <summary>What a Sobol analysis samples and how it states its intervals.</summary>
public sealed record SobolDesignOptions
{
    /// <summary>N, the base rows of A and B (a power of 2 keeps the Sobol sequence balanced); the design has N (k + 2) points.</summary>
    public int Samples { get; init; } = 64;

    /// <summary>Bootstrap resamples of the N base rows (SALib's num_resamples).</summary>
    public int Bootstrap { get; init; } = 100;

    /// <summary>The intervals' confidence level (SALib's conf_level).</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Seeds the design's digital shift and the bootstrap's resampling.</summary>
    public ulong Seed { get; init; }
}

/// <summary>
/// One factor's indices: first order S1 and total ST, each with the half-width of its interval (SALib's
/// S1_conf, ST_conf: z x the standard deviation of the bootstrap estimates, so the interval is S -/+ conf).
/// </summary>
public sealed record SobolIndex(int Factor, double S1, double S1Conf, double ST, double STConf)
{
    /// <summary>An interval wider than -/+ this is not resolved at this N.</summary>
    public const double WideHalfWidth = 0.1;

    public bool S1Wide => !(S1Conf <= WideHalfWidth);

    public bool STWide => !(STConf <= WideHalfWidth);

    /// <summary>ST - S1: the share of the variance from the factor's interactions with the others.</summary>
    public double Interactions => ST - S1;

    /// <summary>S1 above ST beyond both intervals: impossible for the true indices, so the estimate needs more samples.</summary>
    public bool S1AboveST => S1 - S1Conf > ST + STConf;
}

/// <summary>The indices of every factor for one output, and how many base rows they rest on.</summary>
/// <param name="BaseRows">Base rows used: those whose k + 2 points all gave a finite output.</param>
/// <param name="DroppedRows">Base rows left out because one of their points could not be played or gave no number.</param>
/// <param name="Variance">V(Y) of the concatenated f(A), f(B) over the rows used, in the output's unit squared.</param>
public sealed record SobolEstimate(IReadOnlyList<SobolIndex> Indices, int BaseRows, int DroppedRows, double Variance);

/// <summary>
/// Variance-based sensitivity (Sobol 2001) by Saltelli sampling, with SALib's conventions (<c>sample.sobol</c>,
/// <c>analyze.sobol</c> without second order). Design: a 2k-dimensional Sobol sequence (<see cref="SobolSequence"/>,
/// digitally shifted by the seed) gives A (its first k columns) and B (the last k); A_B^(i) is A with column i
/// from B. Rows are interleaved per base point j: A_j, A_B^(1)_j .. A_B^(k)_j, B_j (k + 2 rows each, N (k + 2) in
/// all). Estimators, both divided by V(Y), the population variance of [f(A), f(B)], after Y is standardised:
/// first order (Saltelli et al. 2010) V_i = mean_j f(B)_j (f(A_B^(i))_j - f(A)_j); total (Jansen 1999)
/// V_Ti = mean_j (f(A)_j - f(A_B^(i))_j)^2 / 2. Intervals: the N base rows resampled with replacement
/// <see cref="SobolDesignOptions.Bootstrap"/> times (the same resamples for every factor), conf = z_(1+level)/2
/// x the standard deviation of the resampled estimates.
/// </summary>
public static class Sobol
{
    /// <summary>Factors at most: A and B take two dimensions of the sequence each.</summary>
    public static int MaxFactors => SobolSequence.MaxDimensions / 2;

    /// <summary>The N (k + 2) points of the design in [0, 1)^k, in SALib's order.</summary>
    public static double[][] Design(int samples, int factors, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(factors, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(factors, MaxFactors);
        var q = SobolSequence.Points(samples, 2 * factors, seed);
        var rows = new double[samples * (factors + 2)][];
        for (var j = 0; j < samples; j++)
        {
            var a = q[j][..factors];
            var b = q[j][factors..];
            var at = j * (factors + 2);
            rows[at] = a;
            for (var i = 0; i < factors; i++)
            {
                var ab = (double[])a.Clone();
                ab[i] = b[i];
                rows[at + 1 + i] = ab;
            }
            rows[at + factors + 1] = b;
        }
        return rows;
    }

    /// <summary>A unit-cube point mapped onto the factors' ranges, Low + u (High - Low).</summary>
    public static double[] Scale(double[] unit, IReadOnlyList<(double Low, double High)> ranges) =>
        [.. unit.Select((u, i) => ranges[i].Low + u * (ranges[i].High - ranges[i].Low))];

    /// <summary>
    /// Designs over <paramref name="ranges"/>, evaluates every point with <paramref name="evaluate"/> (which gets all
    /// points at once and returns each point's outputs; NaN where a point could not be played) and estimates the
    /// indices of each of <paramref name="outputs"/> outputs. What <c>sim sensitivity --method sobol</c> runs.
    /// </summary>
    public static IReadOnlyList<SobolEstimate> Estimate(
        IReadOnlyList<(double Low, double High)> ranges, int outputs, Func<IReadOnlyList<double[]>, IReadOnlyList<double[]>> evaluate, SobolDesignOptions options)
    {
        var k = ranges.Count;
        var points = Design(options.Samples, k, options.Seed).Select(u => Scale(u, ranges)).ToList();
        var ys = evaluate(points);
        if (ys.Count != points.Count)
        {
            throw new InvalidOperationException($"evaluate returned {ys.Count} results for {points.Count} points");
        }
        return [.. Enumerable.Range(0, outputs).Select(o => Analyze([.. ys.Select(y => y[o])], k, options))];
    }

    /// <summary>The indices from outputs <paramref name="y"/> in the design's order (N (k + 2) values).</summary>
    public static SobolEstimate Analyze(IReadOnlyList<double> y, int factors, SobolDesignOptions options)
    {
        var step = factors + 2;
        if (y.Count % step != 0)
        {
            throw new ArgumentException($"expected a multiple of k + 2 = {step} outputs, got {y.Count}", nameof(y));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Bootstrap, 2);
        var all = y.Count / step;
        var rows = Enumerable.Range(0, all).Where(j => Enumerable.Range(j * step, step).All(p => double.IsFinite(y[p]))).ToList();
        var n = rows.Count;
        if (n < 2)
        {
            var none = Enumerable.Range(0, factors).Select(i => new SobolIndex(i, double.NaN, double.NaN, double.NaN, double.NaN)).ToList();
            return new SobolEstimate(none, n, all - n, double.NaN);
        }
        // Standardise as SALib does: the indices are ratios, so only the first-order estimator (whose
        // numerator is not shift-invariant for finite N) changes, and it gets less noisy.
        var used = rows.SelectMany(j => Enumerable.Range(j * step, step)).Select(p => y[p]).ToArray();
        var (mean, sd) = (used.Mean(), used.PopulationStandardDeviation());
        var fa = new double[n];
        var fb = new double[n];
        var fab = new double[factors][];
        for (var i = 0; i < factors; i++)
        {
            fab[i] = new double[n];
        }
        for (var r = 0; r < n; r++)
        {
            var at = rows[r] * step;
            fa[r] = Standard(y[at]);
            for (var i = 0; i < factors; i++)
            {
                fab[i][r] = Standard(y[at + 1 + i]);
            }
            fb[r] = Standard(y[at + step - 1]);
        }
        var identity = Enumerable.Range(0, n).ToArray();
        var variance = used.Length > 0 ? Variance(fa, fb, identity) : double.NaN;
        var z = Normal.InvCDF(0, 1, 0.5 + options.ConfidenceLevel / 2);
        var rng = RandomStreams.For(options.Seed, "sobol", 0, "bootstrap");
        var resamples = Enumerable.Range(0, options.Bootstrap).Select(_ => Enumerable.Range(0, n).Select(_ => rng.Next(n)).ToArray()).ToList();
        var indices = new List<SobolIndex>(factors);
        for (var i = 0; i < factors; i++)
        {
            var (s1, st) = Indices(fa, fb, fab[i], identity);
            var boot = resamples.Select(r => Indices(fa, fb, fab[i], r)).ToList();
            indices.Add(new SobolIndex(i, s1, z * boot.Select(b => b.S1).StandardDeviation(), st, z * boot.Select(b => b.ST).StandardDeviation()));
        }
        return new SobolEstimate(indices, n, all - n, sd * sd * variance);

        double Standard(double v) => sd > 0 ? (v - mean) / sd : 0;
    }

    /// <summary>S1 (Saltelli 2010) and ST (Jansen) over the base rows <paramref name="rows"/>; 0 and 0 if Y does not vary.</summary>
    private static (double S1, double ST) Indices(double[] fa, double[] fb, double[] fab, int[] rows)
    {
        var v = Variance(fa, fb, rows);
        if (!(v > 0))
        {
            return (0, 0);
        }
        double first = 0, total = 0;
        foreach (var r in rows)
        {
            first += fb[r] * (fab[r] - fa[r]);
            total += (fa[r] - fab[r]) * (fa[r] - fab[r]);
        }
        return (first / rows.Length / v, total / (2.0 * rows.Length) / v);
    }

    /// <summary>The population variance of f(A) and f(B) of <paramref name="rows"/> together (numpy's var of np.r_[A, B]).</summary>
    private static double Variance(double[] fa, double[] fb, int[] rows)
    {
        double sum = 0, sum2 = 0;
        foreach (var r in rows)
        {
            sum += fa[r] + fb[r];
            sum2 += fa[r] * fa[r] + fb[r] * fb[r];
        }
        var count = 2.0 * rows.Length;
        var m = sum / count;
        return Math.Max(0, sum2 / count - m * m);
    }
}
