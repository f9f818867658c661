using Orleans.Core.Internal;
using Simulation.Contracts;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Cli.Engines;

/// <summary>
/// A run's scheduler grain (<see cref="IRunGrain"/>) as a <see cref="ITicker"/> for <see cref="Replicates.PlayAsync(ITicker, Action{TickReport}, int, IProgress{ValueTuple{int, int}}?, CancellationToken)"/>.
/// It asks for the reports from the first tick it has not received, so a call that failed (a grain or a silo lost
/// mid-slice) is asked again and the run resumes from its stored checkpoint without losing or repeating a report.
/// </summary>
public sealed class OrleansTicker : ITicker
{
    /// <summary>Calls of a slice that failed with a cluster error (not a refusal) are tried this many times in all.</summary>
    public const int Attempts = 4;

    private readonly IRunGrain _run;

    private OrleansTicker(IRunGrain run, int tickCount)
    {
        _run = run;
        TickCount = tickCount;
    }

    public int NextTick { get; private set; }

    public int TickCount { get; private set; }

    /// <summary>What the scheduler asked of the company grains for the ticks received so far (counted by the scheduler).</summary>
    public RunCalls Calls { get; private set; }

    /// <summary>Slices asked again after a cluster error.</summary>
    public int Retries { get; private set; }

    /// <summary>Starts the run of <paramref name="runId"/> on its scheduler grain.</summary>
    public static async Task<OrleansTicker> StartAsync(IGrainFactory grains, string runId, ScenarioInfo scenario, ulong seed)
    {
        var run = grains.GetGrain<IRunGrain>(GrainKeys.Run(runId));
        await run.Start(scenario, seed);
        return new OrleansTicker(run, scenario.CreateCalendar().Count);
    }

    /// <summary>Deactivates a finished run's scheduler and company grains and clears its stored scenario.</summary>
    public static async Task DeactivateAsync(IGrainFactory grains, ScenarioInfo scenario, string runId)
    {
        var all = new List<IAddressable>(scenario.Companies.Length + 1) { grains.GetGrain<IRunGrain>(GrainKeys.Run(runId)) };
        foreach (var company in scenario.Companies)
        {
            all.Add(grains.GetGrain<ICompanyGrain>(GrainKeys.Company(runId, company.Id)));
        }
        await Task.WhenAll(all.Select(g => g.AsReference<IGrainManagementExtension>().DeactivateOnIdle().AsTask()));
        await grains.GetGrain<IScenarioGrain>(GrainKeys.Scenario(runId)).Clear();
    }

    public async ValueTask<IReadOnlyList<TickReport>> AdvanceAsync(int ticks)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var step = await _run.Advance(NextTick, ticks);
                NextTick += step.Reports.Length;
                TickCount = step.TickCount;
                Calls = new RunCalls
                {
                    Ticks = Calls.Ticks + step.Calls.Ticks,
                    FanOuts = Calls.FanOuts + step.Calls.FanOuts,
                    CompanyCalls = Calls.CompanyCalls + step.Calls.CompanyCalls,
                };
                return step.Reports;
            }
            catch (Exception e) when (attempt < Attempts && e is OrleansException or TimeoutException)
            {
                Retries++;
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
            }
        }
    }
}
