namespace Simulation.Model.State;

/// <summary>An app's users within its market: retention stocks updated recursively, so a tick costs the same whatever its index.</summary>
public sealed class AppUsers
{
    public required string App { get; init; }
    public required string Company { get; init; }
    /// <summary>Active users in each exponential component of the retention curve.</summary>
    public required double[] Stock { get; init; }
    public double MonthStartStock { get; set; }
    public double MonthNewUsers { get; set; }
    /// <summary>Ring of the last K ticks (K ticks span 7 days): stock at the start of each, and its new users.</summary>
    public required double[] WeekStartStock { get; init; }
    public required double[] WeekNewUsers { get; init; }
    public int WeekCursor { get; set; }

    public double Active => Stock.Sum();
}
