using System.Collections.Immutable;
using Simulation.Model.Phases;

namespace Simulation.Contracts;

[GenerateSerializer, Immutable]
public sealed record RunProgress
{
    [Id(0)] public required int NextTick { get; init; }
    [Id(1)] public required int TickCount { get; init; }
    /// <summary>Reports of the ticks just played (empty for a status query).</summary>
    [Id(2)] public ImmutableArray<TickReport> Reports { get; init; } = [];

    public bool Finished => NextTick >= TickCount;
}
