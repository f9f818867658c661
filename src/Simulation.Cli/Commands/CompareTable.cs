using System.Globalization;
using System.Text;
using Simulation.Exports;
using Simulation.Model.Metrics;

namespace Simulation.Cli.Commands;

/// <summary>
/// The table <c>sim compare</c> prints: for each compared scenario, each chosen month and app of interest, the
/// reference's and the scenario's median, the paired difference's median with its 90 % band, and the
/// relative difference's median.
/// </summary>
public static class CompareTable
{
    public static string Render(ComparisonOutput o)
    {
        var sb = new StringBuilder();
        var placement = o.Placement is null ? "" : $", placement {o.Placement}";
        var common = o.Uncertainty.VariesSeed ? $"common random numbers from base seed {o.BaseSeed}" : $"seed {o.BaseSeed} in every run";
        var draws = o.Uncertainty.VariesParameters ? ", replicate i of every scenario on the same posterior draw" : "";
        sb.AppendLine($"Reference {o.Reference.Name}; {o.Runs} runs per scenario, {common}{draws}, engine {o.Engine}{placement}{UncertaintyOption.TableNote(o.Uncertainty)}");
        sb.AppendLine($"metric {o.Metric}: p50 of each scenario, and of the paired difference (scenario - reference) with its 90 % band [p5, p95]");
        var (number, difference) = Formats(o.Metric);
        foreach (var scenario in o.Scenarios.Skip(1))
        {
            var rows = new List<string[]>
            {
                new[] { "month", "market", "app", $"{o.Reference.Name} p50", $"{scenario.Name} p50", "difference p50 [p5, p95]", "relative" },
            };
            foreach (var month in o.Months)
            {
                foreach (var r in o.Rows.Where(r => r.Scenario == scenario.Name && r.Month == month && o.Apps.Contains(r.App)))
                {
                    rows.Add(
                    [
                        r.Month, r.Market, r.App == MetricRow.All ? "ALL (total)" : r.App,
                        number(r.Reference.P50), number(r.Value.P50),
                        $"{difference(r.Difference.P50)} [{difference(r.Difference.P5)}, {difference(r.Difference.P95)}]",
                        r.RelativeDifference is { } rel ? Signed(100 * rel.P50, "0.0") + " %" : "-",
                    ]);
                }
            }
            sb.AppendLine();
            sb.AppendLine($"{scenario.Name} vs {o.Reference.Name}");
            sb.Append(scenario.Question.Length > 0 ? $"  {scenario.Question}{Environment.NewLine}" : "");
            if (rows.Count == 1)
            {
                sb.AppendLine($"(no {o.Metric} values for apps {string.Join(", ", o.Apps)} in months {string.Join(", ", o.Months)})");
                continue;
            }
            SummaryTable.AppendTable(sb, rows, leftColumns: 3);
        }
        return sb.ToString();
    }

    /// <summary>How a value and a difference of the metric are printed: millions of users, per cent and points, billions of dollars, people.</summary>
    private static (Func<double, string> Number, Func<double, string> Difference) Formats(string metric) => metric switch
    {
        "market_share" => (v => (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + " %", v => Signed(100 * v, "0.0") + " pp"),
        "cash_usd" => (v => (v / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + "B", v => Signed(v / 1e9, "0.00") + "B"),
        "headcount" => (v => v.ToString("N0", CultureInfo.InvariantCulture), v => Signed(v, "N0")),
        "quality" => (v => v.ToString("0.000", CultureInfo.InvariantCulture), v => Signed(v, "0.000")),
        _ => (v => (v / 1e6).ToString("0.000", CultureInfo.InvariantCulture) + "M", v => Signed(v / 1e6, "0.000") + "M"),
    };

    /// <summary>A number with its sign (<c>+1.234</c>, <c>-0.5</c>, <c>0.000</c>).</summary>
    private static string Signed(double value, string format)
    {
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        if (text.TrimStart('-').All(c => c is '0' or '.' or ','))
        {
            return text.TrimStart('-');
        }
        return value > 0 ? "+" + text : text;
    }
}
