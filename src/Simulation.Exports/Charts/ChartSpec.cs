namespace Simulation.Exports.Charts;

/// <summary>
/// What a chart shows, independent of how it is drawn: a title, a subtitle naming the scenario and
/// seeds, axis labels with units, and series over a date x-axis. <see cref="ChartRenderer"/> draws it.
/// </summary>
public sealed record ChartSpec
{
    public required string Title { get; init; }

    /// <summary>Where the curves come from: scenario, hash, seeds, engine, program version.</summary>
    public required string Subtitle { get; init; }

    public string XLabel { get; init; } = "month";

    /// <summary>What the y-axis measures, with its unit, e.g. "monthly active users (millions)".</summary>
    public required string YLabel { get; init; }

    public required IReadOnlyList<ChartSeries> Series { get; init; }

    /// <summary>Start the y-axis at zero (counts, money); false for charts that go below zero.</summary>
    public bool YFromZero { get; init; } = true;

    /// <summary>Whole-number ticks on the y-axis (counts of people in one run).</summary>
    public bool YIntegers { get; init; }

    /// <summary>
    /// Linear, or <see cref="YScale.Log10"/>: values stay in their unit (they must be above zero: the builder
    /// clips them at a floor and says so in <see cref="Note"/>), drawn as log10 with a tick at each power of ten.
    /// </summary>
    public YScale YScale { get; init; } = YScale.Linear;

    /// <summary>How a y-axis tick value (in the series' unit) is written, e.g. "$10M"; null for plain numbers.</summary>
    public Func<double, string>? YTickLabel { get; init; }

    /// <summary>A second subtitle line: what the chart leaves out, sums or clips (e.g. "top 10 of 200 companies ...").</summary>
    public string? Note { get; init; }

    public int Width { get; init; } = 1200;

    public int Height { get; init; } = 700;
}

/// <summary>One thing drawn on a chart, with its legend label.</summary>
/// <param name="Label">The legend text; series with an empty label stay out of the legend.</param>
/// <param name="Color">Index into the renderer's palette (a company keeps its colour on every chart when it can), <see cref="Neutral"/> or <see cref="Others"/>.</param>
public abstract record ChartSeries(string Label, int Color)
{
    /// <summary>Dark grey: totals and reference lines.</summary>
    public const int Neutral = -1;

    /// <summary>Light grey: the sum of the companies or apps a chart does not draw one by one.</summary>
    public const int Others = -2;
}

/// <summary>How values map to heights on the y-axis.</summary>
public enum YScale
{
    Linear,

    /// <summary>Logarithmic, base 10: equal ratios are equal heights.</summary>
    Log10,
}

/// <summary>A curve: one value per date.</summary>
public sealed record Line(string Label, int Color, IReadOnlyList<DateOnly> Dates, IReadOnlyList<double> Values) : ChartSeries(Label, Color)
{
    public bool Dashed { get; init; }
}

/// <summary>
/// A spread across runs: a translucent area from <see cref="Low"/> to <see cref="High"/> (e.g. p5 to
/// p95) and a line at <see cref="Mid"/> (e.g. the median) that carries the legend label.
/// </summary>
public sealed record Band(
    string Label, int Color, IReadOnlyList<DateOnly> Dates, IReadOnlyList<double> Low, IReadOnlyList<double> Mid, IReadOnlyList<double> High)
    : ChartSeries(Label, Color)
{
    public bool Dashed { get; init; }
}

/// <summary>
/// Bars, one per date, stacked with the other <see cref="Bars"/> series of the chart: positive values
/// upward from zero and negative values downward, in series order.
/// </summary>
public sealed record Bars(string Label, int Color, IReadOnlyList<DateOnly> Dates, IReadOnlyList<double> Values) : ChartSeries(Label, Color);
