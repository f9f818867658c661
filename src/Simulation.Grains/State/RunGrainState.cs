using Simulation.Model.Phases;

namespace Simulation.Grains.State;

/// <summary>The scheduler's progress; the scenario and seed are the run's <see cref="ScenarioGrain"/>'s.</summary>
[GenerateSerializer]
public sealed record RunGrainState
{
    [Id(0)] public bool Started { get; set; }
    [Id(1)] public int NextTick { get; set; }
    /// <summary>The roster the next tick's decisions see.</summary>
    [Id(2)] public MarketView? View { get; set; }
}
