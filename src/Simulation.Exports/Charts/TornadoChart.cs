using ScottPlot;

namespace Simulation.Exports.Charts;

/// <summary>One parameter's bar pair: the output's change when the parameter goes down and when it goes up.</summary>
/// <param name="Label">The parameter (its path).</param>
/// <param name="Low">The output's change, in the chart's unit, with the parameter lowered.</param>
/// <param name="High">The same with the parameter raised.</param>
public sealed record TornadoBar(string Label, double Low, double High);

/// <summary>A tornado chart: the largest effect at the top, bars to the left and right of the base output.</summary>
public sealed record TornadoSpec
{
    public required string Title { get; init; }

    /// <summary>Where the numbers come from: scenario, hash, seeds, program version.</summary>
    public required string Subtitle { get; init; }

    /// <summary>What the x-axis measures, with its unit, e.g. "change in Doubao's MAU from base (%)".</summary>
    public required string XLabel { get; init; }

    /// <summary>In drawing order: the first bar is drawn at the top.</summary>
    public required IReadOnlyList<TornadoBar> Bars { get; init; }

    public string LowLabel { get; init; } = "parameter -10%";

    public string HighLabel { get; init; } = "parameter +10%";

    public int Width { get; init; } = 1200;

    public int Height { get; init; } = 700;
}

/// <summary>
/// Draws a <see cref="TornadoSpec"/> with ScottPlot's horizontal bars (<c>BarPlot.Horizontal</c>): one row per
/// parameter labelled on the left, the lowered side in blue and the raised side in orange, a line at zero.
/// </summary>
public static class TornadoChart
{
    public static RenderedChart Render(TornadoSpec spec)
    {
        ChartRenderer.EnsureFonts();
        return ChartRenderer.Render(Build(spec), spec.Width, spec.Height);
    }

    /// <summary>Writes <c>path.png</c> and <c>path.svg</c>.</summary>
    public static void Save(TornadoSpec spec, string pathWithoutExtension)
    {
        var chart = Render(spec);
        File.WriteAllBytes(pathWithoutExtension + ".png", chart.Png);
        File.WriteAllBytes(pathWithoutExtension + ".svg", chart.SvgBytes);
    }

    private static Plot Build(TornadoSpec spec)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var (lowColor, highColor) = (palette.GetColor(0), palette.GetColor(1));
        var count = spec.Bars.Count;
        var bars = new List<Bar>();
        for (var i = 0; i < count; i++)
        {
            var position = count - 1 - i; // the first bar at the top
            bars.Add(new Bar { Position = position, ValueBase = 0, Value = spec.Bars[i].Low, Size = 0.7, FillColor = lowColor, LineWidth = 0 });
            bars.Add(new Bar { Position = position, ValueBase = 0, Value = spec.Bars[i].High, Size = 0.7, FillColor = highColor, LineWidth = 0 });
        }
        if (bars.Count > 0)
        {
            var barPlot = plot.Add.Bars(bars);
            barPlot.Horizontal = true;
        }
        plot.Add.VerticalLine(0, 1, Colors.Black);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, count).Select(i => (double)(count - 1 - i))], [.. spec.Bars.Select(b => b.Label)]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = spec.LowLabel, FillColor = lowColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = spec.HighLabel, FillColor = highColor });
        plot.ShowLegend(Edge.Bottom);

        plot.XLabel(spec.XLabel);
        plot.Title(spec.Title);
        plot.Axes.Title.Label.FontSize = 18;
        ChartRenderer.AddSubtitle(plot, spec.Subtitle);

        var extent = spec.Bars.SelectMany(b => new[] { Math.Abs(b.Low), Math.Abs(b.High) }).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        extent = extent > 0 ? extent * 1.1 : 1;
        plot.Axes.SetLimits(-extent, extent, -0.6, Math.Max(count, 1) - 0.4);
        plot.Font.Set(ChartRenderer.FontFamily!);
        plot.Legend.FontName = ChartRenderer.FontFamily!;
        return plot;
    }
}
