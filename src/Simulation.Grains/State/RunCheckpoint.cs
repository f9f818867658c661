using System.Collections.Immutable;
using Simulation.Model.Phases;

namespace Simulation.Grains.State;

/// <summary>
/// The scheduler at the start of tick <see cref="Tick"/>: the companies' decisions for the tick, the job market (its
/// binary form) and the user markets (model JSON), played in the scheduler: copies, since the live states move on. The
/// roster the companies decide on is made again from the job market's state.
/// </summary>
[GenerateSerializer, Immutable, Alias("sim.run-checkpoint.v2")]
public sealed record RunCheckpoint
{
    [Id(0)] public required int Tick { get; init; }
    /// <summary>In scenario order; empty after the run's last tick.</summary>
    [Id(2)] public required ImmutableArray<CompanyDecision> Decisions { get; init; }
    /// <summary>The <see cref="Simulation.Model.State.TalentState"/> (<see cref="Simulation.Model.State.TalentStateCodec"/>).</summary>
    [Id(3)] public required byte[] Talent { get; init; }
    /// <summary>The <see cref="Simulation.Model.State.MarketState"/>s, in scenario order.</summary>
    [Id(4)] public required byte[] Markets { get; init; }
}
