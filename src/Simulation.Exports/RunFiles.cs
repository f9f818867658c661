using System.Text;
using Simulation.Exports.Charts;

namespace Simulation.Exports;

/// <summary>What to write for a run besides summary.json.</summary>
public sealed record ExportOptions
{
    public IReadOnlySet<ExportFormat> Formats { get; init; } = new HashSet<ExportFormat> { ExportFormat.Csv };

    /// <summary>PNG and SVG charts under <c>charts/</c>.</summary>
    public bool Charts { get; init; } = true;

    public static ExportOptions Default { get; } = new();
}

/// <summary>
/// Every file of a run's output folder: the tables in the chosen formats, summary.json and the charts,
/// rendered in memory and then written together through <see cref="AtomicDirectory"/>, so a failure
/// (even while drawing a chart) leaves nothing half-written.
/// </summary>
public static class RunFiles
{
    public static async Task<IReadOnlyDictionary<string, byte[]>> RenderAsync(RunOutput output, ExportOptions options, CancellationToken ct = default)
    {
        var utf8 = new UTF8Encoding(false);
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        void AddAll(IEnumerable<KeyValuePair<string, byte[]>> more)
        {
            foreach (var (name, bytes) in more)
            {
                files[name] = bytes;
            }
        }

        if (options.Formats.Contains(ExportFormat.Csv))
        {
            AddAll(RunExport.Render(output).Where(f => f.Key.EndsWith(".csv", StringComparison.Ordinal))
                .Select(f => KeyValuePair.Create(f.Key, utf8.GetBytes(f.Value))));
        }
        if (options.Formats.Contains(ExportFormat.Parquet))
        {
            AddAll(await ParquetExport.RenderAsync(output, ct));
        }
        if (options.Formats.Contains(ExportFormat.Json))
        {
            AddAll(JsonExport.Render(output).Select(f => KeyValuePair.Create(f.Key, utf8.GetBytes(f.Value))));
        }
        files["summary.json"] = utf8.GetBytes(RunExport.Summary(output));
        if (options.Charts)
        {
            ct.ThrowIfCancellationRequested();
            AddAll(RunCharts.Render(output));
        }
        return files;
    }

    public static async Task<IReadOnlyDictionary<string, byte[]>> WriteAsync(RunOutput output, string directory, ExportOptions options, CancellationToken ct = default)
    {
        var files = await RenderAsync(output, options, ct);
        ct.ThrowIfCancellationRequested();
        AtomicDirectory.Write(directory, files);
        return files;
    }

    /// <summary>"events.csv, monthly.csv, summary.json, ticks.csv and 8 charts".</summary>
    public static string Describe(IEnumerable<string> names)
    {
        var list = names.ToList();
        var top = list.Where(n => !n.Contains('/', StringComparison.Ordinal)).ToList();
        var charts = list.Count(n => n.StartsWith(RunCharts.Folder + "/", StringComparison.Ordinal) && n.EndsWith(".png", StringComparison.Ordinal));
        var text = string.Join(", ", top);
        return charts == 0 ? text : $"{text} and {charts} charts (PNG and SVG) in {RunCharts.Folder}/";
    }
}
