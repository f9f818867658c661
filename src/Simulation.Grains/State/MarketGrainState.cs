using Simulation.Model.Phases;
using Simulation.Model.State;

namespace Simulation.Grains.State;

[GenerateSerializer]
public sealed record MarketGrainState
{
    [Id(0)] public MarketState? Market { get; set; }
    [Id(1)] public int AcquiredTick { get; set; } = -1;
    [Id(2)] public MarketOutcome? Outcome { get; set; }
}
