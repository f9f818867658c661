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
    /// <summary>What the scheduler asked of the company grains to play these reports' ticks (counted by this call; none for a status query).</summary>
    [Id(3)] public RunCalls Calls { get; init; }
    /// <summary>The silo whose scheduler answered: a caller that sees it leave the cluster knows an answer still out is lost.</summary>
    [Id(4)] public SiloAddress? Silo { get; init; }

    public bool Finished => NextTick >= TickCount;
}

/// <summary>What a scheduler asked of the company grains: counted where the calls are made, not derived from the design.</summary>
[GenerateSerializer, Immutable, Alias("sim.run-calls")]
public readonly record struct RunCalls
{
    /// <summary>Ticks played and reported (a slice played again after a failure counts once).</summary>
    [Id(0)] public int Ticks { get; init; }
    /// <summary>Awaited fan-outs to the company grains (one per phase that reaches every company), those of slices played again included.</summary>
    [Id(1)] public int FanOuts { get; init; }
    /// <summary>Grain calls in those fan-outs.</summary>
    [Id(2)] public long CompanyCalls { get; init; }
}
