using Simulation.Contracts;

namespace Simulation.Grains.State;

[GenerateSerializer]
public sealed record ScenarioGrainState
{
    [Id(0)] public RunSetup? Setup { get; set; }
}
