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
[GenerateSerializer, Immutable]
public sealed record TargetInfo
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required TargetKind Kind { get; init; }
    [Id(2)] public string? Market { get; init; }
    [Id(3)] public string? App { get; init; }
    [Id(4)] public string? Other { get; init; }
    [Id(5)] public string? Person { get; init; }
    [Id(6)] public string? Company { get; init; }
    [Id(7)] public DateOnly? Month { get; init; }
    [Id(8)] public DateOnly? BaseMonth { get; init; }
    [Id(9)] public double? Value { get; init; }
    /// <summary>Allowed error: relative (a fraction of the value) when <see cref="Relative"/>, else absolute.</summary>
    [Id(10)] public double Tolerance { get; init; }
    [Id(11)] public bool Relative { get; init; }
    /// <summary>Weight in the calibration objective.</summary>
    [Id(12)] public double Weight { get; init; } = 1;
    [Id(13)] public string? Source { get; init; }
}
