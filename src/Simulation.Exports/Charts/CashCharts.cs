using System.Globalization;
using Simulation.Model.Metrics;

namespace Simulation.Exports.Charts;

/// <summary>
/// Cash per company at the end of each month, in US dollars on a logarithmic axis, so a company with
/// USD 100M shows beside one with USD 60B instead of lying on zero. A log axis has no zero: cash below
/// <see cref="FloorUsd"/> (none left, or debt) is drawn at the floor, and the chart's note says so.
/// </summary>
public static class CashCharts
{
    /// <summary>The lowest cash drawn: less (zero or negative) is drawn here.</summary>
    public const double FloorUsd = 1e6;

    public static ChartSpec Cash(RunOutput output)
    {
        var source = ChartSource.Of(output);
        var curves = output.MonthRows.Where(r => r.Company != MetricRow.All && r.CashUsd is not null)
            .DistinctBy(r => (r.Month, r.Company))
            .GroupBy(r => r.Company)
            .Select(g => new Curve(g.Key, g.Key, [.. g.Select(r => r.Date)], [.. g.Select(r => r.CashUsd!.Value)]))
            .ToList();
        return Spec(source, source.Subtitle, curves, "peak cash");
    }

    /// <summary>Cash bands across runs, one per company (bands keyed by company; market and app are ignored).</summary>
    public static ChartSpec Cash(ChartSource source, IEnumerable<MetricBand> cashBands, string bandNote = "median, shaded p5-p95")
    {
        var curves = cashBands.DistinctBy(b => b.Company).Select(b => new Curve(b.Company, b.Company, b.Months, b.Mid, b.Low, b.High)).ToList();
        return Spec(source, $"{source.Subtitle}; {bandNote}", curves, "peak median cash");
    }

    /// <summary>A power of ten (or any amount) in US dollars, short: "$1M", "$10M", "$1B", "$2.5B".</summary>
    public static string Usd(double usd)
    {
        var (unit, suffix) = Math.Abs(usd) switch
        {
            >= 1e12 => (1e12, "T"),
            >= 1e9 => (1e9, "B"),
            >= 1e6 => (1e6, "M"),
            >= 1e3 => (1e3, "K"),
            _ => (1.0, ""),
        };
        return "$" + (usd / unit).ToString("0.##", CultureInfo.InvariantCulture) + suffix;
    }

    private static ChartSpec Spec(ChartSource source, string subtitle, IReadOnlyList<Curve> curves, string by)
    {
        var (series, note) = TopSeries.Draw(curves, source, "companies", by);
        var clipped = series.Any(s => ChartRenderer.ValuesOf(s).Any(v => v < FloorUsd));
        var floor = clipped ? $"cash below {Usd(FloorUsd)} (none left, or debt) drawn at {Usd(FloorUsd)}" : null;
        return new ChartSpec
        {
            Title = "Cash per company",
            Subtitle = subtitle,
            Note = string.Join("; ", new[] { note, floor }.OfType<string>()) is { Length: > 0 } text ? text : null,
            YLabel = "cash at month end (USD, log scale)",
            Series = [.. series.Select(Clip)],
            YScale = YScale.Log10,
            YTickLabel = Usd,
            YFromZero = false,
        };
    }

    private static ChartSeries Clip(ChartSeries series) => series switch
    {
        Band b => b with { Low = Clip(b.Low), Mid = Clip(b.Mid), High = Clip(b.High) },
        Line l => l with { Values = Clip(l.Values) },
        _ => series,
    };

    private static double[] Clip(IReadOnlyList<double> values) => [.. values.Select(v => Math.Max(FloorUsd, v))];
}
