namespace Simulation.Exports;

/// <summary>The table formats a run can be written in (summary.json is always written).</summary>
public enum ExportFormat
{
    Csv,
    Parquet,
    Json,
}

public static class ExportFormats
{
    public static readonly IReadOnlyList<string> Names = ["csv", "parquet", "json"];

    /// <summary>
    /// Parses "csv", "parquet", "json", given repeatedly or as comma lists ("csv,parquet"); none means
    /// csv. Throws <see cref="FormatException"/> naming the unknown format.
    /// </summary>
    public static IReadOnlySet<ExportFormat> Parse(IEnumerable<string>? values)
    {
        var formats = new SortedSet<ExportFormat>();
        foreach (var name in (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            formats.Add(name.ToLowerInvariant() switch
            {
                "csv" => ExportFormat.Csv,
                "parquet" => ExportFormat.Parquet,
                "json" => ExportFormat.Json,
                _ => throw new FormatException($"--format: unknown format '{name}'; expected {string.Join(", ", Names)} (repeat the option or separate with commas)"),
            });
        }
        if (formats.Count == 0)
        {
            formats.Add(ExportFormat.Csv);
        }
        return formats;
    }
}
