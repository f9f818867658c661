using System.Globalization;
using System.Text;
using Simulation.Exports;
using Simulation.Model.Metrics;

namespace Simulation.Cli.Commands;

/// <summary>The per-company table <c>sim run</c> prints: end and peak actives, share, headcount, stars, cash.</summary>
public static class SummaryTable
{
    public static string Render(RunOutput output)
    {
        var last = RunExport.LastMonth(output.MonthRows).Where(r => r.Company != MetricRow.All).ToList();
        var month = last.FirstOrDefault()?.Month ?? "-";
        var rows = new List<string[]>
        {
            new[] { "company", "apps", $"MAU {month}", "peak MAU", "share", "headcount", "stars", "cash (USD)" },
        };
        foreach (var c in output.FinalCompanies)
        {
            var apps = last.Where(r => r.Company == c.Company).ToList();
            var peak = output.MonthRows.Where(r => r.Company == c.Company)
                .GroupBy(r => r.Month).Select(g => g.Sum(r => r.Mau)).DefaultIfEmpty(0).Max();
            rows.Add(
            [
                c.Company,
                string.Join(" ", apps.Select(a => a.App)),
                Millions(apps.Sum(a => a.Mau)),
                Millions(peak),
                string.Join(" ", apps.Select(a => a.MarketShare.ToString("P1", CultureInfo.InvariantCulture))),
                c.Headcount.ToString("N0", CultureInfo.InvariantCulture),
                c.Stars.ToString(CultureInfo.InvariantCulture),
                Billions(c.CashUsd),
            ]);
        }
        var sb = new StringBuilder();
        sb.AppendLine($"Scenario {output.ScenarioName}, seed {output.Seed}, engine {output.Engine}");
        AppendTable(sb, rows);
        sb.Append(TargetTable.Render(output.Targets, output.FreeParameters));
        return sb.ToString();
    }

    /// <summary>Aligns a table: the first <paramref name="leftColumns"/> columns to the left, numbers to the right.</summary>
    public static void AppendTable(StringBuilder sb, List<string[]> rows, int leftColumns = 2)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            sb.AppendLine(string.Join("  ", rows[r].Select((cell, i) => i < leftColumns ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
            if (r == 0)
            {
                sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }

    private static string Millions(double users) => (users / 1e6).ToString("0.000", CultureInfo.InvariantCulture) + "M";

    private static string Billions(double usd) => (usd / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + "B";
}
