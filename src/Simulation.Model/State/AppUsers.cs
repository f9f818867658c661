namespace Simulation.Model.State;

/// <summary>An app's users within its market: retention stocks updated recursively, so a tick costs the same whatever its index.</summary>
[GenerateSerializer]
public sealed class AppUsers
{
    [Id(0)] public required string App { get; init; }
    [Id(1)] public required string Company { get; init; }
    /// <summary>Active users in each exponential component of the retention curve.</summary>
    [Id(2)] public required double[] Stock { get; init; }
    [Id(3)] public double MonthStartStock { get; set; }
    [Id(4)] public double MonthNewUsers { get; set; }
    /// <summary>Ring of the last K ticks (K ticks span 7 days): stock at the start of each, and its new users.</summary>
    [Id(5)] public required double[] WeekStartStock { get; init; }
    [Id(6)] public required double[] WeekNewUsers { get; init; }
    [Id(7)] public int WeekCursor { get; set; }

    public double Active => Stock.Sum();
}
