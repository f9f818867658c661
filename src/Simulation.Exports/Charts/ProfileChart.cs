using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Simulation.Exports.Charts;

/// <summary>A parameter's profile likelihood: the profile against the parameter's value, with the threshold and the file's value.</summary>
public sealed record ProfileChartSpec
{
    public required string Title { get; init; }

    /// <summary>Where the numbers come from: scenario, hash, seeds, program version.</summary>
    public required string Subtitle { get; init; }

    /// <summary>The parameter, e.g. its path.</summary>
    public required string XLabel { get; init; }

    /// <summary>The profile's points in ascending order of value.</summary>
    public required IReadOnlyList<(double Value, double Delta)> Points { get; init; }

    public required double FileValue { get; init; }

    /// <summary>The line the profile must cross for a bound (the chi-squared 95 % quantile).</summary>
    public required double Threshold { get; init; }

    /// <summary>The 95 % interval, shaded (an end at the range's bound where the profile does not cross), or null.</summary>
    public (double Low, double High)? Interval { get; init; }

    /// <summary>The y-axis stops here at most; points above are off the top and the chart says so.</summary>
    public double Ceiling { get; init; } = 20;

    public int Width { get; init; } = 1000;

    public int Height { get; init; } = 600;
}

/// <summary>
/// Draws a <see cref="ProfileChartSpec"/>: the profile as a line with a marker per grid point, the file's value as a
/// diamond on it and a dotted vertical line, the threshold as a dashed horizontal line and the 95 % interval shaded.
/// </summary>
public static class ProfileChart
{
    public static RenderedChart Render(ProfileChartSpec spec)
    {
        ChartRenderer.EnsureFonts();
        return ChartRenderer.Render(Build(spec), spec.Width, spec.Height);
    }

    private static Plot Build(ProfileChartSpec spec)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var (lineColor, markColor, thresholdColor) = (palette.GetColor(0), palette.GetColor(3), Colors.DimGray);
        var points = spec.Points.Where(p => double.IsFinite(p.Delta)).ToList();
        var low = Math.Min(0, points.Select(p => p.Delta).DefaultIfEmpty(0).Min());
        var highest = points.Select(p => p.Delta).DefaultIfEmpty(0).Max();
        var top = Math.Min(Math.Max(highest, 2 * spec.Threshold) * 1.08, spec.Ceiling);
        var bottom = low - 0.05 * (top - low);

        if (spec.Interval is { } interval)
        {
            var span = plot.Add.HorizontalSpan(interval.Low, interval.High, lineColor.WithAlpha(0.12));
            span.LineWidth = 0;
            span.LegendText = "95 % interval";
        }
        var profile = plot.Add.Scatter(points.Select(p => p.Value).ToArray(), points.Select(p => p.Delta).ToArray());
        profile.Color = lineColor;
        profile.LineWidth = 2;
        profile.MarkerSize = 7;
        profile.MarkerShape = MarkerShape.FilledCircle;
        profile.LegendText = "profile (the others re-fitted)";

        var threshold = plot.Add.HorizontalLine(spec.Threshold, 1.5f, thresholdColor, LinePattern.Dashed);
        threshold.LegendText = $"chi-squared(1) 95 %: {spec.Threshold.ToString("0.00", CultureInfo.InvariantCulture)}";
        var file = plot.Add.VerticalLine(spec.FileValue, 1.5f, markColor, LinePattern.Dotted);
        file.LegendText = $"the file's value {spec.FileValue.ToString("G4", CultureInfo.InvariantCulture)}";
        var atFile = points.Where(p => p.Value == spec.FileValue).Select(p => p.Delta).DefaultIfEmpty(0).First();
        plot.Add.Marker(spec.FileValue, atFile, MarkerShape.FilledDiamond, 12, markColor);

        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = v => v.ToString("G4", CultureInfo.InvariantCulture) };
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = v => v.ToString("G4", CultureInfo.InvariantCulture) };
        plot.XLabel(spec.XLabel);
        plot.YLabel("profile: -2 ln LR (objective minus the file's)");
        plot.Title(spec.Title);
        plot.Axes.Title.Label.FontSize = 16;
        if (highest > top)
        {
            ChartRenderer.AddSubtitle(plot, $"points above {top.ToString("G3", CultureInfo.InvariantCulture)} are beyond the top (the largest is {highest.ToString("G4", CultureInfo.InvariantCulture)}; values in profile.csv)");
        }
        ChartRenderer.AddSubtitle(plot, spec.Subtitle);
        plot.ShowLegend(Edge.Bottom);

        var xs = points.Select(p => p.Value).Append(spec.FileValue).ToList();
        var (left, right) = (xs.Min(), xs.Max());
        var pad = right > left ? 0.03 * (right - left) : Math.Max(1e-9, Math.Abs(left) * 0.05);
        plot.Axes.SetLimits(left - pad, right + pad, bottom, top);
        plot.Font.Set(ChartRenderer.FontFamily!);
        plot.Legend.FontName = ChartRenderer.FontFamily!;
        return plot;
    }
}
