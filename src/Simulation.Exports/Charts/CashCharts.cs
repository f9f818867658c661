using Simulation.Model.Metrics;

namespace Simulation.Exports.Charts;

/// <summary>Cash per company at the end of each month, in billions of US dollars.</summary>
public static class CashCharts
{
    private const double Billion = 1e9;

    public static ChartSpec Cash(RunOutput output)
    {
        var source = ChartSource.Of(output);
        var rows = output.MonthRows.Where(r => r.Company != MetricRow.All && r.CashUsd is not null)
            .DistinctBy(r => (r.Month, r.Company))
            .ToList();
        var series = new List<ChartSeries>();
        foreach (var company in Ordered(source, rows.Select(r => r.Company)))
        {
            var own = rows.Where(r => r.Company == company).ToList();
            series.Add(new Line(company, source.ColorOf(company), [.. own.Select(r => r.Date)], [.. own.Select(r => r.CashUsd!.Value / Billion)]));
        }
        return Spec(source.Subtitle, series);
    }

    /// <summary>Cash bands across runs, one per company (bands keyed by company; market and app are ignored).</summary>
    public static ChartSpec Cash(ChartSource source, IEnumerable<MetricBand> cashBands, string bandNote = "median, shaded p5-p95")
    {
        var bands = cashBands.DistinctBy(b => b.Company).ToDictionary(b => b.Company, StringComparer.Ordinal);
        var series = Ordered(source, bands.Keys)
            .Select(c => (ChartSeries)UserCharts.Scaled(bands[c], c, source.ColorOf(c), Billion))
            .ToList();
        return Spec($"{source.Subtitle}; {bandNote}", series);
    }

    private static ChartSpec Spec(string subtitle, IReadOnlyList<ChartSeries> series) => new()
    {
        Title = "Cash per company",
        Subtitle = subtitle,
        YLabel = "cash at month end (USD billions)",
        Series = series,
    };

    private static IEnumerable<string> Ordered(ChartSource source, IEnumerable<string> companies) =>
        companies.Distinct().OrderBy(source.ColorOf).ThenBy(c => c, StringComparer.Ordinal);
}
