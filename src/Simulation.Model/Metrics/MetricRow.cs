namespace Simulation.Model.Metrics;

/// <summary>
/// One line of a growth curve: an app (or a market's de-duplicated total, with company and app
/// "ALL") at a tick or a month. Company fields are null on market totals; Wau is null in markets
/// that report monthly actives.
/// </summary>
public sealed record MetricRow
{
    public const string All = "ALL";

    public required int Tick { get; init; }
    public required DateOnly Date { get; init; }
    public required string Month { get; init; }
    public required string Market { get; init; }
    public required string Company { get; init; }
    public required string App { get; init; }
    public required double Mau { get; init; }
    public double? Wau { get; init; }
    public required double Active { get; init; }
    public required double NewUsers { get; init; }
    public double? RetentionD30 { get; init; }
    public required double MarketShare { get; init; }
    public double? Quality { get; init; }
    public double? Headcount { get; init; }
    public int? Stars { get; init; }
    public double? CashUsd { get; init; }
    /// <summary>The app's share of the month's newcomers (nested-logit choice probability).</summary>
    public double? AttractionShare { get; init; }
    /// <summary>The owner's effective-talent multiplier from its stars, 1 + mu H.</summary>
    public double? StarLift { get; init; }
    /// <summary>Users the app won from rivals minus users it lost to them, in the month (per tick on tick rows).</summary>
    public double? SwitchNet { get; init; }
    /// <summary>On market totals: the potential M and the attraction factor x multiplying the adoption hazard.</summary>
    public double? Potential { get; init; }
    public double? AttractionFactor { get; init; }
}
