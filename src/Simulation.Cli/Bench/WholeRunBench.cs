using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Simulation.Cli.Commands;
using Simulation.Cli.Engines;
using Simulation.Experiments;
using Simulation.Exports;
using Simulation.Scenarios;

namespace Simulation.Cli.Bench;

/// <summary>One part of a whole run: its wall time and the process's CPU time meanwhile (every thread: the GC's too).</summary>
public sealed record RunPart(string Part, double WallSeconds, double CpuSeconds);

/// <summary>What a whole <c>sim run FILE --engine reference</c> cost, measured by the process itself.</summary>
/// <param name="PeakWorkingSetBytes">The process's peak resident memory since it started (<see cref="Process.PeakWorkingSet64"/>, VmHWM on Linux).</param>
/// <param name="PeakHeapBytes">The largest managed heap seen after a garbage collection (<see cref="GC.GetGCMemoryInfo()"/>, sampled while the run plays).</param>
/// <param name="Files">Each file written with its size in bytes.</param>
public sealed record WholeRunResult(
    string Scenario, string Name, int Companies, int Researchers, int Apps, int Markets, int Ticks,
    IReadOnlyList<RunPart> Parts, long PeakWorkingSetBytes, long PeakHeapBytes, long AllocatedBytes, int Gen2Collections, double GcPausePercent,
    IReadOnlyDictionary<string, long> Files, string OutDir)
{
    public double WallSeconds => Parts.Sum(p => p.WallSeconds);

    public double CpuSeconds => Parts.Sum(p => p.CpuSeconds);

    public long OutputBytes => Files.Values.Sum();
}

/// <summary>
/// <c>sim bench --run FILE</c>: plays a scenario once as <c>sim run FILE --engine reference --out DIR</c> does (load and
/// validate, play with the reference runner collecting every tick, write the tables, summary.json and charts) in this
/// process, and measures it: wall and CPU time per part, the process's peak working set, the managed heap's peak and the
/// outputs' sizes. The same library calls as <c>sim run</c>, without the progress bar.
/// </summary>
public static class WholeRunBench
{
    public static async Task<WholeRunResult> RunAsync(string scenario, string outDir, ExportOptions export, TextWriter log, CancellationToken ct)
    {
        OutputFolder.Check(outDir);
        var parts = new List<RunPart>();
        var peakHeap = 0L;
        using var sampler = new Timer(_ => peakHeap = Math.Max(peakHeap, GC.GetGCMemoryInfo().HeapSizeBytes), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
        var allocated = GC.GetTotalAllocatedBytes();
        var gen2 = GC.CollectionCount(2);
        var pause = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();

        async Task<T> Part<T>(string name, Func<Task<T>> work)
        {
            var (wall, cpu) = (Stopwatch.StartNew(), CpuClock.Process());
            var result = await work();
            parts.Add(new RunPart(name, wall.Elapsed.TotalSeconds, CpuClock.Process() - cpu));
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"bench: {name}: {wall.Elapsed.TotalSeconds:0.0} s"));
            return result;
        }

        var loaded = await Part("load and validate", () => Task.FromResult(ScenarioLoader.Load(scenario)));
        var info = loaded.Info;
        var output = await Part("play (reference runner)", () => SimulationRun.RunAsync(new ReferenceEngine(), loaded, info.Seed, ct: ct));
        var files = await Part("write outputs", () => RunFiles.WriteAsync(output, outDir, export, ct));
        var elapsed = clock.Elapsed;
        peakHeap = Math.Max(peakHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new WholeRunResult(
            scenario, info.Name, info.Companies.Length, info.Talent.Researchers.Length, info.Apps.Count(), info.Markets.Length, info.CreateCalendar().Count,
            parts, process.PeakWorkingSet64, peakHeap, GC.GetTotalAllocatedBytes() - allocated, GC.CollectionCount(2) - gen2,
            100 * (GC.GetTotalPauseDuration() - pause) / elapsed,
            files.ToDictionary(f => f.Key, f => (long)f.Value.Length, StringComparer.Ordinal), outDir);
    }

    /// <summary>The measurement as a plain-text report.</summary>
    public static string Report(WholeRunResult r)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"Whole run of {r.Scenario} ({r.Name}) as `sim run {r.Scenario} --engine reference --out {r.OutDir}` plays it, in this process");
        sb.AppendLine(inv, $"{r.Companies:N0} companies, {r.Researchers:N0} researchers, {r.Apps:N0} apps in {r.Markets:N0} markets, {r.Ticks:N0} ticks");
        var table = new List<string[]> { new[] { "part", "wall s", "CPU s" } };
        table.AddRange(r.Parts.Select(p => new[] { p.Part, p.WallSeconds.ToString("0.0", inv), p.CpuSeconds.ToString("0.0", inv) }));
        table.Add(["total", r.WallSeconds.ToString("0.0", inv), r.CpuSeconds.ToString("0.0", inv)]);
        SummaryTable.AppendTable(sb, table, leftColumns: 1);
        sb.AppendLine(inv, $"peak working set: {r.PeakWorkingSetBytes / (double)(1L << 30):0.00} GiB ({r.PeakWorkingSetBytes / 1e6:N0} MB; the process's, since it started)");
        sb.AppendLine(inv, $"managed heap: peak {r.PeakHeapBytes / 1e6:N0} MB after a collection, {r.AllocatedBytes / 1e9:0.0} GB allocated, {r.Gen2Collections} gen-2 collections, {r.GcPausePercent:0.0} % of the time in GC pauses");
        sb.AppendLine(inv, $"outputs: {r.OutputBytes / 1e6:N1} MB in {r.Files.Count} files; largest:");
        foreach (var (name, bytes) in r.Files.OrderByDescending(f => f.Value).ThenBy(f => f.Key, StringComparer.Ordinal).Take(5))
        {
            sb.AppendLine(inv, $"  {name,-32} {bytes / 1e6,10:N1} MB");
        }
        return sb.ToString();
    }

    public static JsonObject Json(WholeRunResult r) => new()
    {
        ["scenario"] = r.Scenario,
        ["name"] = r.Name,
        ["companies"] = r.Companies,
        ["researchers"] = r.Researchers,
        ["apps"] = r.Apps,
        ["markets"] = r.Markets,
        ["ticks"] = r.Ticks,
        ["parts"] = new JsonArray([.. r.Parts.Select(p => (JsonNode)new JsonObject { ["part"] = p.Part, ["wall_seconds"] = p.WallSeconds, ["cpu_seconds"] = p.CpuSeconds })]),
        ["wall_seconds"] = r.WallSeconds,
        ["cpu_seconds"] = r.CpuSeconds,
        ["peak_working_set_bytes"] = r.PeakWorkingSetBytes,
        ["peak_heap_bytes"] = r.PeakHeapBytes,
        ["allocated_bytes"] = r.AllocatedBytes,
        ["gen2_collections"] = r.Gen2Collections,
        ["gc_pause_percent"] = r.GcPausePercent,
        ["files"] = new JsonObject([.. r.Files.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))]),
    };
}
