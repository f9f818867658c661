using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.State;

namespace Simulation.Grains.State;

[GenerateSerializer]
public sealed record TalentGrainState
{
    [Id(0)] public ScenarioInfo? Scenario { get; set; }
    [Id(1)] public ulong Seed { get; set; }
    [Id(2)] public TalentState? Talent { get; set; }
    [Id(3)] public int ResolvedTick { get; set; } = -1;
    [Id(4)] public TalentOutcome? Outcome { get; set; }
}
