using System.Collections.Immutable;
using Simulation.Model.Phases;
using Simulation.Model.State;

namespace Simulation.Grains.State;

/// <summary>
/// The scheduler's state, written at each checkpoint (the end of each slice it plays, after its companies have
/// written theirs): its progress, the job market and the user markets (played inside the scheduler), the next
/// tick's decisions (taken by the companies in the tick before) and the reports of the last slice, for a caller
/// whose answer was lost. The scenario and seed are the run's <see cref="ScenarioGrain"/>'s.
/// </summary>
[GenerateSerializer, Alias("sim.run-grain-state")]
public sealed record RunGrainState
{
    [Id(0)] public bool Started { get; set; }
    [Id(1)] public int NextTick { get; set; }
    /// <summary>The roster the next tick's decisions saw.</summary>
    [Id(2)] public MarketView? View { get; set; }
    /// <summary>The companies' decisions for <see cref="NextTick"/>, in scenario order.</summary>
    [Id(3)] public ImmutableArray<CompanyDecision> Decisions { get; set; } = [];
    [Id(4)] public TalentState? Talent { get; set; }
    /// <summary>In scenario order.</summary>
    [Id(5)] public MarketState[] Markets { get; set; } = [];
    /// <summary>The reports of the last slice played, up to <see cref="NextTick"/>, in tick order.</summary>
    [Id(6)] public ImmutableArray<TickReport> LastReports { get; set; } = [];
}
