using System.Globalization;
using ScottPlot;

namespace Simulation.Exports.Charts;

/// <summary>One held-back observation against the simulated figures' quantiles (all in the figure's own unit).</summary>
public sealed record BacktestChartPoint(string Label, double Observed, double P5, double P25, double P50, double P75, double P95);

/// <summary>A backtest chart: each held-back point's 50 % and 90 % bands and median, relative to what was observed.</summary>
public sealed record BacktestChartSpec
{
    public required string Title { get; init; }

    /// <summary>Where the numbers come from: scenario, hash, draws, runs, program version.</summary>
    public required string Subtitle { get; init; }

    /// <summary>In drawing order: the first point is drawn at the top.</summary>
    public required IReadOnlyList<BacktestChartPoint> Points { get; init; }

    public int Width { get; init; } = 1200;

    public int Height { get; init; } = 700;
}

/// <summary>
/// Draws a <see cref="BacktestChartSpec"/>: one row per held-back point, labelled on the left; on a log axis of simulated
/// over observed (%), the 90 % band as a light bar, the 50 % band as a darker one, the median as a tick, and the
/// observation as the line at 100 %: a point whose bars cross that line was inside its band.
/// </summary>
public static class BacktestChart
{
    public static RenderedChart Render(BacktestChartSpec spec)
    {
        ChartRenderer.EnsureFonts();
        return ChartRenderer.Render(Build(spec), spec.Width, spec.Height);
    }

    private static Plot Build(BacktestChartSpec spec)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var colour = palette.GetColor(0);
        var count = spec.Points.Count;
        // log10 of simulated / observed; a non-positive figure is drawn at the axis' floor.
        double X(double value, double observed) => Math.Log10(Math.Max(value / observed, 1e-3));
        var wide = new List<Bar>();
        var narrow = new List<Bar>();
        var medians = new List<(double X, double Position)>();
        var extent = new List<double> { 0 };
        for (var i = 0; i < count; i++)
        {
            var p = spec.Points[i];
            var position = count - 1 - i; // the first point at the top
            if (!double.IsFinite(p.P50) || p.Observed <= 0)
            {
                continue;
            }
            var (p5, p25, p50, p75, p95) = (X(p.P5, p.Observed), X(p.P25, p.Observed), X(p.P50, p.Observed), X(p.P75, p.Observed), X(p.P95, p.Observed));
            wide.Add(new Bar { Position = position, ValueBase = p5, Value = p95, Size = 0.6, FillColor = colour.WithAlpha(0.25), LineWidth = 0 });
            narrow.Add(new Bar { Position = position, ValueBase = p25, Value = p75, Size = 0.6, FillColor = colour.WithAlpha(0.6), LineWidth = 0 });
            medians.Add((p50, position));
            extent.AddRange([p5, p95]);
        }
        foreach (var bars in new[] { wide, narrow }.Where(b => b.Count > 0))
        {
            plot.Add.Bars(bars).Horizontal = true;
        }
        foreach (var (x, position) in medians)
        {
            var median = plot.Add.Line(x, position - 0.3, x, position + 0.3);
            median.Color = Colors.Black;
            median.LineWidth = 3;
        }
        var observed = plot.Add.VerticalLine(0, 2, palette.GetColor(3));
        observed.LinePattern = LinePattern.Dashed;

        var low = Math.Floor(extent.Min() * 10) / 10 - 0.05;
        var high = Math.Ceiling(extent.Max() * 10) / 10 + 0.05;
        var ticks = Ticks(low, high);
        plot.Axes.Bottom.SetTicks([.. ticks.Select(Math.Log10)], [.. ticks.Select(Percent)]);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, count).Select(i => (double)(count - 1 - i))], [.. spec.Points.Select(p => p.Label)]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "90 % band (5-95 %)", FillColor = colour.WithAlpha(0.25) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "50 % band (25-75 %)", FillColor = colour.WithAlpha(0.6) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "median", LineColor = Colors.Black, LineWidth = 3 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "observed", LineColor = palette.GetColor(3), LineWidth = 2, LinePattern = LinePattern.Dashed });
        plot.ShowLegend(Edge.Bottom);

        plot.XLabel("simulated / observed (%, log scale)");
        plot.Title(spec.Title);
        plot.Axes.Title.Label.FontSize = 18;
        ChartRenderer.AddSubtitle(plot, spec.Subtitle);
        plot.Axes.SetLimits(low, high, -0.6, Math.Max(count, 1) - 0.4);
        plot.Font.Set(ChartRenderer.FontFamily!);
        plot.Legend.FontName = ChartRenderer.FontFamily!;
        return plot;
    }

    /// <summary>Ratios at 1, 2 and 5 times powers of ten that fall in [10^low, 10^high], always with 100 %.</summary>
    private static List<double> Ticks(double low, double high)
    {
        var ticks = new List<double>();
        for (var power = (int)Math.Floor(low) - 1; power <= (int)Math.Ceiling(high); power++)
        {
            foreach (var m in new[] { 1.0, 2.0, 5.0 })
            {
                var ratio = m * Math.Pow(10, power);
                if (Math.Log10(ratio) >= low && Math.Log10(ratio) <= high)
                {
                    ticks.Add(ratio);
                }
            }
        }
        // A narrow axis gets finer steps.
        if (ticks.Count < 4)
        {
            ticks = [.. new[] { 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0 }.Where(r => Math.Log10(r) >= low && Math.Log10(r) <= high)];
        }
        if (!ticks.Contains(1.0))
        {
            ticks.Add(1.0);
        }
        return ticks;
    }

    private static string Percent(double ratio) => (ratio * 100).ToString(ratio * 100 >= 1 ? "0.#" : "0.###", CultureInfo.InvariantCulture) + " %";
}
