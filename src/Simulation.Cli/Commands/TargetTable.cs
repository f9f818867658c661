using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Simulation.Model.Targets;

namespace Simulation.Cli.Commands;

/// <summary>The targets table <c>sim run</c> prints and writes into summary.json.</summary>
public static class TargetTable
{
    public static string Render(IReadOnlyList<TargetResult> results)
    {
        if (results.Count == 0)
        {
            return "";
        }
        var rows = new List<string[]> { new[] { "target", "article", "simulated", "error", "within" } };
        rows.AddRange(results.Select(r => new[] { r.Target.Id, r.Expected, r.Simulated, r.Error, r.Within ? "yes" : "NO" }));
        var sb = new StringBuilder();
        var met = results.Count(r => r.Within);
        sb.AppendLine(CultureInfo.InvariantCulture, $"Targets: {met} of {results.Count} within tolerance");
        SummaryTable.AppendTable(sb, rows, leftColumns: 3);
        return sb.ToString();
    }

    public static JsonArray ToJson(IReadOnlyList<TargetResult> results) =>
    [
        .. results.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Target.Id,
            ["kind"] = r.Target.Kind.ToString(),
            ["article"] = r.Expected,
            ["simulated"] = r.Simulated,
            ["value"] = double.IsFinite(r.Value) ? Math.Round(r.Value, 6) : null,
            ["error"] = r.Error,
            ["within_tolerance"] = r.Within,
            ["source"] = r.Target.Source,
        }),
    ];
}
