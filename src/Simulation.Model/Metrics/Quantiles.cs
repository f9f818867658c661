using MathNet.Numerics.Statistics;

namespace Simulation.Model.Metrics;

/// <summary>
/// The one quantile definition of every band, sweep and comparison: type 7 of Hyndman and Fan (1996),
/// linear interpolation between order statistics at position 1 + (n - 1) p: R's default, numpy's
/// "linear", MathNet's <see cref="QuantileDefinition.R7"/>.
/// </summary>
public static class Quantiles
{
    /// <summary>The type-7 <paramref name="p"/> quantile of values already sorted ascending (NaN when empty).</summary>
    public static double OfSorted(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : SortedArrayStatistics.QuantileCustom(sorted, p, QuantileDefinition.R7);

    /// <summary>The type-7 <paramref name="p"/> quantile of <paramref name="values"/> in any order (NaN when empty).</summary>
    public static double Of(IEnumerable<double> values, double p)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return OfSorted(sorted, p);
    }
}
