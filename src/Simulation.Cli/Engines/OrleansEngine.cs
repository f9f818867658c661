using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Cli.Engines;

/// <summary>
/// Plays a run on an Orleans cluster: one scheduler grain per run drives the run's company grains (two
/// fan-outs a tick) and plays the job and user markets itself. The run is advanced in slices by the replicate loop
/// (<see cref="Replicates"/>), so no single call nears the response time-out and progress can be shown.
/// </summary>
/// <param name="silos">
/// On a cluster of <c>sim silo</c> processes, its silos: a slice whose answer was lost with a silo is asked again
/// (<see cref="OrleansTicker"/>), and the run's grains are deactivated when it ends (an embedded silo ends with the process).
/// </param>
/// <param name="log">Where a slice asked again is said (stderr).</param>
public sealed class OrleansEngine(IGrainFactory grains, SiloPool? silos = null, TextWriter? log = null) : IRunEngine
{
    public string Name => "orleans";

    public async Task RunAsync(ScenarioInfo scenario, ulong seed, Action<TickReport> collect, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var runId = $"run-{Guid.NewGuid():N}";
        var ticker = await OrleansTicker.StartAsync(grains, runId, scenario, seed, silos, log, ct);
        await Replicates.PlayAsync(ticker, collect, progress: progress, ct: ct);
        if (silos is not null)
        {
            await OrleansTicker.TidyAsync(grains, scenario, runId, "the run's", log, ct);
        }
    }
}
