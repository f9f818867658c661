using System.Diagnostics;
using System.Reflection;
using Simulation.Experiments;

namespace Simulation.Cli.Commands;

/// <summary>Says on stderr, before a long batch starts, how long it will take and what Ctrl+C does.</summary>
internal static class Estimates
{
    public static async Task SayAsync(TextWriter stderr, Estimate estimate, string cells, bool keepsWhatFinished)
    {
        if (estimate.Total < Estimate.WorthSaying)
        {
            return;
        }
        var ctrlC = keepsWhatFinished ? "Ctrl+C stops and keeps what finished" : "Ctrl+C stops (nothing is written)";
        await stderr.WriteLineAsync($"estimate: {estimate.Describe(cells)}; {ctrlC}{DebugNote}");
    }

    /// <summary>
    /// Said after an estimate when the model runs unoptimized (a Debug build, as a plain <c>dotnet run</c> makes): its
    /// evaluations take several times as long as README's figures, which are a Release build's.
    /// </summary>
    public static string DebugNote { get; } =
        typeof(Simulation.Model.Engine.ReferenceRunner).Assembly.GetCustomAttribute<DebuggableAttribute>() is { IsJITOptimizerDisabled: true }
            ? "; note: a Debug build, several times slower than README's figures (a Release build: dotnet run --project src/Simulation.Cli -c Release -- ...)"
            : "";
}
