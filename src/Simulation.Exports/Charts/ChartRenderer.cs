using System.Text;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Simulation.Exports.Charts;

/// <summary>A chart drawn both ways: PNG bytes and SVG text.</summary>
public sealed record RenderedChart(byte[] Png, string Svg)
{
    public byte[] SvgBytes => new UTF8Encoding(false).GetBytes(Svg);
}

/// <summary>
/// Draws a <see cref="ChartSpec"/> with ScottPlot: date x-axis labelled by month, y-axis with units,
/// legend outside the data area on the right, title and subtitle on top. ScottPlot (through SkiaSharp)
/// silently draws no text at all when the machine has no font files, so rendering refuses to start
/// without one (<see cref="ChartFontsMissingException"/>).
/// </summary>
public static partial class ChartRenderer
{
    private static readonly Lazy<string?> LazyFont = new(FindFont);

    /// <summary>The font family charts are drawn with, or null when the machine has none.</summary>
    public static string? FontFamily => LazyFont.Value;

    /// <summary>Throws <see cref="ChartFontsMissingException"/> unless text can be drawn.</summary>
    public static void EnsureFonts()
    {
        if (FontFamily is null)
        {
            throw new ChartFontsMissingException();
        }
    }

    /// <summary>Writes <c>path.png</c> and <c>path.svg</c>.</summary>
    public static void Save(ChartSpec spec, string pathWithoutExtension)
    {
        var chart = Render(spec);
        File.WriteAllBytes(pathWithoutExtension + ".png", chart.Png);
        File.WriteAllBytes(pathWithoutExtension + ".svg", chart.SvgBytes);
    }

    public static RenderedChart Render(ChartSpec spec)
    {
        EnsureFonts();
        return Render(Build(spec), spec.Width, spec.Height);
    }

    /// <summary>Renders a built plot to PNG bytes and deterministic SVG text (other chart kinds share this).</summary>
    internal static RenderedChart Render(Plot plot, int width, int height)
    {
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        var svg = NumberClipPaths(plot.GetSvgXml(width, height));
        return new RenderedChart(png, svg);
    }

    /// <summary>
    /// Skia numbers SVG clip paths with a counter that runs for the whole process; renumbering them from
    /// 1 in order of appearance makes the same chart give the same SVG bytes however many came before.
    /// </summary>
    private static string NumberClipPaths(string svg)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipId().Replace(svg, m =>
        {
            if (!ids.TryGetValue(m.Value, out var id))
            {
                id = ids[m.Value] = $"clip_{ids.Count + 1}";
            }
            return id;
        });
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bcl_[0-9a-f]+\b")]
    private static partial System.Text.RegularExpressions.Regex ClipId();

