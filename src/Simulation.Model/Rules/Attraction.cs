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

    /// <summary>Shares proportional to the attractions; zero attraction everywhere gives zero shares.</summary>
    public static double[] Shares(ReadOnlySpan<double> attractions)
    {
        var total = 0.0;
        foreach (var a in attractions)
        {
            total += a;
        }
        var shares = new double[attractions.Length];
        if (total <= 0)
        {
            return shares;
        }
        for (var i = 0; i < shares.Length; i++)
        {
            shares[i] = attractions[i] / total;
        }
        return shares;
    }
}
