using Simulation.Contracts;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Cli.Engines;

/// <summary>A run's scheduler grain (<see cref="IRunGrain"/>) as a <see cref="ITicker"/> for <see cref="Replicates.PlayAsync(ITicker, Action{TickReport}, int, IProgress{ValueTuple{int, int}}?, CancellationToken)"/>.</summary>
public sealed class OrleansTicker : ITicker
{
    private readonly IRunGrain _run;

    private OrleansTicker(IRunGrain run, int tickCount)
    {
        _run = run;
        TickCount = tickCount;
    }

    public int NextTick { get; private set; }

    public int TickCount { get; private set; }

    /// <summary>Starts the run of <paramref name="runId"/> on its scheduler grain.</summary>
    public static async Task<OrleansTicker> StartAsync(IGrainFactory grains, string runId, ScenarioInfo scenario, ulong seed)
    {
        var run = grains.GetGrain<IRunGrain>(GrainKeys.Run(runId));
        await run.Start(scenario, seed);
        return new OrleansTicker(run, scenario.CreateCalendar().Count);
    }

    public async ValueTask<IReadOnlyList<TickReport>> AdvanceAsync(int ticks)
    {
        var step = await _run.Advance(ticks);
        (NextTick, TickCount) = (step.NextTick, step.TickCount);
        return step.Reports;
    }
}
