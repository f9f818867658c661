using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Phases;

namespace Simulation.Cli.Engines;

/// <summary>The plain in-process loop: no Orleans, the oracle for the grains.</summary>
public sealed class ReferenceEngine : IRunEngine
{
    public string Name => "reference";

    public Task RunAsync(ScenarioInfo scenario, ulong seed, Action<TickReport> collect, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var runner = new ReferenceRunner(scenario, seed);
        while (runner.NextTick < runner.TickCount)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var report in runner.Advance(OrleansEngine.TicksPerCall))
            {
                collect(report);
            }
            progress?.Report((runner.NextTick, runner.TickCount));
        }
        return Task.CompletedTask;
    }
}
