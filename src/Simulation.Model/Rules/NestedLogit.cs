namespace Simulation.Model.Rules;

/// <summary>
/// Nested logit (McFadden 1978; Train 2009, ch. 4) over a market's live apps. With utilities v_j = ln A_j
/// and one dissimilarity lambda for every nest: P(j | k) = e^(v_j/lambda) / sum_(i in k) e^(v_i/lambda),
/// I_k = ln sum_(i in k) e^(v_i/lambda), P(k) = e^(lambda I_k) / sum_l e^(lambda I_l). lambda = 1 is the flat
/// attraction share A_j / sum A; smaller lambda makes apps of one nest closer substitutes. Everything is
/// computed in logs (log-sum-exp), so no utility overflows.
/// </summary>
public static class NestedLogit
{
    /// <summary>
    /// Fills <paramref name="shares"/> with P(j) and <paramref name="withinNest"/> with P(j | its nest);
    /// apps whose <paramref name="live"/> flag is false get 0. Returns the inclusive value
    /// ln sum_k e^(lambda I_k) (negative infinity when no app is live).
    /// </summary>
    public static double Shares(
        ReadOnlySpan<double> utility, ReadOnlySpan<bool> live, ReadOnlySpan<int> nest, int nestCount, double lambda,
        Span<double> shares, Span<double> withinNest)
    {
        Span<double> nestMax = nestCount <= 64 ? stackalloc double[nestCount] : new double[nestCount];
        Span<double> nestSum = nestCount <= 64 ? stackalloc double[nestCount] : new double[nestCount];
        // Per nest: lambda I_k, then P(k). Each exponential and logarithm is taken once and kept: the same arguments give the same doubles.
        Span<double> nestValue = nestCount <= 64 ? stackalloc double[nestCount] : new double[nestCount];
        Span<double> nestShare = nestCount <= 64 ? stackalloc double[nestCount] : new double[nestCount];
        nestMax.Fill(double.NegativeInfinity);
        nestSum.Clear();
        for (var j = 0; j < utility.Length; j++)
        {
            if (live[j])
            {
                nestMax[nest[j]] = Math.Max(nestMax[nest[j]], utility[j] / lambda);
            }
        }
        // e^(v_j/lambda - max_k), kept in withinNest until the nest's sum divides it.
        for (var j = 0; j < utility.Length; j++)
        {
            if (live[j])
            {
                withinNest[j] = Math.Exp(utility[j] / lambda - nestMax[nest[j]]);
                nestSum[nest[j]] += withinNest[j];
            }
        }
        // I_k = max_k + ln(sum_k); the top level is a logit over lambda I_k.
        var top = double.NegativeInfinity;
        for (var k = 0; k < nestCount; k++)
        {
            if (nestSum[k] > 0)
            {
                nestValue[k] = lambda * (nestMax[k] + Math.Log(nestSum[k]));
                top = Math.Max(top, nestValue[k]);
            }
        }
        if (double.IsNegativeInfinity(top))
        {
            shares.Clear();
            withinNest.Clear();
            return double.NegativeInfinity;
        }
        var topSum = 0.0;
        for (var k = 0; k < nestCount; k++)
        {
            if (nestSum[k] > 0)
            {
                nestShare[k] = Math.Exp(nestValue[k] - top);
                topSum += nestShare[k];
            }
        }
        for (var k = 0; k < nestCount; k++)
        {
            if (nestSum[k] > 0)
            {
                nestShare[k] /= topSum;
            }
        }
        for (var j = 0; j < utility.Length; j++)
        {
            if (!live[j])
            {
                shares[j] = 0;
                withinNest[j] = 0;
                continue;
            }
            var k = nest[j];
            withinNest[j] /= nestSum[k];
            // A live app's nest has a positive sum unless its utilities are not numbers: that nest's share is then computed as it stands.
            shares[j] = withinNest[j] * (nestSum[k] > 0 ? nestShare[k] : Math.Exp(lambda * (nestMax[k] + Math.Log(nestSum[k])) - top) / topSum);
        }
        return top + Math.Log(topSum);
    }
}
