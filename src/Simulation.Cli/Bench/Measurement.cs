using System.Diagnostics;
using System.Runtime.InteropServices;
using MathNet.Numerics.Statistics;

namespace Simulation.Cli.Bench;

/// <summary>
/// One timed piece of work: wall time, the CPU time of the whole process (every thread: the work's, the
/// garbage collector's, the JIT's, the silo's), the CPU time of the calling thread (all of a synchronous
/// piece of work, garbage collections it triggers included; NaN off Linux) and the bytes the process
/// allocated meanwhile. On a shared machine the calling thread's CPU time moves much less than wall time
/// when other processes take the cores.
/// </summary>
public sealed record Sample(double Seconds, double CpuSeconds, double ThreadCpuSeconds, long AllocatedBytes)
{
    /// <summary>Times <paramref name="work"/> after a full collection, so one measurement does not pay for the garbage of the one before.</summary>
    public static async Task<Sample> TakeAsync(Func<Task> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var (cpu, thread) = (CpuClock.Process(), CpuClock.Thread());
        var clock = Stopwatch.StartNew();
        await work();
        clock.Stop();
        return new Sample(clock.Elapsed.TotalSeconds, CpuClock.Process() - cpu, CpuClock.Thread() - thread, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }
}

/// <summary>The median of some repeats, with the spread from the smallest to the largest.</summary>
public sealed record Stats(double Median, double Min, double Max)
{
    /// <summary>(largest - smallest) / median: how far the repeats disagree.</summary>
    public double Spread => Median > 0 ? (Max - Min) / Median : 0;

    public static Stats Of(IEnumerable<double> values)
    {
        var all = values.ToArray();
        return new Stats(Measured.MedianOf(all), all.Min(), all.Max());
    }
}

/// <summary>The repeats of one measurement.</summary>
public sealed record Measured(IReadOnlyList<Sample> Samples)
{
    public Stats Wall => Stats.Of(Samples.Select(s => s.Seconds));

    public Stats Cpu => Stats.Of(Samples.Select(s => s.CpuSeconds));

    /// <summary>CPU time of the measuring thread: the cost of synchronous work; wall time where the clock is missing.</summary>
    public Stats ThreadCpu => Stats.Of(Samples.Select(s => double.IsNaN(s.ThreadCpuSeconds) ? s.Seconds : s.ThreadCpuSeconds));

    public double Median => Wall.Median;

    public double MedianAllocatedBytes => MedianOf(Samples.Select(s => (double)s.AllocatedBytes));

    /// <summary>The median (MathNet's, the mean of the middle two for an even count); NaN for none.</summary>
    public static double MedianOf(IEnumerable<double> values) => values.Median();
}

/// <summary>CPU clocks: clock_gettime (nanoseconds) on Linux; elsewhere <see cref="Process.TotalProcessorTime"/> and no thread clock.</summary>
internal static class CpuClock
{
    private const int ProcessCpuTimeId = 2;
    private const int ThreadCpuTimeId = 3;

    public static double Process()
    {
        if (OperatingSystem.IsLinux() && clock_gettime(ProcessCpuTimeId, out var time) == 0)
        {
            return time.Seconds + time.Nanoseconds / 1e9;
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>The calling thread's CPU time in seconds; NaN where there is no such clock.</summary>
    public static double Thread() =>
        OperatingSystem.IsLinux() && clock_gettime(ThreadCpuTimeId, out var time) == 0 ? time.Seconds + time.Nanoseconds / 1e9 : double.NaN;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
