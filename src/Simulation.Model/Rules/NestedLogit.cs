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
        nestMax.Fill(double.NegativeInfinity);
        nestSum.Clear();
        for (var j = 0; j < utility.Length; j++)
        {
            if (live[j])
            {
                nestMax[nest[j]] = Math.Max(nestMax[nest[j]], utility[j] / lambda);
            }
        }
        for (var j = 0; j < utility.Length; j++)
        {
            if (live[j])
            {
                nestSum[nest[j]] += Math.Exp(utility[j] / lambda - nestMax[nest[j]]);
            }
        }
        // I_k = max_k + ln(sum_k); the top level is a logit over lambda I_k.
        var top = double.NegativeInfinity;
        for (var k = 0; k < nestCount; k++)
        {
            if (nestSum[k] > 0)
            {
                top = Math.Max(top, lambda * (nestMax[k] + Math.Log(nestSum[k])));
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
                topSum += Math.Exp(lambda * (nestMax[k] + Math.Log(nestSum[k])) - top);
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
            withinNest[j] = Math.Exp(utility[j] / lambda - nestMax[k]) / nestSum[k];
            var nestShare = Math.Exp(lambda * (nestMax[k] + Math.Log(nestSum[k])) - top) / topSum;
            shares[j] = withinNest[j] * nestShare;
        }
        return top + Math.Log(topSum);
    }
}
