using System.Globalization;
using System.Text;
using Simulation.Exports;
using Simulation.Model.Metrics;

namespace Simulation.Cli.Commands;

/// <summary>The per-company table <c>sim run --runs N</c> prints: each figure as p50 [p5–p95] over the runs.</summary>
public static class BandTable
{
    public static string Render(MonteCarloOutput output)
    {
        var month = output.Companies.FirstOrDefault()?.Month ?? "-";
        var rows = new List<string[]>
        {
            new[] { "company", "apps", $"MAU {month}", "peak MAU", "share", "headcount", "stars", "cash (USD)" },
        };
        foreach (var c in output.Companies)
        {
            rows.Add(
            [
                c.Company,
                string.Join(" ", c.Apps.Select(a => a.App)),
                Format(c.EndMau, v => (v / 1e6).ToString("0.000", CultureInfo.InvariantCulture), "M"),
                Format(c.PeakMau, v => (v / 1e6).ToString("0.000", CultureInfo.InvariantCulture), "M"),
                string.Join("; ", c.Apps.Select(a => Format(a.MarketShare, v => (100 * v).ToString("0.0", CultureInfo.InvariantCulture), " %"))),
                Format(c.Headcount, v => v.ToString("N0", CultureInfo.InvariantCulture), ""),
                Format(c.Stars, v => v.ToString("0", CultureInfo.InvariantCulture), ""),
                Format(c.CashUsd, v => (v / 1e9).ToString("0.00", CultureInfo.InvariantCulture), "B"),
            ]);
        }
        var sb = new StringBuilder();
        var placement = output.Placement is null ? "" : $", placement {output.Placement}";
        var seed = output.Uncertainty.VariesSeed ? $"base seed {output.BaseSeed}" : $"seed {output.BaseSeed} in every run";
        sb.AppendLine($"Scenario {output.ScenarioName}, {seed}, {output.Runs} runs, engine {output.Engine}{placement}{UncertaintyOption.TableNote(output.Uncertainty)}; p50 [p5–p95]");
        SummaryTable.AppendTable(sb, rows);
        return sb.ToString();
    }

    /// <summary>p50 with its unit, then the 90 % band: <c>58.637M [55.100–61.200]</c>.</summary>
    private static string Format(Band band, Func<double, string> number, string unit) =>
        $"{number(band.P50)}{unit} [{number(band.P5)}–{number(band.P95)}]";
}
