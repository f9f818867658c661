using System.Diagnostics;
using MathNet.Numerics.Statistics;

namespace Simulation.Cli.Bench;

/// <summary>One timed piece of work: wall time and the bytes the whole process allocated meanwhile.</summary>
public sealed record Sample(double Seconds, long AllocatedBytes)
{
    /// <summary>
    /// Times <paramref name="work"/> after a full collection (so one measurement does not pay for the
    /// garbage of the one before). Allocations are process-wide: the silo's own background work counts too.
    /// </summary>
    public static async Task<Sample> TakeAsync(Func<Task> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await work();
        clock.Stop();
        return new Sample(clock.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }
}

/// <summary>The repeats of one measurement: reported as the median, with the spread from the fastest to the slowest.</summary>
public sealed record Measured(IReadOnlyList<Sample> Samples)
{
    public double Median => MedianOf(Samples.Select(s => s.Seconds));

    public double Min => Samples.Min(s => s.Seconds);

    public double Max => Samples.Max(s => s.Seconds);

    /// <summary>(slowest - fastest) / median: how far repeats disagree on this noisy machine.</summary>
    public double Spread => Median > 0 ? (Max - Min) / Median : 0;

    public double MedianAllocatedBytes => MedianOf(Samples.Select(s => (double)s.AllocatedBytes));

    /// <summary>The median (MathNet's, the mean of the middle two for an even count); NaN for none.</summary>
    public static double MedianOf(IEnumerable<double> values) => values.Median();
}
