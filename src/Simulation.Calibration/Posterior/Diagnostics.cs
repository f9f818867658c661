using System.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.IntegralTransforms;
using MathNet.Numerics.Statistics;

namespace Simulation.Calibration.Posterior;

/// <summary>
/// Convergence diagnostics for the draws of one scalar quantity from several MCMC chains:
/// <c>chains[c][i]</c> is draw i of chain c; every chain has the same number of draws, at least 4.
/// <para>
/// The definitions are those of Stan and of the <c>posterior</c> R package:
/// split R-hat of Gelman, Carlin, Stern, Dunson, Vehtari and Rubin (2013), <i>Bayesian Data Analysis</i>, 3rd ed.,
/// section 11.4; the rank-normalised and folded R-hat and the bulk and tail effective sample sizes of Vehtari,
/// Gelman, Simpson, Carpenter and Bürkner (2021), "Rank-normalization, folding, and localization: an improved
/// R-hat for assessing convergence of MCMC", <i>Bayesian Analysis</i> 16(2), 667-718; the effective sample size
/// by Geyer's (1992) initial monotone sequence, "Practical Markov chain Monte Carlo", <i>Statistical Science</i>
/// 7(4), 473-483.
/// </para>
/// <para>
/// Every statistic splits each chain into its first and second half (the middle draw of an odd-length chain is
/// left out), so a chain that drifts shows as two chains that disagree. When all draws are identical, R-hat is 1
/// and the effective sample size is the number of draws; when each half-chain is constant but they differ, R-hat
/// is +infinity. Effective sample sizes need at least 3 draws per half-chain (6 per chain) and are NaN below that.
/// A tail indicator that is constant (a 5 % or 95 % quantile at the edge of discrete draws) says nothing about
/// mixing and counts as the number of draws, so the other quantile decides the tail ESS (posterior 1.4 returns NA).
/// </para>
/// </summary>
public static class Diagnostics
{
    /// <summary>
    /// Classic split R-hat (BDA3, section 11.4): the square root of the ratio of the pooled variance estimate
    /// var+ = (n - 1) / n W + B / n to the mean within-chain variance W, over the split chains.
    /// </summary>
    public static double SplitRHat(IReadOnlyList<double[]> chains)
    {
        Validate(chains);
        return IsConstant(chains) ? 1.0 : RHat(Split(chains));
    }

    /// <summary>
    /// The R-hat of Vehtari et al. (2021): the larger of the bulk R-hat (split R-hat of the rank-normalised draws)
    /// and the tail R-hat (the same on the draws folded about the pooled median, |x - median|). Unlike the classic
    /// R-hat it is defined for heavy-tailed draws and sees chains that differ in scale.
    /// </summary>
    public static double RankNormalizedRHat(IReadOnlyList<double[]> chains)
    {
        Validate(chains);
        if (IsConstant(chains))
        {
            return 1.0;
        }
        var median = PooledQuantile(chains, 0.5);
        var bulk = RHat(RankNormalize(Split(chains)));
        var tail = RHat(RankNormalize(Split(Map(chains, x => Math.Abs(x - median)))));
        return Math.Max(bulk, tail);
    }

    /// <summary>Bulk effective sample size (Vehtari et al. 2021): the ESS of the rank-normalised split chains.</summary>
    public static double EssBulk(IReadOnlyList<double[]> chains)
    {
        Validate(chains);
        return IsConstant(chains) ? DrawCount(chains) : EffectiveSampleSize(RankNormalize(Split(chains)));
    }

    /// <summary>
    /// Tail effective sample size (Vehtari et al. 2021): the smaller of the ESS of the indicators I(x &lt;= q05)
    /// and I(x &lt;= q95) over the split chains, q05 and q95 being the pooled 5 % and 95 % quantiles (R's type 7).
    /// </summary>
    public static double EssTail(IReadOnlyList<double[]> chains)
    {
        Validate(chains);
        if (IsConstant(chains))
        {
            return DrawCount(chains);
        }
        return Math.Min(QuantileEss(chains, 0.05), QuantileEss(chains, 0.95));
    }

