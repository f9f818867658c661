using Simulation.Model.Metrics;

namespace Simulation.Exports.Charts;

/// <summary>
/// Users per app in one market: monthly actives and market share, from a run or as bands across runs. The
/// <see cref="TopSeries.Count"/> apps with the highest peak are drawn one by one and the rest summed as
/// "others"; a share chart is only worth drawing for a <see cref="Contested(RunOutput, string)"/> market.
/// </summary>
public static class UserCharts
{
    private const double Million = 1e6;

    private const string Apps = "apps";

    /// <summary>One line per app (millions of monthly actives); the market's de-duplicated total dashed.</summary>
    public static ChartSpec MauPerApp(RunOutput output, string market)
    {
        var source = ChartSource.Of(output);
        var (series, note) = TopSeries.Draw(Curves(output, market, r => r.Mau / Million), source, Apps, "peak MAU");
        var total = output.MonthRows.Where(r => r.Market == market && r.App == MetricRow.All).ToList();
        if (total.Count > 0)
        {
            series.Add(new Line(TotalLabel, ChartSeries.Neutral, [.. total.Select(r => r.Date)], [.. total.Select(r => r.Mau / Million)]) { Dashed = true });
        }
        return MauSpec(market, source.Subtitle, series, note);
    }

    /// <summary>One band per app (and the total, dashed) across runs: median line, shaded low to high.</summary>
    public static ChartSpec MauPerApp(ChartSource source, string market, IEnumerable<MetricBand> mauBands, string bandNote = "median, shaded p5-p95")
    {
        var bands = mauBands.Where(b => b.Market == market).ToList();
        var (series, note) = TopSeries.Draw(Curves(bands, Million), source, Apps, "peak median MAU");
        series.AddRange(bands.Where(b => b.App == MetricRow.All).Select(b => Scaled(b, TotalLabel, ChartSeries.Neutral, Million) with { Dashed = true }));
        return MauSpec(market, $"{source.Subtitle}; {bandNote}", series, note);
    }

    /// <summary>One line per app: its share of the market's app MAU, in per cent.</summary>
    public static ChartSpec MarketShare(RunOutput output, string market)
    {
        var source = ChartSource.Of(output);
        var (series, note) = TopSeries.Draw(Curves(output, market, r => r.MarketShare * 100), source, Apps, "peak share");
        return ShareSpec(market, source.Subtitle, series, note);
    }

    /// <summary>Market share bands across runs (shares as fractions in the bands, drawn in per cent).</summary>
    public static ChartSpec MarketShare(ChartSource source, string market, IEnumerable<MetricBand> shareBands, string bandNote = "median, shaded p5-p95")
    {
        var (series, note) = TopSeries.Draw(Curves([.. shareBands.Where(b => b.Market == market)], 0.01), source, Apps, "peak median share");
        return ShareSpec(market, $"{source.Subtitle}; {bandNote}", series, note);
    }

    /// <summary>
    /// True when at least two apps of the market have users in some month: with one app its share is 100 %
    /// whenever it has users, and a share chart would be one flat line.
    /// </summary>
    public static bool Contested(RunOutput output, string market) =>
        output.MonthRows.Where(r => r.Market == market && r.App != MetricRow.All && r.Mau > 0).Select(r => (r.Company, r.App)).Distinct().Count() >= 2;

    /// <summary>The same across runs, from MAU bands: at least two apps with users in some month of some run.</summary>
    public static bool Contested(IEnumerable<MetricBand> mauBands, string market) =>
        mauBands.Count(b => b.Market == market && b.App != MetricRow.All && b.High.Any(v => v > 0)) >= 2;

    private static ChartSpec MauSpec(string market, string subtitle, IReadOnlyList<ChartSeries> series, string? note) => new()
    {
        Title = $"Monthly active users per app, market {market}",
        Subtitle = subtitle,
        Note = note,
        YLabel = "monthly active users (millions)",
        Series = series,
    };

    private static ChartSpec ShareSpec(string market, string subtitle, IReadOnlyList<ChartSeries> series, string? note) => new()
    {
        Title = $"Market share per app, market {market}",
        Subtitle = subtitle,
        Note = note,
        YLabel = "share of the market's app MAU (%)",
        Series = series,
    };

    private static List<Curve> Curves(RunOutput output, string market, Func<MetricRow, double> value) =>
    [
        .. output.MonthRows.Where(r => r.Market == market && r.App != MetricRow.All)
            .GroupBy(r => (r.Company, r.App))
            .Select(g => new Curve(AppLabel(g.Key.Company, g.Key.App), g.Key.Company, [.. g.Select(r => r.Date)], [.. g.Select(value)])),
    ];

    private static List<Curve> Curves(IReadOnlyList<MetricBand> bands, double unit) =>
    [
        .. bands.Where(b => b.App != MetricRow.All).Select(b =>
        {
            var band = Scaled(b, AppLabel(b.Company, b.App), 0, unit);
            return new Curve(band.Label, b.Company, band.Dates, band.Mid, band.Low, band.High);
        }),
    ];

    internal static Band Scaled(MetricBand b, string label, int color, double unit) =>
        new(label, color, b.Months, [.. b.Low.Select(v => v / unit)], [.. b.Mid.Select(v => v / unit)], [.. b.High.Select(v => v / unit)]);

    private const string TotalLabel = "market total (de-duplicated users)";

    private static string AppLabel(string company, string app) => $"{app} ({company})";
}
