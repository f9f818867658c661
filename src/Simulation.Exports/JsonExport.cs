using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Simulation.Exports;

/// <summary>
/// monthly.json, ticks.json and events.json: an object with the run's metadata and its rows,
/// one row object per line: <c>{"metadata": {...}, "rows": [{...}, ...]}</c>.
/// </summary>
public static class JsonExport
{
    private static readonly JsonSerializerOptions Row = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly JsonSerializerOptions Header = new(Row) { WriteIndented = true, IndentSize = 2 };

    public static IReadOnlyDictionary<string, string> Render(RunOutput output) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["monthly.json"] = Table(ExportTables.Monthly(output), output, "monthly"),
        ["ticks.json"] = Table(ExportTables.Ticks(output), output, "ticks"),
        ["events.json"] = Table(ExportTables.Events(output), output, "events"),
    };

    public static string Table<T>(IReadOnlyList<T> rows, RunOutput output, string table)
    {
        var metadata = ExportTables.MetadataJson(output, table).ToJsonString(Header).Replace("\n", "\n  ", StringComparison.Ordinal);
        var sb = new StringBuilder();
        sb.Append("{\n  \"metadata\": ").Append(metadata).Append(",\n  \"rows\": [");
        for (var i = 0; i < rows.Count; i++)
        {
            sb.Append(i == 0 ? "\n    " : ",\n    ").Append(JsonSerializer.Serialize(rows[i], Row));
        }
        sb.Append(rows.Count == 0 ? "]\n}\n" : "\n  ]\n}\n");
        return sb.ToString();
    }
}
