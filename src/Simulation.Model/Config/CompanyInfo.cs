using System.Collections.Immutable;

namespace Simulation.Model.Config;

public sealed record CompanyInfo
{
    [Param("The company's id, used by events, targets and paths (companies.<id>.policy.poachRate)")]
    public required string Id { get; init; }

    [Param("Display name")]
    public string Name { get; init; } = "";

    [Param("Cash at the start", Unit = "USD", Min = 0, Max = 1e15)]
    public required double CashUsd { get; init; }

    /// <summary>Sorted by date.</summary>
    [Param("Other monthly revenue (besides what apps earn from their users), piecewise constant from each point's date on")]
    public ImmutableArray<RevenuePoint> Revenue { get; init; } = [];

    [Param("How the company sets and splits its budget, bids for talent and guards its staff")]
    public required PolicyInfo Policy { get; init; }

    /// <summary>One entry per talent tier, in tier order.</summary>
    [Param("Headcount of each tier's pool at the start, by tier id", Unit = "people", Min = 0, Max = 1e8, References = "tiers")]
    public ImmutableArray<double> Workforce { get; init; } = [];

    /// <summary>Null: the first region.</summary>
    [Param("The labour market where the company recruits and lays off (absent: the first region)", References = "regions")]
    public string? Region { get; init; }

    [Param("Ecosystem and distribution strength: businesses using its models, traffic it owns", Unit = "share", Min = 0, Max = 1)]
    public double Ecosystem { get; init; }

    /// <summary>Null: what its talent and compute give at the start.</summary>
    [Param("Model quality at the start, in the frontier's units (absent: what its talent and compute give)", Unit = "quality", Min = 0)]
    public double? InitialQuality { get; init; }

    /// <summary>Sorted by id.</summary>
    [Param("The company's apps")]
    public ImmutableArray<AppInfo> Apps { get; init; } = [];

    [Param("Share of revenue spent outside AI (the rest flows into the cash AI spending draws on)", Unit = "share", Min = 0, Max = 1)]
    public double OtherCostShare { get; init; }

    public double MonthlyRevenueAt(DateOnly date)
    {
        var value = 0.0;
        foreach (var point in Revenue)
        {
            if (point.From > date)
            {
                break;
            }
            value = point.MonthlyUsd;
        }
        return value;
    }
}

public sealed record RevenuePoint
{
    [Param("The date from which this revenue holds")]
    public required DateOnly From { get; init; }

    [Param("Monthly revenue from that date on", Unit = "USD/month", Min = 0, Max = 1e13)]
    public required double MonthlyUsd { get; init; }
}

public sealed record AppInfo
{
    [Param("The app's id, unique in the whole scenario (events and targets name apps)")]
    public required string Id { get; init; }

    [Param("Display name")]
    public string Name { get; init; } = "";

    [Param("The market the app competes in", References = "markets")]
    public required string Market { get; init; }

    /// <summary>Null: a nest of its own.</summary>
    [Param("The app's nest in its market's choice: apps in one nest are close substitutes (absent: a nest of its own)")]
    public string? Nest { get; init; }

    /// <summary>Null: available from the start.</summary>
    [Param("The day the app becomes available (absent: from the start)")]
    public DateOnly? Launch { get; init; }

    [Param("The app's quality relative to its owner's model quality", Min = 0, Max = 100)]
    public double QualityFactor { get; init; } = 1;

    [Param("Active users at the start date", Unit = "people", Min = 0)]
    public double InitialUsers { get; init; }

    [Param("How the app keeps its users")]
    public required RetentionInfo Retention { get; init; }

    [Param("Revenue the owner earns per active user of the app a month (subscriptions, ads), on top of the company's other revenue", Unit = "USD/month", Min = 0, Max = 1e4)]
    public double RevenuePerUserMonthlyUsd { get; init; }

    [Param("Share of the owner's marketing spent on this app (the owner's weights are normalised)", Min = 0, Max = 1e6)]
    public double MarketingWeight { get; init; } = 1;
}

/// <summary>
/// A retention curve r(a) = w e^(-a ln2 / fast) + (1 - w) e^(-a ln2 / slow), a mix of two exponentials
/// whose weight w is solved so that r(30 days) equals <see cref="D30"/> exactly.
/// </summary>
public sealed record RetentionInfo
{
    [Param("Share of a period's new users still active 30 days after first use, with quality equal to its rivals' and no switching (reachable with the half-lives)", Unit = "share", Min = 0, Max = 1)]
    public required double D30 { get; init; }

    [Param("Half-life of the fast-churning users (less than the slow one)", Unit = "days", Min = 1e-3, Max = 3650)]
    public double FastHalfLifeDays { get; init; } = 3;

    [Param("Half-life of the loyal users", Unit = "days", Min = 1e-3, Max = 36500)]
    public double SlowHalfLifeDays { get; init; } = 240;
}
