using MathNet.Numerics;
using Simulation.Model.Config;

namespace Simulation.Model.Targets;

/// <summary>One fitted target's part of the likelihood.</summary>
/// <param name="Z">The standardised error: (observed - simulated) on the series' scale (ln for log-normal), over sigma; for a
/// bound or a ranking, the simulated margin over its scale (positive: the observation is likely).</param>
/// <param name="Deviance">-2 ln of the target's likelihood without the terms in sigma alone (z^2 for a figure); +infinity when the run lacks the figure.</param>
/// <param name="ScaleTerm">The density's normaliser in sigma, 2 ln sigma, for a figure (null for a bound or a ranking, which are probabilities): a
/// constant while sigma is stated, a term of the objective when sigma is fitted.</param>
public sealed record LikelihoodTerm(TargetInfo Target, SeriesInfo Series, double Z, double Deviance, double? ScaleTerm = null);

/// <summary>
/// The observation model: how likely the record's figures are given a run. Each fitted target belongs to a series
/// (<see cref="SeriesInfo"/>) whose error model it follows. A figure is a density: log-normal, ln y ~ N(ln s, sigma^2), or
/// normal, y ~ N(s, sigma^2), with s the simulated figure. A bound ("at least y") is the probability that the observation
/// lies above it, Phi((ln s - ln y)/sigma). A ranking ("a above b") is the probability that two independent observations
/// keep the simulated order, Phi(d/(sigma sqrt 2)) with d the simulated difference (of logarithms for log-normal).
/// Pure: the same results give the same terms.
/// </summary>
public static class Likelihood
{
    /// <summary>Users are counted: a simulated figure below one is taken as one, so its logarithm exists.</summary>
    private const double Floor = 1;

    /// <summary>The terms of the targets in the scenario's fit (<see cref="TargetEvaluator.InFit"/>), in the results' order.</summary>
    public static IReadOnlyList<LikelihoodTerm> Terms(ScenarioInfo scenario, IEnumerable<TargetResult> results)
    {
        var series = scenario.Series.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var inFit = TargetEvaluator.InFit(scenario).ToHashSet();
        var terms = new List<LikelihoodTerm>();
        foreach (var r in results)
        {
            if (inFit.Contains(r.Target) && r.Target.Series is { } id && series.TryGetValue(id, out var s))
            {
                terms.Add(Term(r, s));
            }
        }
        return terms;
    }

    /// <summary>
    /// -2 ln L of the fitted targets up to a constant: the terms' deviances, plus, for each series whose sigma is fitted
    /// (<paramref name="fittedSigma"/>: its id and the sigma's lower bound), the scale terms measured from that bound,
    /// 2 ln(sigma/sigma_min) per figure, so the objective stays at or above zero. With every sigma stated they are
    /// constants and left out.
    /// </summary>
    public static double Deviance(ScenarioInfo scenario, IEnumerable<TargetResult> results, IReadOnlyDictionary<string, double>? fittedSigma = null) =>
        Terms(scenario, results).Sum(t => t.Deviance
            + (fittedSigma is not null && fittedSigma.TryGetValue(t.Series.Id, out var lowest) && t.ScaleTerm is { } scale ? scale - 2 * Math.Log(lowest) : 0));

    public static LikelihoodTerm Term(TargetResult r, SeriesInfo series)
    {
        var t = r.Target;
        var sigma = series.Sigma;
        var log = series.Model == ErrorModel.LogNormal;
        double Scale(double x) => log ? Math.Log(Math.Max(x, Floor)) : x;
        switch (t.Kind)
        {
            case TargetKind.AppFirst or TargetKind.AppAbove or TargetKind.RetentionAbove:
                if (r.Pair is not { } pair)
                {
                    return Missing(t, series);
                }
                var margin = (Scale(pair.Own) - Scale(pair.Other)) / (sigma * Math.Sqrt(2));
                return new LikelihoodTerm(t, series, margin, -2 * LogPhi(margin));
            case TargetKind.AppWeeklyAtLeast:
                if (double.IsNaN(r.Value))
                {
                    return Missing(t, series);
                }
                var above = (Scale(r.Value) - Scale(t.Value!.Value)) / sigma;
                return new LikelihoodTerm(t, series, above, -2 * LogPhi(above));
            case TargetKind.EmployedBy or TargetKind.FiledAgainst:
                // A yes/no about a person: the record says it happened; a run where it does not is impossible under it.
                return new LikelihoodTerm(t, series, r.Within ? 0 : double.NegativeInfinity, r.Within ? 0 : double.PositiveInfinity);
            default:
                if (double.IsNaN(r.Value))
                {
                    return Missing(t, series);
                }
                var z = (Scale(t.Value!.Value) - Scale(r.Value)) / sigma;
                // The density's 1/sigma gives 2 ln sigma: a constant unless sigma itself is fitted.
                return new LikelihoodTerm(t, series, z, z * z, 2 * Math.Log(sigma));
        }
    }

    private static LikelihoodTerm Missing(TargetInfo t, SeriesInfo series) => new(t, series, double.NaN, double.PositiveInfinity);

    /// <summary>ln Phi(x), accurate in the far left tail where Phi underflows.</summary>
    public static double LogPhi(double x)
    {
        if (x > -30)
        {
            return Math.Log(0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2)));
        }
        // Mills ratio: Phi(x) ~ phi(x)/|x| (1 - 1/x^2 + 3/x^4).
        var x2 = x * x;
        return -0.5 * x2 - Math.Log(-x) - 0.5 * Math.Log(2 * Math.PI) + Math.Log(1 - 1 / x2 + 3 / (x2 * x2));
    }
}
