using System.Globalization;

namespace Simulation.Exports.Charts;

/// <summary>
/// Keeps a chart readable however many companies or apps a scenario has: the <see cref="Count"/> largest by
/// a score (the peak of the plotted metric) are drawn one by one, each in its own colour, and the rest are
/// summed into one light-grey "others" series, so the legend holds at most <see cref="Count"/> + 1 entries
/// (and a total) and never runs off the picture.
/// </summary>
public static class TopSeries
{
    /// <summary>Companies or apps a chart draws one by one.</summary>
    public const int Count = 10;

    /// <summary>
    /// The items in drawing order (highest score first, ties in the given order) with their colours, and the
    /// items left over. A company keeps its scenario colour (its place in the scenario) when every drawn item
    /// is of a different company among the scenario's first <see cref="Count"/>; otherwise the items are
    /// coloured by rank, so the colours on one chart always differ.
    /// </summary>
    public static (IReadOnlyList<(T Item, int Color)> Shown, IReadOnlyList<T> Others) Of<T>(
        IReadOnlyList<T> items, Func<T, double> score, Func<T, string> company, ChartSource source)
    {
        var ranked = items.Select((item, i) => (Item: item, Index: i, Score: score(item)))
            .OrderByDescending(x => double.IsFinite(x.Score) ? x.Score : double.MinValue).ThenBy(x => x.Index)
            .Select(x => x.Item).ToList();
        var shown = ranked.Take(Count).ToList();
        var colors = shown.Select(s => source.ColorOf(company(s))).ToList();
        var stable = colors.All(c => c < Count) && colors.Distinct().Count() == colors.Count;
        return ([.. shown.Select((s, i) => (s, stable ? colors[i] : i))], ranked.Skip(Count).ToList());
    }

    /// <summary>The legend text of the summed rest: "others (190 companies, summed)".</summary>
    public static string OthersLabel(int count, string noun, string how = "summed") =>
        $"others ({count.ToString(CultureInfo.InvariantCulture)} {noun}, {how})";

    /// <summary>What the chart leaves out, for its note: "the 10 of 200 companies with the highest peak cash drawn; ...".</summary>
    public static string? Note(int shown, int rest, string noun, string by) => rest == 0 ? null :
        $"the {shown.ToString(CultureInfo.InvariantCulture)} of {(shown + rest).ToString(CultureInfo.InvariantCulture)} {noun} with the highest {by} drawn, the other {rest.ToString(CultureInfo.InvariantCulture)} summed as \"others\"";

    /// <summary>The sum of several series, date by date (a date a series lacks counts 0).</summary>
    public static (IReadOnlyList<DateOnly> Dates, IReadOnlyList<double> Values) Sum(IEnumerable<(IReadOnlyList<DateOnly> Dates, IReadOnlyList<double> Values)> series)
    {
        var sums = new SortedDictionary<DateOnly, double>();
        foreach (var (dates, values) in series)
        {
            for (var i = 0; i < dates.Count; i++)
            {
                sums[dates[i]] = sums.GetValueOrDefault(dates[i]) + values[i];
            }
        }
        return ([.. sums.Keys], [.. sums.Values]);
    }

    /// <summary>
    /// Lines (or bands, median line and p5-p95 shading) of the top <see cref="Count"/> curves by their peak,
    /// then one grey line summing the rest (the sum of their values, or of their medians for bands), and the
    /// note saying so.
    /// </summary>
    public static (List<ChartSeries> Series, string? Note) Draw(IReadOnlyList<Curve> curves, ChartSource source, string noun, string by)
    {
        var (shown, rest) = Of(curves, c => c.Peak, c => c.Company, source);
        var series = shown.Select(s => s.Item.Series(s.Color)).ToList();
        if (rest.Count > 0)
        {
            var (dates, values) = Sum(rest.Select(c => (c.Dates, c.Mid)));
            var how = rest.Any(c => c.Low is not null) ? "sum of medians" : "summed";
            series.Add(new Line(OthersLabel(rest.Count, noun, how), ChartSeries.Others, dates, values));
        }
        return (series, Note(shown.Count, rest.Count, noun, by));
    }
}

/// <summary>One company's or app's values before <see cref="TopSeries"/> picks what to draw: <see cref="Mid"/> the value (or median), <see cref="Low"/> and <see cref="High"/> a band's edges.</summary>
public sealed record Curve(
    string Label, string Company, IReadOnlyList<DateOnly> Dates, IReadOnlyList<double> Mid, IReadOnlyList<double>? Low = null, IReadOnlyList<double>? High = null)
{
    public double Peak => Mid.Where(double.IsFinite).DefaultIfEmpty(0).Max();

    public ChartSeries Series(int color) => Low is null || High is null
        ? new Line(Label, color, Dates, Mid)
        : new Band(Label, color, Dates, Low, Mid, High);
}
