using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.State;

namespace Simulation.Grains.State;

[GenerateSerializer]
public sealed record MarketGrainState
{
    [Id(0)] public ScenarioInfo? Scenario { get; set; }
    [Id(1)] public ulong Seed { get; set; }
    [Id(2)] public MarketState? Market { get; set; }
    [Id(3)] public int AcquiredTick { get; set; } = -1;
    [Id(4)] public MarketOutcome? Outcome { get; set; }
}
