using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Grains.State;

[GenerateSerializer]
public sealed record RunGrainState
{
    [Id(0)] public ScenarioInfo? Scenario { get; set; }
    [Id(1)] public ulong Seed { get; set; }
    [Id(2)] public int NextTick { get; set; }
    /// <summary>The roster the next tick's decisions see.</summary>
    [Id(3)] public MarketView? View { get; set; }
}
