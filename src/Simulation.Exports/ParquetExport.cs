using Parquet.Serialization;

namespace Simulation.Exports;

/// <summary>
/// monthly.parquet, ticks.parquet and events.parquet (Parquet.Net, Snappy), with the run's
/// <see cref="ExportTables.Metadata"/> in each file's key/value metadata.
/// </summary>
public static class ParquetExport
{
    public static async Task<IReadOnlyDictionary<string, byte[]>> RenderAsync(RunOutput output, CancellationToken ct = default) =>
        new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["monthly.parquet"] = await ToBytesAsync(ExportTables.Monthly(output), ExportTables.Metadata(output, "monthly"), ct),
            ["ticks.parquet"] = await ToBytesAsync(ExportTables.Ticks(output), ExportTables.Metadata(output, "ticks"), ct),
            ["events.parquet"] = await ToBytesAsync(ExportTables.Events(output), ExportTables.Metadata(output, "events"), ct),
        };

    public static async Task<byte[]> ToBytesAsync<T>(IReadOnlyList<T> rows, IReadOnlyDictionary<string, string> metadata, CancellationToken ct = default)
    {
        using var stream = new MemoryStream();
        await ParquetSerializer.SerializeAsync(rows, stream, options: null, customMetadata: metadata, cancellationToken: ct);
        return stream.ToArray();
    }
}
