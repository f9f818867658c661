using System.Collections.Immutable;

namespace Simulation.Model.Config;

[GenerateSerializer, Immutable]
public sealed record CompanyInfo
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public required double CashUsd { get; init; }
    /// <summary>Monthly revenue, piecewise constant from each point's date on; sorted by date.</summary>
    [Id(3)] public ImmutableArray<RevenuePoint> Revenue { get; init; } = [];
    [Id(4)] public required PolicyInfo Policy { get; init; }
    /// <summary>Headcount of the aggregate pools, one entry per talent tier (in tier order).</summary>
    [Id(5)] public ImmutableArray<double> Workforce { get; init; } = [];
    /// <summary>Ecosystem and distribution strength in [0, 1] (businesses using its models, traffic it owns).</summary>
    [Id(6)] public double Ecosystem { get; init; }
    /// <summary>Model quality at the start, in the frontier's units; null: what its talent and compute give at the start.</summary>
    [Id(7)] public double? InitialQuality { get; init; }
    /// <summary>Apps sorted by id.</summary>
    [Id(8)] public ImmutableArray<AppInfo> Apps { get; init; } = [];
    /// <summary>Share of revenue spent outside AI (the rest flows into the cash AI spending draws on).</summary>
    [Id(9)] public double OtherCostShare { get; init; }

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

[GenerateSerializer, Immutable]
public sealed record RevenuePoint
{
    [Id(0)] public required DateOnly From { get; init; }
    [Id(1)] public required double MonthlyUsd { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record AppInfo
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public required string Market { get; init; }
    /// <summary>The day the app becomes available; null means available from the start.</summary>
    [Id(3)] public DateOnly? Launch { get; init; }
    /// <summary>The app's quality relative to its owner's model quality.</summary>
    [Id(4)] public double QualityFactor { get; init; } = 1;
    /// <summary>Active users at the start date.</summary>
    [Id(5)] public double InitialUsers { get; init; }
    [Id(6)] public required RetentionInfo Retention { get; init; }
    /// <summary>Share of the owner's marketing spent on this app (the owner's shares are normalised).</summary>
    [Id(7)] public double MarketingWeight { get; init; } = 1;
}

/// <summary>
/// A retention curve r(a) = w e^(-a ln2 / fast) + (1 - w) e^(-a ln2 / slow), a mix of two exponentials
/// whose weight w is solved so that r(30 days) equals <see cref="D30"/> exactly.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RetentionInfo
{
    /// <summary>Share of a period's new users still active 30 days after first use.</summary>
    [Id(0)] public required double D30 { get; init; }
    [Id(1)] public double FastHalfLifeDays { get; init; } = 3;
    [Id(2)] public double SlowHalfLifeDays { get; init; } = 240;
}