    /// <summary>
    /// Effective sample size of the raw draws over the split chains, for estimating the mean: M N / tau with
    /// Geyer's initial monotone sequence estimate of tau, as Stan computes it; capped at M N log10(M N).
    /// </summary>
    public static double Ess(IReadOnlyList<double[]> chains)
    {
        Validate(chains);
        return IsConstant(chains) ? DrawCount(chains) : EffectiveSampleSize(Split(chains));
    }

    private static void Validate(IReadOnlyList<double[]> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        if (chains.Count == 0)
        {
            throw new ArgumentException("Expected at least one chain of draws, got none.", nameof(chains));
        }
        var length = chains[0]?.Length ?? 0;
        for (var c = 0; c < chains.Count; c++)
        {
            var draws = chains[c] ?? throw new ArgumentException($"Expected chain {c} to hold draws, got null.", nameof(chains));
            if (draws.Length < 4)
            {
                throw new ArgumentException($"Expected at least 4 draws per chain, chain {c} has {draws.Length}.", nameof(chains));
            }
            if (draws.Length != length)
            {
                throw new ArgumentException($"Expected every chain to have as many draws as chain 0 ({length}), chain {c} has {draws.Length}.", nameof(chains));
            }
            var bad = Array.FindIndex(draws, x => !double.IsFinite(x));
            if (bad >= 0)
            {
                throw new ArgumentException($"Expected finite draws, draw {bad} of chain {c} is {draws[bad]}.", nameof(chains));
            }
        }
    }

    private static int DrawCount(IReadOnlyList<double[]> chains) => chains.Count * chains[0].Length;

    private static double[][] Map(IReadOnlyList<double[]> chains, Func<double, double> f) => [.. chains.Select(draws => draws.Select(f).ToArray())];

    /// <summary>Each chain's first and second half as two chains; an odd-length chain's middle draw is left out.</summary>
    private static double[][] Split(IReadOnlyList<double[]> chains)
    {
        var half = chains[0].Length / 2;
        return [.. chains.SelectMany(draws => new[] { draws[..half], draws[^half..] })];
    }

    /// <summary>R's type 7 quantile (linear interpolation between order statistics) of all draws pooled.</summary>
    private static double PooledQuantile(IReadOnlyList<double[]> chains, double probability)
    {
        var sorted = chains.SelectMany(draws => draws).Order().ToArray();
        return SortedArrayStatistics.QuantileCustom(sorted, probability, QuantileDefinition.R7);
    }

    private static double QuantileEss(IReadOnlyList<double[]> chains, double probability)
    {
        var quantile = PooledQuantile(chains, probability);
        return EffectiveSampleSize(Split(Map(chains, x => x <= quantile ? 1.0 : 0.0)));
    }

    /// <summary>
    /// Rank normalisation (Vehtari et al. 2021, eq. 14): each draw's rank r among all S draws pooled (ties get
    /// their average rank) is mapped to z = Phi^-1((r - 3/8) / (S + 1/4)).
    /// </summary>
    private static double[][] RankNormalize(double[][] chains)
    {
        var length = chains[0].Length;
        var pooled = chains.SelectMany(draws => draws).ToArray();
        var ranks = AverageRanks(pooled);
        var z = ranks.Select(r => Normal.InvCDF(0, 1, (r - 0.375) / (pooled.Length + 0.25))).ToArray();
        return [.. z.Chunk(length)];
    }

