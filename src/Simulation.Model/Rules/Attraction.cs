using Simulation.Model.Config;

namespace Simulation.Model.Rules;

/// <summary>
/// Attraction A = e^(alpha (q - 1)) (1 + kappa m / (m + h)) (1 + eta e): relative quality, a concave
/// marketing response and the owner's ecosystem traffic. Its log is the app's utility in the market's
/// nested-logit choice (<see cref="NestedLogit"/>).
/// </summary>
public static class Attraction
{
    public static double Of(MarketInfo market, double relativeQuality, double marketingMonthlyUsd, double ecosystem) =>
        Math.Exp(LogOf(market, relativeQuality, marketingMonthlyUsd, ecosystem));

    /// <summary>ln A, computed as a sum so a quality far above the frontier cannot overflow it.</summary>
    public static double LogOf(MarketInfo market, double relativeQuality, double marketingMonthlyUsd, double ecosystem) =>
        market.QualityWeight * (relativeQuality - 1)
        + Math.Log(1 + market.MarketingWeight * Saturation(marketingMonthlyUsd, market.MarketingHalfSaturationUsd))
        + Math.Log(1 + market.EcosystemWeight * ecosystem);

    /// <summary>m / (m + half): 0 without spend, 1/2 at the half-saturation point, approaching 1.</summary>
    public static double Saturation(double spend, double half) => spend <= 0 ? 0 : spend / (spend + half);
}
