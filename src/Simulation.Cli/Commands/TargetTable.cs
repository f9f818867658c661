using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Simulation.Model.Config;
using Simulation.Model.Targets;

namespace Simulation.Cli.Commands;

/// <summary>The targets table <c>sim run</c> prints and writes into summary.json.</summary>
public static class TargetTable
{
    /// <param name="freeParameters">The numbers the scenario marks for fitting (printed against the fitted figures).</param>
    public static string Render(IReadOnlyList<TargetResult> results, int freeParameters = 0)
    {
        if (results.Count == 0)
        {
            return "";
        }
        var rows = new List<string[]> { new[] { "target", "label", "expected", "simulated", "error", "within" } };
        rows.AddRange(results.Select(r => new[] { r.Target.Id, Label(r.Label), r.Expected, r.Simulated, r.Error, r.Within ? "yes" : "NO" }));
        var sb = new StringBuilder();
        var article = results.Where(r => TargetEvaluator.IsArticle(r.Target)).ToArray();
        var record = results.Where(r => !TargetEvaluator.IsArticle(r.Target)).ToArray();
        sb.Append(CultureInfo.InvariantCulture, $"Targets: {article.Count(r => r.Within)} of {article.Length} article targets within tolerance");
        if (record.Length > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"; {record.Count(r => r.Within)} of {record.Length} other observations");
        }
        sb.AppendLine();
        var fitted = results.Count(r => r.Label == TargetLabel.Fitted);
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Fit: {fitted} fitted targets against {freeParameters} free parameters; {results.Count(r => r.Label == TargetLabel.Emergent)} emergent, {results.Count(r => r.Label == TargetLabel.Scripted)} scripted, {results.Count(r => r.Label == TargetLabel.Input)} input (met by construction, not counted as reproduced)");
        SummaryTable.AppendTable(sb, rows, leftColumns: 4);
        return sb.ToString();
    }

    public static string Label(TargetLabel label) => label.ToString().ToLowerInvariant();

    public static JsonArray ToJson(IReadOnlyList<TargetResult> results) =>
    [
        .. results.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Target.Id,
            ["kind"] = r.Target.Kind.ToString(),
            ["label"] = Label(r.Label),
            ["article"] = r.Expected,
            ["simulated"] = r.Simulated,
            ["value"] = double.IsFinite(r.Value) ? Math.Round(r.Value, 6) : null,
            ["error"] = r.Error,
            ["within_tolerance"] = r.Within,
            ["source"] = r.Target.Source,
        }),
    ];
}
