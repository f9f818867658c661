using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Simulation.Cli.Bench;

/// <summary>The machine a benchmark ran on, and how busy it was (the load average) at the start and the end.</summary>
public sealed record MachineInfo
{
    public required int Cores { get; init; }
    public required string Os { get; init; }
    public required string Runtime { get; init; }
    public required string Cpu { get; init; }
    /// <summary>Release or Debug: the build of the model code (a Debug build is several times slower).</summary>
    public required string Build { get; init; }
    public required string Gc { get; init; }
    public required string LoadAtStart { get; init; }
    public string? LoadAtEnd { get; init; }
    public long? PeakWorkingSetBytes { get; init; }

    public static MachineInfo Capture() => new()
    {
        Cores = Environment.ProcessorCount,
        Os = RuntimeInformation.OSDescription,
        Runtime = $"{RuntimeInformation.FrameworkDescription} {RuntimeInformation.ProcessArchitecture}",
        Cpu = CpuModel(),
        Build = IsOptimized(typeof(Simulation.Model.Engine.ReferenceRunner).Assembly) ? "Release" : "Debug",
        Gc = GcSettings(),
        LoadAtStart = LoadAverage(),
    };

    /// <summary>This record with the load average and the process's peak working set at the end.</summary>
    public MachineInfo Finish()
    {
        using var process = Process.GetCurrentProcess();
        return this with { LoadAtEnd = LoadAverage(), PeakWorkingSetBytes = process.PeakWorkingSet64 };
    }

    /// <summary>The machine: cores, CPU, OS, runtime, build.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"machine: {Cores} cores, {Cpu}";
        yield return $"         {Os}, {Runtime}, {Build} build, GC: {Gc}";
    }

    /// <summary>How busy the machine was, and the process's peak working set once finished.</summary>
    public IEnumerable<string> LoadLines()
    {
        yield return $"load average (1, 5, 15 min): {LoadAtStart} at start" + (LoadAtEnd is null ? "" : $", {LoadAtEnd} at end");
        if (PeakWorkingSetBytes is { } peak)
        {
            yield return $"process peak working set: {peak / 1e6:0} MB";
        }
    }

    /// <summary>"workstation, non-concurrent, large objects from 2,097,152 bytes": the collector's settings, which move every figure.</summary>
    private static string GcSettings()
    {
        var settings = GC.GetConfigurationVariables();
        var concurrent = settings.TryGetValue("ConcurrentGC", out var c) && c is true;
        var threshold = settings.TryGetValue("LOHThreshold", out var t) && t is long bytes ? bytes.ToString("N0", CultureInfo.InvariantCulture) : "?";
        return $"{(GCSettings.IsServerGC ? "server" : "workstation")}, {(concurrent ? "concurrent" : "non-concurrent")}, large objects from {threshold} bytes";
    }

    private static string CpuModel() => FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();

    private static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 3 ? string.Join(' ', fields[..3]) : "unknown";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static string? FirstValue(string path, string key)
    {
        try
        {
            return File.ReadLines(path)
                .Where(line => line.StartsWith(key, StringComparison.Ordinal) && line.Contains(':'))
                .Select(line => line[(line.IndexOf(':') + 1)..].Trim())
                .FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsOptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };
}
