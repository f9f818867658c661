using MathNet.Numerics.Statistics;

namespace Simulation.Model.Metrics;

/// <summary>
/// One series of values folded one at a time into a <see cref="Band"/>: a running mean (MathNet) and
/// p5, p50, p95 from a <see cref="QuantileSketch"/>. Memory does not grow past the sketch's capacity.
/// </summary>
public sealed class BandCell(int exactCapacity = QuantileSketch.DefaultExactCapacity)
{
    private static readonly double[] Probabilities = [0.05, 0.50, 0.95];

    private readonly RunningStatistics _moments = new();
    private readonly QuantileSketch _quantiles = new(Probabilities, exactCapacity);

    public int RetainedValues => _quantiles.RetainedValues;

    /// <summary>Adds a value; a missing or NaN value is skipped.</summary>
    public void Add(double? value)
    {
        if (value is { } v && !double.IsNaN(v))
        {
            _moments.Push(v);
            _quantiles.Add(v);
        }
    }

    public Band? ToBand() => _moments.Count == 0 ? null : new Band(_moments.Mean, _quantiles.Quantile(0), _quantiles.Quantile(1), _quantiles.Quantile(2));
}
