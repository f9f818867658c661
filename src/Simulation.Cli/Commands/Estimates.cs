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
        await stderr.WriteLineAsync($"estimate: {estimate.Describe(cells)}; {ctrlC}");
    }
}
