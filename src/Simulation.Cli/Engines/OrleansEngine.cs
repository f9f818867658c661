using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Cli.Engines;

/// <summary>
/// Plays a run on an Orleans cluster: one scheduler grain per run drives the run's company grains (two
/// fan-outs a tick) and plays the job and user markets itself. The run is advanced in slices by the replicate loop
/// (<see cref="Replicates"/>), so no single call nears the response time-out and progress can be shown.
/// </summary>
public sealed class OrleansEngine(IGrainFactory grains) : IRunEngine
{
    public string Name => "orleans";

    public async Task RunAsync(ScenarioInfo scenario, ulong seed, Action<TickReport> collect, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var ticker = await OrleansTicker.StartAsync(grains, $"run-{Guid.NewGuid():N}", scenario, seed);
        await Replicates.PlayAsync(ticker, collect, progress: progress, ct: ct);
    }
}
