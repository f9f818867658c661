using Simulation.Contracts;
using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Cli.Engines;

/// <summary>
/// Plays a run on an Orleans cluster: one scheduler grain per run drives the run's company,
/// talent-market and market grains. The client advances the run in slices, so no single call nears
/// the response time-out and progress can be shown.
/// </summary>
public sealed class OrleansEngine(IGrainFactory grains) : IRunEngine
{
    /// <summary>Ticks per scheduler call (about a month of day ticks).</summary>
    public const int TicksPerCall = 31;

    public string Name => "orleans";

    public async Task RunAsync(ScenarioInfo scenario, ulong seed, Action<TickReport> collect, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var run = grains.GetGrain<IRunGrain>(GrainKeys.Run($"run-{Guid.NewGuid():N}"));
        await run.Start(scenario, seed);
        RunProgress step;
        do
        {
            ct.ThrowIfCancellationRequested();
            step = await run.Advance(TicksPerCall);
            foreach (var report in step.Reports)
            {
                collect(report);
            }
            progress?.Report((step.NextTick, step.TickCount));
        }
        while (!step.Finished);
    }
}