    /// <summary>Ranks 1..S of the values, tied values sharing the mean of their ranks (R's ties.method = "average").</summary>
    private static double[] AverageRanks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && values[order[end]] == values[order[start]])
            {
                end++;
            }
            var rank = (start + 1 + end) / 2.0;
            for (var k = start; k < end; k++)
            {
                ranks[order[k]] = rank;
            }
            start = end;
        }
        return ranks;
    }

    /// <summary>
    /// R-hat of chains of n draws each (BDA3, eq. 11.1-11.4): B = n Var(chain means), W = mean within-chain
    /// variance, R-hat = sqrt(((n - 1) / n W + B / n) / W). 1 for constant draws, +infinity when only W is 0.
    /// </summary>
    private static double RHat(double[][] chains)
    {
        if (IsConstant(chains))
        {
            return 1.0;
        }
        var n = chains[0].Length;
        var between = n * chains.Select(draws => draws.Mean()).Variance();
        var within = chains.Select(draws => draws.Variance()).Mean();
        return Math.Sqrt((between / within + n - 1) / n);
    }

    private static bool IsConstant(IReadOnlyList<double[]> chains) => chains.All(draws => draws.All(x => x == chains[0][0]));

    /// <summary>
    /// Effective sample size of M chains of n draws (Vehtari et al. 2021, section 3.2; Stan's
    /// <c>compute_effective_sample_size</c>): the combined autocorrelation at lag t is
    /// rho_t = 1 - (W - mean over chains of acov_c(t)) / var+, with W the mean within-chain variance and
    /// var+ = (n - 1) / n W + Var(chain means); then ESS = M n / tau, tau from Geyer's initial monotone sequence,
    /// and at most M n log10(M n). NaN for fewer than 3 draws per chain.
    /// </summary>
    private static double EffectiveSampleSize(double[][] chains)
    {
        var (m, n) = (chains.Length, chains[0].Length);
        if (n < 3)
        {
            return double.NaN;
        }
        if (IsConstant(chains))
        {
            return m * n;
        }
        var autocovariances = chains.Select(Autocovariance).ToArray();
        var meanVariance = autocovariances.Average(acov => acov[0]) * n / (n - 1);
        var variancePlus = meanVariance * (n - 1) / n + (m > 1 ? chains.Select(draws => draws.Mean()).Variance() : 0);
        double Autocorrelation(int lag) => 1 - (meanVariance - autocovariances.Average(acov => acov[lag])) / variancePlus;

        var total = (double)m * n;
        var tau = Math.Max(AutocorrelationTime(Autocorrelation, n), 1 / Math.Log10(total));
        return total / tau;
    }

    /// <summary>
    /// Integrated autocorrelation time tau = -1 + 2 sum of rho_t, truncated by Geyer's initial positive sequence
    /// (stop at the first pair rho_2k + rho_2k+1 that is negative), made monotone (each pair sum at most the
    /// previous one), and ended with the last positive even-lag term added once, as Stan and posterior do to
    /// lower the variance for antithetic chains.
    /// </summary>
    private static double AutocorrelationTime(Func<int, double> autocorrelation, int n)
    {
        var rho = new double[n];
        rho[0] = 1;
        rho[1] = autocorrelation(1);
        var (even, odd) = (rho[0], rho[1]);
        var t = 0;
        while (t < n - 5 && even + odd > 0)
        {
            t += 2;
            (even, odd) = (autocorrelation(t), autocorrelation(t + 1));
            if (even + odd >= 0)
            {
                (rho[t], rho[t + 1]) = (even, odd);
            }
        }
        var last = t;
        if (even > 0)
        {
            rho[last] = even;
        }
        MakeMonotone(rho, last);
        // Stan sums rho_0 .. rho_(last - 1); posterior's R indexing sums rho_0 alone when last is 0, and so do we.
        return -1 + 2 * rho.Take(Math.Max(last, 1)).Sum() + rho[last];
    }

    /// <summary>Geyer's initial monotone sequence: no pair sum rho_t + rho_t+1 (t even, t &lt; last) exceeds the one before.</summary>
    private static void MakeMonotone(double[] rho, int last)
    {
        for (var t = 2; t <= last - 2; t += 2)
        {
            var previous = rho[t - 2] + rho[t - 1];
            if (rho[t] + rho[t + 1] > previous)
            {
                rho[t] = rho[t + 1] = previous / 2;
            }
        }
    }

    /// <summary>
    /// The biased autocovariance (divisor n, as Geyer 1992 recommends) at every lag 0..n-1, by FFT of the centred
    /// draws zero-padded to at least 2n so the circular correlation does not wrap.
    /// </summary>
    private static double[] Autocovariance(double[] draws)
    {
        var n = draws.Length;
        var mean = draws.Mean();
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)(2 * n));
        var buffer = new Complex[size];
        for (var i = 0; i < n; i++)
        {
            buffer[i] = draws[i] - mean;
        }
        Fourier.Forward(buffer, FourierOptions.NoScaling);
        for (var k = 0; k < size; k++)
        {
            buffer[k] = buffer[k].Real * buffer[k].Real + buffer[k].Imaginary * buffer[k].Imaginary;
        }
        Fourier.Inverse(buffer, FourierOptions.NoScaling);
        return [.. buffer.Take(n).Select(c => c.Real / ((double)size * n))];
    }
}
