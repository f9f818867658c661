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
        LogFromTerms(market, relativeQuality, MarketingLog(market, marketingMonthlyUsd), EcosystemLog(market, ecosystem));

    /// <summary>ln A from its marketing and ecosystem terms (<see cref="MarketingLog"/>, <see cref="EcosystemLog"/>), which change less often than quality.</summary>
    public static double LogFromTerms(MarketInfo market, double relativeQuality, double marketingLog, double ecosystemLog) =>
        market.QualityWeight * (relativeQuality - 1) + marketingLog + ecosystemLog;

    /// <summary>The marketing term of ln A: ln(1 + kappa m / (m + h)).</summary>
    public static double MarketingLog(MarketInfo market, double marketingMonthlyUsd) =>
        Math.Log(1 + market.MarketingWeight * Saturation(marketingMonthlyUsd, market.MarketingHalfSaturationUsd));

    /// <summary>The ecosystem term of ln A: ln(1 + eta e).</summary>
    public static double EcosystemLog(MarketInfo market, double ecosystem) => Math.Log(1 + market.EcosystemWeight * ecosystem);

    /// <summary>m / (m + half): 0 without spend, 1/2 at the half-saturation point, approaching 1.</summary>
    public static double Saturation(double spend, double half) => spend <= 0 ? 0 : spend / (spend + half);
}
