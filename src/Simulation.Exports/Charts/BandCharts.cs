using System.Globalization;
using Simulation.Model.Metrics;

namespace Simulation.Exports.Charts;

/// <summary>
/// The charts of a Monte Carlo batch: per market MAU and market share per app as bands (median line,
/// shaded p5 to p95), and cash per company. Talent flows need events, which bands do not keep; pass
/// mean flows to <see cref="TalentCharts.Flows(ChartSource, IEnumerable{MonthlyFlow}, IReadOnlyList{DateOnly}?, string?)"/>.
/// </summary>
public static class BandCharts
{
    public const string Note = "median line, shaded p5-p95";

    public static ChartSource SourceOf(MonteCarloOutput o) =>
        new(o.ScenarioName, o.ScenarioSha256, [o.BaseSeed], o.Engine, o.ProgramVersion, [.. o.Companies.Select(c => c.Company)])
        {
            SeedDescription = $"{o.Runs} runs from base seed {o.BaseSeed.ToString(CultureInfo.InvariantCulture)}",
        };

    public static IReadOnlyList<(string Name, ChartSpec Spec)> All(MonteCarloOutput o)
    {
        var source = SourceOf(o);
        var mau = Of(o.Bands, r => r.Mau);
        var share = Of(o.Bands, r => r.MarketShare);
        var charts = new List<(string, ChartSpec)>();
        foreach (var market in o.Bands.Select(r => r.Market).Distinct())
        {
            charts.Add(($"mau-{market}", UserCharts.MauPerApp(source, market, mau, Note)));
            if (UserCharts.Contested(mau, market))
            {
                charts.Add(($"share-{market}", UserCharts.MarketShare(source, market, share, Note)));
            }
        }
        charts.Add(("cash", CashCharts.Cash(source, Of(o.Bands, r => r.CashUsd), Note)));
        return charts;
    }

    /// <summary>PNG and SVG of every chart, keyed by relative path under <c>charts/</c>.</summary>
    public static IReadOnlyDictionary<string, byte[]> Render(MonteCarloOutput o) => RunCharts.Render(All(o));

    /// <summary>One <see cref="MetricBand"/> (p5, p50, p95) per market, company and app, over the months it has the metric.</summary>
    public static IReadOnlyList<MetricBand> Of(IEnumerable<BandRow> rows, Func<BandRow, Simulation.Model.Metrics.Band?> metric) =>
    [
        .. rows.Where(r => metric(r) is not null)
            .GroupBy(r => (r.Market, r.Company, r.App))
            .Select(g => new MetricBand(
                g.Key.Market, g.Key.Company, g.Key.App,
                [.. g.Select(r => MonthStart(r.Month))],
                [.. g.Select(r => metric(r)!.P5)],
                [.. g.Select(r => metric(r)!.P50)],
                [.. g.Select(r => metric(r)!.P95)])),
    ];

    private static DateOnly MonthStart(string month) => DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
