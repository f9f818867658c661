using Simulation.Model.Phases;
using Simulation.Model.State;

namespace Simulation.Grains.State;

[GenerateSerializer]
public sealed record TalentGrainState
{
    [Id(0)] public TalentState? Talent { get; set; }
    [Id(1)] public int ResolvedTick { get; set; } = -1;
    [Id(2)] public TalentOutcome? Outcome { get; set; }
}
