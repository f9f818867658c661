using Simulation.Model.Metrics;

namespace Simulation.Exports.Charts;

/// <summary>
/// Who hired whom from whom: named researchers changing employer, per month. Each company's colour
/// stacks above zero for the people it hired and below zero for the people it lost, so a month with
/// one poach shows the hirer's colour up and the loser's colour down.
/// </summary>
public static class TalentCharts
{
    /// <summary>The events that move a person between employers (a counter-offer or a transfer does not).</summary>
    public static readonly IReadOnlySet<string> MoveKinds = new HashSet<string>(StringComparer.Ordinal) { "hire", "poach", "move", "leave" };

    public static ChartSpec Flows(RunOutput output)
    {
        var flows = output.Events
            .Where(e => MoveKinds.Contains(e.Event.Kind) && e.Event.From != e.Event.To)
            .Select(e => new MonthlyFlow(new DateOnly(e.Date.Year, e.Date.Month, 1), e.Event.From, e.Event.To, 1));
        return Flows(ChartSource.Of(output), flows, Months(output.MonthRows)) with { YIntegers = true };
    }

    /// <summary>Flows per month (e.g. means across runs); <paramref name="months"/> spans the x-axis.</summary>
    public static ChartSpec Flows(ChartSource source, IEnumerable<MonthlyFlow> flows, IReadOnlyList<DateOnly>? months = null, string? note = null)
    {
        var list = flows.ToList();
        var hired = Totals(list.Where(f => f.To is not null), f => f.To!);
        var lost = Totals(list.Where(f => f.From is not null), f => f.From!);
        var companies = hired.Keys.Concat(lost.Keys).Distinct().OrderBy(source.ColorOf).ThenBy(c => c, StringComparer.Ordinal).ToList();
        var moves = companies.ToDictionary(c => c, c => (hired.GetValueOrDefault(c)?.Values.Sum() ?? 0) + (lost.GetValueOrDefault(c)?.Values.Sum() ?? 0));
        var (shown, rest) = TopSeries.Of(companies, c => moves[c], c => c, source);

        var series = new List<ChartSeries>();
        foreach (var (company, color) in shown)
        {
            AddCompany(series, company, color, hired.GetValueOrDefault(company) ?? [], lost.GetValueOrDefault(company) ?? []);
        }
        if (rest.Count > 0)
        {
            AddCompany(series, TopSeries.OthersLabel(rest.Count, "companies"), ChartSeries.Others, Merge(rest.Select(hired.GetValueOrDefault)), Merge(rest.Select(lost.GetValueOrDefault)));
        }
        if (months is { Count: > 0 })
        {
            // An invisible baseline that spans the run, so quiet months at either end still show.
            series.Add(new Line("", ChartSeries.Neutral, [months[0], months[^1]], [0, 0]));
        }
        return new ChartSpec
        {
            Title = "Talent flows: named researchers hired (above 0) and lost (below 0) per month",
            Subtitle = note is null ? source.Subtitle : $"{source.Subtitle}; {note}",
            Note = TopSeries.Note(shown.Count, rest.Count, "companies", "number of moves"),
            YLabel = "researchers per month (people): hired up, lost down",
            Series = series,
            YFromZero = false,
        };
    }

    /// <summary>One legend entry per company: the hires carry the label, the losses (same colour) do not.</summary>
    private static void AddCompany(List<ChartSeries> series, string label, int color, Dictionary<DateOnly, double> up, Dictionary<DateOnly, double> down)
    {
        var dates = up.Keys.Concat(down.Keys).Distinct().Order().ToList();
        series.Add(new Bars(label, color, dates, [.. dates.Select(d => up.GetValueOrDefault(d))]));
        series.Add(new Bars("", color, dates, [.. dates.Select(d => -down.GetValueOrDefault(d))]));
    }

    /// <summary>People per month summed over several companies.</summary>
    private static Dictionary<DateOnly, double> Merge(IEnumerable<Dictionary<DateOnly, double>?> perMonth)
    {
        var sum = new Dictionary<DateOnly, double>();
        foreach (var (month, people) in perMonth.OfType<Dictionary<DateOnly, double>>().SelectMany(m => m))
        {
            sum[month] = sum.GetValueOrDefault(month) + people;
        }
        return sum;
    }

    private static Dictionary<string, Dictionary<DateOnly, double>> Totals(IEnumerable<MonthlyFlow> flows, Func<MonthlyFlow, string> company)
    {
        var totals = new Dictionary<string, Dictionary<DateOnly, double>>(StringComparer.Ordinal);
        foreach (var f in flows)
        {
            var perMonth = totals.TryGetValue(company(f), out var m) ? m : totals[company(f)] = [];
            perMonth[f.Month] = perMonth.GetValueOrDefault(f.Month) + f.People;
        }
        return totals;
    }

    private static List<DateOnly> Months(IReadOnlyList<MetricRow> rows) => [.. rows.Select(r => r.Date).Distinct().Order()];
}
