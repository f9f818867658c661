using System.Collections.Immutable;
using Simulation.Model.Phases;

namespace Simulation.Model.Metrics;

/// <summary>
/// What one Monte Carlo replicate hands back: its monthly rows and its companies' final state, nothing
/// per tick. Small enough to cross a grain call; the same whichever placement ran it.
/// </summary>
public sealed record ReplicateResult
{
    /// <summary>The replicate's position in the batch (0, 1, ...): the order results are folded in.</summary>
    public required int Index { get; init; }
    public required ulong Seed { get; init; }
    /// <summary>Month, then market, then (company, app), then the market total: as in monthly.csv.</summary>
    public required ImmutableArray<ReplicateRow> Rows { get; init; }
    /// <summary>Each company at the last tick, in scenario order.</summary>
    public required ImmutableArray<CompanySnapshot> Companies { get; init; }

    /// <summary>The compact result of a finished run whose ticks <paramref name="collector"/> collected.</summary>
    public static ReplicateResult From(int index, ulong seed, DataCollector collector) => new()
    {
        Index = index,
        Seed = seed,
        Rows = [.. collector.MonthRows.Select(ReplicateRow.From)],
        Companies = [.. collector.FinalCompanies],
    };
}

/// <summary>One row of a replicate's monthly.csv: the fields of <see cref="MetricRow"/> a month keeps.</summary>
public sealed record ReplicateRow
{
    public required string Month { get; init; }
    public required string Market { get; init; }
    public required string Company { get; init; }
    public required string App { get; init; }
    public required double Mau { get; init; }
    public double? Wau { get; init; }
    public required double NewUsers { get; init; }
    public double? RetentionD30 { get; init; }
    public required double MarketShare { get; init; }
    public double? Quality { get; init; }
    public double? Headcount { get; init; }
    public int? Stars { get; init; }
    public double? CashUsd { get; init; }

    public static ReplicateRow From(MetricRow r) => new()
    {
        Month = r.Month,
        Market = r.Market,
        Company = r.Company,
        App = r.App,
        Mau = r.Mau,
        Wau = r.Wau,
        NewUsers = r.NewUsers,
        RetentionD30 = r.RetentionD30,
        MarketShare = r.MarketShare,
        Quality = r.Quality,
        Headcount = r.Headcount,
        Stars = r.Stars,
        CashUsd = r.CashUsd,
    };
}
