namespace Simulation.Model.Config;

public enum TargetKind
{
    /// <summary>A market's de-duplicated actives (its reporting window) in a month.</summary>
    MarketActives,
    /// <summary>A market's de-duplicated actives in a month over those in a base month.</summary>
    MarketGrowth,
    /// <summary>An app's monthly actives in a month.</summary>
    AppActives,
    /// <summary>An app's weekly actives in a month's last week, at least a value.</summary>
    AppWeeklyAtLeast,
    /// <summary>An app ranks first by monthly actives in its market in a month.</summary>
    AppFirst,
    /// <summary>An app has more monthly actives than another in a month.</summary>
    AppAbove,
    /// <summary>An app's 30-day retention.</summary>
    Retention,
    /// <summary>An app's 30-day retention exceeds another's.</summary>
    RetentionAbove,
    /// <summary>A person is employed by a company at the end of a month.</summary>
    EmployedBy,
    /// <summary>A company has filed for arbitration against a person by the end of a month.</summary>
    FiledAgainst,
}

/// <summary>A figure the scenario must reproduce (checked after every run).</summary>
public sealed record TargetInfo
{
    public required string Id { get; init; }
    public required TargetKind Kind { get; init; }
    public string? Market { get; init; }
    public string? App { get; init; }
    public string? Other { get; init; }
    public string? Person { get; init; }
    public string? Company { get; init; }
    public DateOnly? Month { get; init; }
    public DateOnly? BaseMonth { get; init; }
    public double? Value { get; init; }
    /// <summary>Allowed error: relative (a fraction of the value) when <see cref="Relative"/>, else absolute.</summary>
    public double Tolerance { get; init; }
    public bool Relative { get; init; }
    /// <summary>Weight in the calibration objective.</summary>
    public double Weight { get; init; } = 1;
    public string? Source { get; init; }
}
