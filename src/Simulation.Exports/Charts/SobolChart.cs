using ScottPlot;

namespace Simulation.Exports.Charts;

/// <summary>One parameter's Sobol indices and the half-widths of their intervals.</summary>
public sealed record SobolBar(string Label, double S1, double S1Conf, double ST, double STConf);

/// <summary>Bars of first-order and total Sobol indices with their intervals, the largest ST at the top.</summary>
public sealed record SobolChartSpec
{
    public required string Title { get; init; }

    /// <summary>Where the numbers come from: scenario, hash, seeds, program version.</summary>
    public required string Subtitle { get; init; }

    public required string XLabel { get; init; }

    /// <summary>In drawing order: the first parameter is drawn at the top.</summary>
    public required IReadOnlyList<SobolBar> Bars { get; init; }

    public int Width { get; init; } = 1200;

    public int Height { get; init; } = 700;
}

/// <summary>
/// Draws a <see cref="SobolChartSpec"/> with ScottPlot's horizontal bars (<c>BarPlot.Horizontal</c>): per parameter a
/// first-order bar (blue) above a total bar (orange), each with its interval as an error bar, and a line at zero.
/// </summary>
public static class SobolChart
{
    public static RenderedChart Render(SobolChartSpec spec)
    {
        ChartRenderer.EnsureFonts();
        return ChartRenderer.Render(Build(spec), spec.Width, spec.Height);
    }

    private static Plot Build(SobolChartSpec spec)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var (firstColor, totalColor) = (palette.GetColor(0), palette.GetColor(1));
        var count = spec.Bars.Count;
        var bars = new List<Bar>();
        for (var i = 0; i < count; i++)
        {
            var position = count - 1 - i; // the first parameter at the top
            var b = spec.Bars[i];
            bars.Add(new Bar { Position = position + 0.18, ValueBase = 0, Value = Finite(b.S1), Size = 0.34, FillColor = firstColor, LineWidth = 0 });
            bars.Add(new Bar { Position = position - 0.18, ValueBase = 0, Value = Finite(b.ST), Size = 0.34, FillColor = totalColor, LineWidth = 0 });
        }
        if (bars.Count > 0)
        {
            var barPlot = plot.Add.Bars(bars);
            barPlot.Horizontal = true;
        }
        // The intervals as whiskers drawn on top (a horizontal BarPlot draws no error bars).
        for (var i = 0; i < count; i++)
        {
            var position = count - 1 - i;
            var b = spec.Bars[i];
            Whisker(plot, position + 0.18, Finite(b.S1), Finite(b.S1Conf));
            Whisker(plot, position - 0.18, Finite(b.ST), Finite(b.STConf));
        }
        plot.Add.VerticalLine(0, 1, Colors.Black);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, count).Select(i => (double)(count - 1 - i))], [.. spec.Bars.Select(b => b.Label)]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "first order S1 (alone)", FillColor = firstColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "total ST (alone and in interactions)", FillColor = totalColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "whiskers: 95% bootstrap interval", LineColor = Colors.Black, LineWidth = 1 });
        plot.ShowLegend(Edge.Bottom);

        plot.XLabel(spec.XLabel);
        plot.Title(spec.Title);
        plot.Axes.Title.Label.FontSize = 18;
        ChartRenderer.AddSubtitle(plot, spec.Subtitle);

        var low = spec.Bars.SelectMany(b => new[] { Finite(b.S1) - Finite(b.S1Conf), Finite(b.ST) - Finite(b.STConf) }).DefaultIfEmpty(0).Min();
        var high = spec.Bars.SelectMany(b => new[] { Finite(b.S1) + Finite(b.S1Conf), Finite(b.ST) + Finite(b.STConf) }).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimits(Math.Min(0, low) - 0.02, Math.Max(high, 0.1) * 1.05, -0.6, Math.Max(count, 1) - 0.4);
        plot.Font.Set(ChartRenderer.FontFamily!);
        plot.Legend.FontName = ChartRenderer.FontFamily!;
        return plot;
    }

    private static void Whisker(Plot plot, double y, double value, double halfWidth)
    {
        if (halfWidth <= 0)
        {
            return;
        }
        var (low, high) = (value - halfWidth, value + halfWidth);
        foreach (var (x1, y1, x2, y2) in new[] { (low, y, high, y), (low, y - 0.08, low, y + 0.08), (high, y - 0.08, high, y + 0.08) })
        {
            var line = plot.Add.Line(x1, y1, x2, y2);
            line.LineColor = Colors.Black;
            line.LineWidth = 1.5f;
        }
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;
}
