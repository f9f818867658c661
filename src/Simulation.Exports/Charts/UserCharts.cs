using Simulation.Model.Metrics;

namespace Simulation.Exports.Charts;

/// <summary>Users per app in one market: monthly actives and market share, from a run or as bands across runs.</summary>
public static class UserCharts
{
    private const double Million = 1e6;

    /// <summary>One line per app (millions of monthly actives); the market's de-duplicated total dashed.</summary>
    public static ChartSpec MauPerApp(RunOutput output, string market)
    {
        var source = ChartSource.Of(output);
        var series = PerApp(output, market, source, r => r.Mau / Million, includeTotal: true);
        return MauSpec(source, market, source.Subtitle, series);
    }

    /// <summary>One band per app (and the total, dashed) across runs: median line, shaded low to high.</summary>
    public static ChartSpec MauPerApp(ChartSource source, string market, IEnumerable<MetricBand> mauBands, string bandNote = "median, shaded p5-p95") =>
        MauSpec(source, market, $"{source.Subtitle}; {bandNote}", Bands(source, market, mauBands, Million, includeTotal: true));

    /// <summary>One line per app: its share of the market's app MAU, in per cent.</summary>
    public static ChartSpec MarketShare(RunOutput output, string market)
    {
        var source = ChartSource.Of(output);
        var series = PerApp(output, market, source, r => r.MarketShare * 100, includeTotal: false);
        return ShareSpec(source, market, source.Subtitle, series);
    }

    /// <summary>Market share bands across runs (shares as fractions in the bands, drawn in per cent).</summary>
    public static ChartSpec MarketShare(ChartSource source, string market, IEnumerable<MetricBand> shareBands, string bandNote = "median, shaded p5-p95") =>
        ShareSpec(source, market, $"{source.Subtitle}; {bandNote}", Bands(source, market, shareBands, 0.01, includeTotal: false));

    private static ChartSpec MauSpec(ChartSource source, string market, string subtitle, IReadOnlyList<ChartSeries> series) => new()
    {
        Title = $"Monthly active users per app, market {market}",
        Subtitle = subtitle,
        YLabel = "monthly active users (millions)",
        Series = series,
    };

    private static ChartSpec ShareSpec(ChartSource source, string market, string subtitle, IReadOnlyList<ChartSeries> series) => new()
    {
        Title = $"Market share per app, market {market}",
        Subtitle = subtitle,
        YLabel = "share of the market's app MAU (%)",
        Series = series,
    };

    private static List<ChartSeries> PerApp(RunOutput output, string market, ChartSource source, Func<MetricRow, double> value, bool includeTotal)
    {
        var rows = output.MonthRows.Where(r => r.Market == market).ToList();
        var series = new List<ChartSeries>();
        foreach (var app in rows.Where(r => r.App != MetricRow.All).Select(r => (r.Company, r.App)).Distinct())
        {
            var appRows = rows.Where(r => r.Company == app.Company && r.App == app.App).ToList();
            series.Add(new Line(AppLabel(app.Company, app.App), source.ColorOf(app.Company), [.. appRows.Select(r => r.Date)], [.. appRows.Select(value)]));
        }
        var total = rows.Where(r => r.App == MetricRow.All).ToList();
        if (includeTotal && total.Count > 0)
        {
            series.Add(new Line(TotalLabel, ChartSeries.Neutral, [.. total.Select(r => r.Date)], [.. total.Select(value)]) { Dashed = true });
        }
        return series;
    }

    private static List<ChartSeries> Bands(ChartSource source, string market, IEnumerable<MetricBand> bands, double unit, bool includeTotal)
    {
        var series = new List<ChartSeries>();
        Band? total = null;
        foreach (var b in bands.Where(b => b.Market == market))
        {
            if (b.App == MetricRow.All)
            {
                total = includeTotal ? Scaled(b, TotalLabel, ChartSeries.Neutral, unit) with { Dashed = true } : null;
                continue;
            }
            series.Add(Scaled(b, AppLabel(b.Company, b.App), source.ColorOf(b.Company), unit));
        }
        if (total is not null)
        {
            series.Add(total);
        }
        return series;
    }

    internal static Band Scaled(MetricBand b, string label, int color, double unit) =>
        new(label, color, b.Months, [.. b.Low.Select(v => v / unit)], [.. b.Mid.Select(v => v / unit)], [.. b.High.Select(v => v / unit)]);

    private const string TotalLabel = "market total (de-duplicated users)";

    private static string AppLabel(string company, string app) => $"{app} ({company})";
}
