using System.Globalization;
using System.Text;
using Simulation.Exports;
using Simulation.Model.Metrics;

namespace Simulation.Cli.Commands;

/// <summary>
/// <c>sim compare --explain</c>: each paired difference decomposed along the model's causal chain, for every
/// compared scenario, month and app of the table: talent (headcount, the stars' lift), quality, the share of
/// newcomers the app wins, its measured retention, its net switching, its new users, its monthly actives and
/// its share; for a market total: the potential, the attraction factor of the adoption hazard, its newcomers
/// and its actives. Each step shows both medians and the paired difference's median with its 90 % band.
/// </summary>
public static class ExplainTable
{
    /// <summary>The steps of an app's chain, in causal order: (label, metric).</summary>
    public static IReadOnlyList<(string Step, string Metric)> AppChain => CausalChain.App;

    /// <summary>The steps of a market total's chain.</summary>
    public static IReadOnlyList<(string Step, string Metric)> MarketChain => CausalChain.Market;

    /// <summary>Every metric a chain uses that <see cref="ComparedMetrics"/> knows.</summary>
    public static IReadOnlyList<string> Metrics =>
        [.. AppChain.Concat(MarketChain).Select(s => s.Metric).Where(ComparedMetrics.Names.Contains).Distinct()];

    public static string Render(ComparisonOutput o, IReadOnlyDictionary<string, IReadOnlyList<ComparisonRow>> chain)
    {
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("Why they differ: each step of the chain, p50 of each scenario and the paired difference's p50 [p5, p95]");
        foreach (var scenario in o.Scenarios.Skip(1))
        {
            var rows = new List<string[]> { new[] { "month", "app", "step", $"{o.Reference.Name} p50", $"{scenario.Name} p50", "difference p50 [p5, p95]" } };
            foreach (var (month, app, step, metric, row) in Lines(o, chain, scenario.Name))
            {
                var (number, difference) = Formats(metric);
                rows.Add(
                [
                    month, app == MetricRow.All ? $"{row.Market} (total)" : app, step, number(row.Reference.P50), number(row.Value.P50),
                    $"{difference(row.Difference.P50)} [{difference(row.Difference.P5)}, {difference(row.Difference.P95)}]",
                ]);
            }
            sb.AppendLine();
            sb.AppendLine($"{scenario.Name} vs {o.Reference.Name}, explained");
            if (rows.Count == 1)
            {
                sb.AppendLine("(nothing to explain for the chosen months and apps)");
                continue;
            }
            SummaryTable.AppendTable(sb, rows, leftColumns: 3);
        }
        return sb.ToString();
    }

    /// <summary>explain.csv: one line per scenario, month, app and step.</summary>
    public static string Csv(ComparisonOutput o, IReadOnlyDictionary<string, IReadOnlyList<ComparisonRow>> chain)
    {
        var sb = new StringBuilder("scenario,month,market,app,step,metric,reference_p50,scenario_p50,difference_p50,difference_p5,difference_p95\n");
        foreach (var scenario in o.Scenarios.Skip(1))
        {
            foreach (var (month, app, step, metric, row) in Lines(o, chain, scenario.Name))
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"{Csv(scenario.Name)},{month},{row.Market},{app},{Csv(step)},{metric},{R(row.Reference.P50)},{R(row.Value.P50)},{R(row.Difference.P50)},{R(row.Difference.P5)},{R(row.Difference.P95)}\n");
            }
        }
        return sb.ToString();
    }

    private static IEnumerable<(string Month, string App, string Step, string Metric, ComparisonRow Row)> Lines(
        ComparisonOutput o, IReadOnlyDictionary<string, IReadOnlyList<ComparisonRow>> chain, string scenario)
    {
        var index = chain.ToDictionary(
            kv => kv.Key,
            kv => kv.Value.Where(r => r.Scenario == scenario).GroupBy(r => (r.Month, r.App)).ToDictionary(g => g.Key, g => g.First()));
        foreach (var month in o.Months)
        {
            foreach (var app in o.Apps)
            {
                foreach (var (step, metric) in app == MetricRow.All ? MarketChain : AppChain)
                {
                    if (index.TryGetValue(metric, out var rows) && rows.TryGetValue((month, app), out var row))
                    {
                        yield return (month, app, step, metric, row);
                    }
                }
            }
        }
    }

    private static (Func<double, string> Number, Func<double, string> Difference) Formats(string metric) => metric switch
    {
        "market_share" or "attraction_share" or "retention_d30" =>
            (v => (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + " %", v => Signed(100 * v, "0.00") + " pp"),
        "headcount" => (v => v.ToString("N0", CultureInfo.InvariantCulture), v => Signed(v, "N0")),
        "quality" or "star_lift" or "attraction_factor" => (v => v.ToString("0.0000", CultureInfo.InvariantCulture), v => Signed(v, "0.0000")),
        _ => (v => (v / 1e6).ToString("0.000", CultureInfo.InvariantCulture) + "M", v => Signed(v / 1e6, "0.000") + "M"),
    };

    private static string Signed(double value, string format)
    {
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        return text.TrimStart('-').All(c => c is '0' or '.' or ',') ? text.TrimStart('-') : value > 0 ? "+" + text : text;
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string text) => text.Contains(',') || text.Contains('"') ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
}