    private static Plot Build(ChartSpec spec)
    {
        var plot = new Plot();
        var log = spec.YScale == YScale.Log10;
        if (log && spec.Series.Any(s => s is Bars))
        {
            throw new NotSupportedException("stacked bars on a logarithmic axis");
        }
        Func<IReadOnlyList<double>, double[]> y = log ? v => [.. v.Select(Math.Log10)] : v => [.. v];
        foreach (var series in spec.Series)
        {
            switch (series)
            {
                case Band band:
                    AddBand(plot, band, y);
                    break;
                case Line line:
                    AddLine(plot, line.Label, line.Color, line.Dates, y(line.Values), line.Dashed);
                    break;
                case Bars:
                    break;
                default:
                    throw new NotSupportedException($"chart series {series.GetType().Name}");
            }
        }
        AddStackedBars(plot, [.. spec.Series.OfType<Bars>()]);

        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Bottom.TickGenerator = MonthTicks(spec);
        plot.XLabel(spec.XLabel);
        plot.YLabel(spec.YLabel);
        plot.Title(spec.Title);
        plot.Axes.Title.Label.FontSize = 18;
        // Panels added first sit nearest the data: the note goes under the subtitle.
        if (spec.Note is { Length: > 0 } note)
        {
            AddSubtitle(plot, note);
        }
        AddSubtitle(plot, spec.Subtitle);
        if (spec.Series.Any(s => s.Label.Length > 0))
        {
            plot.ShowLegend(Edge.Right);
        }
        if (spec.YIntegers)
        {
            plot.Axes.Left.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        }
        if (spec.YTickLabel is { } label && !log)
        {
            plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = label, IntegerTicksOnly = spec.YIntegers };
        }
        plot.Axes.AutoScale();
        if (log)
        {
            SetLogAxis(plot, spec);
        }
        else if (spec.YFromZero)
        {
            plot.Axes.SetLimitsY(0, Top(spec));
        }
        plot.Font.Set(FontFamily!);
        return plot;
    }

    /// <summary>
    /// A log10 y-axis: labelled ticks at powers of ten (written by the spec's <see cref="ChartSpec.YTickLabel"/>),
    /// unlabelled ones at 2 to 9 times them, from the power of ten at or below the lowest value to a little
    /// above the highest.
    /// </summary>
    private static void SetLogAxis(Plot plot, ChartSpec spec)
    {
        var label = spec.YTickLabel ?? (v => v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture));
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new LogMinorTickGenerator(),
            LabelFormatter = v => label(Math.Pow(10, v)),
        };
        plot.Grid.MinorLineWidth = 1;
        var values = Values(spec).Where(v => v > 0).Select(Math.Log10).DefaultIfEmpty(0).ToList();
        var (low, high) = (Math.Floor(values.Min()), values.Max());
        // Up to the next power of ten when it is near, so the top of the axis is labelled too.
        high = Math.Ceiling(high) - high < 0.25 ? Math.Ceiling(high) + 0.02 : Math.Max(high + 0.05 * (high - low), low + 1);
        plot.Axes.SetLimitsY(low, high);
    }

    private static IEnumerable<double> Values(ChartSpec spec) => spec.Series.SelectMany(ValuesOf).Where(double.IsFinite);

    /// <summary>Every value a series draws: a line's, a band's edges and median, bars'.</summary>
    internal static IEnumerable<double> ValuesOf(ChartSeries series) => series switch
    {
        Band b => b.High.Concat(b.Mid).Concat(b.Low),
        Line l => l.Values,
        Bars b => b.Values,
        _ => [],
    };

    /// <summary>A little above the highest value drawn, so a curve never runs along the frame.</summary>
    private static double Top(ChartSpec spec)
    {
        var max = Values(spec).DefaultIfEmpty(0).Max();
        return max > 0 ? max * 1.06 : 1;
    }

    private static void AddLine(Plot plot, string label, int color, IReadOnlyList<DateOnly> dates, double[] values, bool dashed)
    {
        var line = plot.Add.Scatter(X(dates), values);
        line.Color = ColorOf(color);
        line.LineWidth = 2;
        line.MarkerSize = 0;
        line.LinePattern = dashed ? LinePattern.Dashed : LinePattern.Solid;
        line.LegendText = label;
    }

    private static void AddBand(Plot plot, Band band, Func<IReadOnlyList<double>, double[]> y)
    {
        var fill = plot.Add.FillY(X(band.Dates), y(band.Low), y(band.High));
        fill.FillColor = ColorOf(band.Color).WithAlpha(0.22);
        fill.LineWidth = 0;
        AddLine(plot, band.Label, band.Color, band.Dates, y(band.Mid), band.Dashed);
    }

    private static void AddStackedBars(Plot plot, IReadOnlyList<Bars> series)
    {
        if (series.Count == 0)
        {
            return;
        }
        var up = new Dictionary<DateOnly, double>();
        var down = new Dictionary<DateOnly, double>();
        var width = BarWidth(series.SelectMany(s => s.Dates));
        foreach (var s in series)
        {
            var bars = new List<Bar>();
            for (var i = 0; i < s.Dates.Count; i++)
            {
                var value = s.Values[i];
                if (value == 0)
                {
                    continue;
                }
                var stack = value > 0 ? up : down;
                var start = stack.GetValueOrDefault(s.Dates[i]);
                stack[s.Dates[i]] = start + value;
                bars.Add(new Bar
                {
                    Position = X(s.Dates[i]),
                    ValueBase = start,
                    Value = start + value,
                    Size = width,
                    FillColor = ColorOf(s.Color),
                    LineWidth = 0,
                });
            }
            if (bars.Count > 0)
            {
                plot.Add.Bars(bars);
            }
            if (s.Label.Length > 0)
            {
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = s.Label, FillColor = ColorOf(s.Color) });
            }
        }
        plot.Add.HorizontalLine(0, 1, Colors.Black);
    }

    /// <summary>
    /// Ticks on the first day of a month, labelled yyyy-MM: every month for a run of up to 14 months, else
    /// every 3, 6 or 12 (quarters, halves, years), so that a label always names the month it stands on.
    /// </summary>
    private static DateTimeFixedInterval MonthTicks(ChartSpec spec)
    {
        var dates = spec.Series.SelectMany(s => s switch
        {
            Band b => b.Dates,
            Line l => l.Dates,
            Bars b => b.Dates,
            _ => [],
        }).DefaultIfEmpty(default).ToList();
        var (first, last) = (dates.Min(), dates.Max());
        var months = (last.Year - first.Year) * 12 + last.Month - first.Month + 1;
        var step = months <= 14 ? 1 : months <= 42 ? 3 : months <= 84 ? 6 : 12;
        return new DateTimeFixedInterval(
            new ScottPlot.TickGenerators.TimeUnits.Month(), step, null, 0,
            d => new DateTime(d.Year, (d.Month - 1) / step * step + 1, 1))
        {
            LabelFormatter = d => d.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Most of the smallest gap between dates, in days (the x unit of a date axis).</summary>
    private static double BarWidth(IEnumerable<DateOnly> dates)
    {
        var sorted = dates.Distinct().Order().ToList();
        var gap = 30.0;
        for (var i = 1; i < sorted.Count; i++)
        {
            gap = Math.Min(gap, sorted[i].DayNumber - sorted[i - 1].DayNumber);
        }
        return gap * 0.8;
    }

    internal static void AddSubtitle(Plot plot, string subtitle)
    {
        var panel = new ScottPlot.Panels.TitlePanel();
        panel.Label.Text = subtitle;
        panel.Label.FontSize = 13;
        panel.Label.Bold = false;
        panel.Label.ForeColor = Colors.DimGray;
        panel.Label.FontName = FontFamily!;
        plot.Axes.AddPanel(panel);
    }

    private static double[] X(IReadOnlyList<DateOnly> dates) => [.. dates.Select(X)];

    private static double X(DateOnly date) => date.ToDateTime(TimeOnly.MinValue).ToOADate();

    /// <summary>
    /// Ten distinct colours, one per company or app a chart draws (<see cref="TopSeries.Count"/>): Tableau 10
    /// with its grey, kept for <see cref="ChartSeries.Others"/>, swapped for near-black.
    /// </summary>
    private static readonly Color[] Palette =
        [.. new[] { "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#1F1F1F" }.Select(Color.FromHex)];

    /// <summary>The colour of a series' palette index: the palette, then darker shades of it; greys for totals and others.</summary>
    public static Color ColorOf(int index) => index switch
    {
        ChartSeries.Others => Color.FromHex("#BAB0AC"),
        < 0 => Colors.DimGray,
        _ when index < Palette.Length => Palette[index],
        _ => Palette[index % Palette.Length].Darken(0.35 * Math.Min(2, index / Palette.Length)),
    };

    private static string? FindFont()
    {
        foreach (var name in new[] { "DejaVu Sans", Fonts.Sans, Fonts.Default, Fonts.System })
        {
            if (!string.IsNullOrEmpty(name) && HasGlyphs(name))
            {
                return name;
            }
        }
        return null;
    }

    private static bool HasGlyphs(string family)
    {
        using var typeface = SkiaSharp.SKTypeface.FromFamilyName(family);
        return typeface is not null
            && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase)
            && typeface.ContainsGlyphs("Aa0");
    }
}

/// <summary>Charts were asked for on a machine without font files: they would have no text at all.</summary>
public sealed class ChartFontsMissingException()
    : InvalidOperationException("charts need font files, and none were found: install a font package (Debian: apt-get install fonts-dejavu-core), or pass --no-charts");
