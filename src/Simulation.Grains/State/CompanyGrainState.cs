using System.Collections.Immutable;
using Simulation.Model.Phases;
using Simulation.Model.State;

namespace Simulation.Grains.State;

[GenerateSerializer]
public sealed record CompanyGrainState
{
    [Id(0)] public CompanyState? Company { get; set; }
    /// <summary>The last tick each phase ran for, and what it returned (a repeated call returns it again).</summary>
    [Id(1)] public int DecidedTick { get; set; } = -1;
    [Id(2)] public CompanyDecision? Decision { get; set; }
    [Id(3)] public int ProducedTick { get; set; } = -1;
    [Id(4)] public ImmutableArray<AppSupply> Supplies { get; set; } = [];
    [Id(5)] public int SettledTick { get; set; } = -1;
    [Id(6)] public CompanySnapshot? Snapshot { get; set; }
}
