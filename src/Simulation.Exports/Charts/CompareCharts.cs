using System.Globalization;
using Simulation.Model.Metrics;

namespace Simulation.Exports.Charts;

/// <summary>
/// The overlay charts of <c>sim compare</c>: for each app of interest (and each market's total), the
/// compared metric's median line with a p5-p95 band for each compared scenario and the reference (grey,
/// dashed, drawn on top), over the months. Named <c>compare-METRIC-APP</c> and <c>compare-METRIC-total-MARKET</c>.
/// </summary>
public static class CompareCharts
{
    /// <summary>Titles longer than this name the compared scenarios by their count (the legend names them all).</summary>
    private const int TitleLength = 110;

    public static IReadOnlyList<(string Name, ChartSpec Spec)> All(ComparisonOutput o)
    {
        var charts = new List<(string, ChartSpec)>();
        var series = o.Rows.Select(r => (r.Market, r.Company, r.App)).Distinct().ToList();
        var appMarkets = series.Where(s => s.App != MetricRow.All).GroupBy(s => s.App).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (market, company, app) in series.Where(s => o.Apps.Contains(s.App)))
        {
            var name = app == MetricRow.All ? $"compare-{o.Metric}-total-{market}"
                : appMarkets[app] > 1 ? $"compare-{o.Metric}-{app}-{market}"
                : $"compare-{o.Metric}-{app}";
            charts.Add((name, Overlay(o, market, company, app)));
        }
        return charts;
    }

    /// <summary>PNG and SVG of every chart, keyed by relative path under <c>charts/</c>.</summary>
    public static IReadOnlyDictionary<string, byte[]> Render(ComparisonOutput o) => RunCharts.Render(All(o));

    /// <summary>One app (or market total) in every scenario that has it: a band per scenario, the reference's last (on top).</summary>
    public static ChartSpec Overlay(ComparisonOutput o, string market, string company, string app)
    {
        var (label, unit) = Units(o.Metric);
        var rows = o.Rows.Where(r => r.Market == market && r.Company == company && r.App == app).ToList();
        var reference = rows.GroupBy(r => r.Month).Select(g => g.First()).ToList();
        var series = new List<ChartSeries>();
        for (var s = 1; s < o.Scenarios.Count; s++)
        {
            var name = o.Scenarios[s].Name;
            var own = rows.Where(r => r.Scenario == name).ToList();
            if (own.Count > 0)
            {
                series.Add(BandOf(name, s - 1, own, r => r.Value, unit));
            }
        }
        // Drawn last, so the reference's dashed line stays visible where a scenario does not move it.
        series.Add(BandOf($"{o.Reference.Name} (reference)", ChartSeries.Neutral, reference, r => r.Reference, unit) with { Dashed = true });
        var what = app == MetricRow.All ? $"market {market} total" : $"{app} ({company}), market {market}";
        return new ChartSpec
        {
            Title = Title($"{label}, {what}", o),
            Subtitle = Subtitle(o),
            YLabel = AxisLabel(o.Metric, app == MetricRow.All),
            Series = series,
        };
    }

    private static string Title(string subject, ComparisonOutput o)
    {
        var note = TitleNote(o.Uncertainty);
        var full = $"{subject}: {o.Reference.Name} vs {string.Join(", ", o.Scenarios.Skip(1).Select(s => s.Name))}{note}";
        return full.Length <= TitleLength ? full : $"{subject}: {o.Reference.Name} vs {o.Scenarios.Count - 1} scenarios{note}";
    }

    /// <summary>What a title adds for the bands' uncertainty: nothing for seeds alone.</summary>
    private static string TitleNote(Experiments.ReplicateUncertainty u) => u.Mode switch
    {
        Experiments.UncertaintyMode.Posterior => " (posterior bands)",
        Experiments.UncertaintyMode.Both => " (seed + posterior bands)",
        _ => "",
    };

    /// <summary>The seeds, how they were shared, and where the curves come from.</summary>
    public static string Subtitle(ComparisonOutput o)
    {
        var sha = o.Reference.Sha256.Length > 12 ? o.Reference.Sha256[..12] : o.Reference.Sha256;
        var seed = o.BaseSeed.ToString(CultureInfo.InvariantCulture);
        var common = o.Uncertainty.Mode switch
        {
            Experiments.UncertaintyMode.Seed => $"common seeds from base seed {seed}",
            Experiments.UncertaintyMode.Posterior => $"common {o.Uncertainty.DrawsShort()} draws on seed {seed}",
            _ => $"common seeds (base {seed}) and {o.Uncertainty.DrawsShort()}",
        };
        return $"{o.Runs} runs each, {common}; " +
            $"{o.Reference.Name} sha256 {sha}, engine {o.Engine}, sim {o.ProgramVersion}; median, shaded p5-p95";
    }

    private static Band BandOf(string label, int color, List<ComparisonRow> rows, Func<ComparisonRow, Simulation.Model.Metrics.Band> band, double unit) =>
        new(label, color, [.. rows.Select(r => MonthStart(r.Month))],
            [.. rows.Select(r => band(r).P5 / unit)], [.. rows.Select(r => band(r).P50 / unit)], [.. rows.Select(r => band(r).P95 / unit)]);

    /// <summary>The metric's name in a title and the divisor into the axis's unit.</summary>
    private static (string Label, double Unit) Units(string metric) => metric switch
    {
        "mau" => ("Monthly active users", 1e6),
        "wau" => ("Weekly active users", 1e6),
        "market_share" => ("Market share", 0.01),
        "cash_usd" => ("Cash", 1e9),
        "headcount" => ("AI headcount", 1),
        _ => (metric, 1),
    };

    private static string AxisLabel(string metric, bool total) => metric switch
    {
        "mau" => total ? "monthly active users, de-duplicated (millions)" : "monthly active users (millions)",
        "wau" => total ? "weekly active users, de-duplicated (millions)" : "weekly active users (millions)",
        "market_share" => "share of the market's app MAU (%)",
        "cash_usd" => "cash of the app's company (USD billions)",
        "headcount" => "AI staff of the app's company (people)",
        _ => metric,
    };

    private static DateOnly MonthStart(string month) => DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
