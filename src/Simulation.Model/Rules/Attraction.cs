using Simulation.Model.Config;

namespace Simulation.Model.Rules;

/// <summary>
/// Attraction A = e^(alpha (q - 1)) (1 + kappa m / (m + h)) (1 + eta e): relative quality, a concave
/// marketing response and the owner's ecosystem traffic; an app's share of newcomers is A / sum(A).
/// </summary>
public static class Attraction
{
    public static double Of(MarketInfo market, double relativeQuality, double marketingMonthlyUsd, double ecosystem) =>
        Math.Exp(market.QualityWeight * (relativeQuality - 1))
        * (1 + market.MarketingWeight * Saturation(marketingMonthlyUsd, market.MarketingHalfSaturationUsd))
        * (1 + market.EcosystemWeight * ecosystem);

    /// <summary>m / (m + half): 0 without spend, 1/2 at the half-saturation point, approaching 1.</summary>
    public static double Saturation(double spend, double half) => spend <= 0 ? 0 : spend / (spend + half);

    /// <summary>
    /// Shares proportional to the attractions; zero attraction everywhere gives zero shares. Attractions too
    /// large for a double (e^(alpha (q - 1)) for a quality far above the frontier) are taken at their limit:
    /// the infinite ones split the newcomers, and finite ones whose sum overflows are scaled by the largest,
    /// rather than infinity / infinity making every share NaN.
    /// </summary>
    public static double[] Shares(ReadOnlySpan<double> attractions)
    {
        var total = 0.0;
        var max = 0.0;
        foreach (var a in attractions)
        {
            total += a;
            max = Math.Max(max, a);
        }
        var shares = new double[attractions.Length];
        if (total <= 0)
        {
            return shares;
        }
        // Normally the weights are the attractions themselves, and the sum is the total.
        var sum = 0.0;
        for (var i = 0; i < shares.Length; i++)
        {
            var a = attractions[i];
            shares[i] = double.IsPositiveInfinity(max) ? (double.IsPositiveInfinity(a) ? 1 : 0) : double.IsFinite(total) ? a : a / max;
            sum += shares[i];
        }
        for (var i = 0; i < shares.Length; i++)
        {
            shares[i] /= sum;
        }
        return shares;
    }
}
