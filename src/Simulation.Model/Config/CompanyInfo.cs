using System.Collections.Immutable;

namespace Simulation.Model.Config;

public sealed record CompanyInfo
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public required double CashUsd { get; init; }
    /// <summary>Monthly revenue, piecewise constant from each point's date on; sorted by date.</summary>
    public ImmutableArray<RevenuePoint> Revenue { get; init; } = [];
    public required PolicyInfo Policy { get; init; }
    /// <summary>Headcount of the aggregate pools, one entry per talent tier (in tier order).</summary>
    public ImmutableArray<double> Workforce { get; init; } = [];
    /// <summary>Ecosystem and distribution strength in [0, 1] (businesses using its models, traffic it owns).</summary>
    public double Ecosystem { get; init; }
    /// <summary>Model quality at the start, in the frontier's units; null: what its talent and compute give at the start.</summary>
    public double? InitialQuality { get; init; }
    /// <summary>Apps sorted by id.</summary>
    public ImmutableArray<AppInfo> Apps { get; init; } = [];
    /// <summary>Share of revenue spent outside AI (the rest flows into the cash AI spending draws on).</summary>
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
    public required DateOnly From { get; init; }
    public required double MonthlyUsd { get; init; }
}

public sealed record AppInfo
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public required string Market { get; init; }
    /// <summary>The day the app becomes available; null means available from the start.</summary>
    public DateOnly? Launch { get; init; }
    /// <summary>The app's quality relative to its owner's model quality.</summary>
    public double QualityFactor { get; init; } = 1;
    /// <summary>Active users at the start date.</summary>
    public double InitialUsers { get; init; }
    public required RetentionInfo Retention { get; init; }
    /// <summary>Share of the owner's marketing spent on this app (the owner's shares are normalised).</summary>
    public double MarketingWeight { get; init; } = 1;
}

/// <summary>
/// A retention curve r(a) = w e^(-a ln2 / fast) + (1 - w) e^(-a ln2 / slow), a mix of two exponentials
/// whose weight w is solved so that r(30 days) equals <see cref="D30"/> exactly.
/// </summary>
public sealed record RetentionInfo
{
    /// <summary>Share of a period's new users still active 30 days after first use.</summary>
    public required double D30 { get; init; }
    public double FastHalfLifeDays { get; init; } = 3;
    public double SlowHalfLifeDays { get; init; } = 240;
}
