using System.Collections.Immutable;
using Simulation.Model.Phases;

namespace Simulation.Grains.State;

/// <summary>
/// The scheduler at the start of tick <see cref="Tick"/>: the roster and the companies' decisions for the tick, and
/// the job market and the user markets (played in the scheduler) as model JSON, copies, since the live states move on.
/// </summary>
[GenerateSerializer, Immutable, Alias("sim.run-checkpoint")]
public sealed record RunCheckpoint
{
    [Id(0)] public required int Tick { get; init; }
    [Id(1)] public required MarketView View { get; init; }
    /// <summary>In scenario order; empty after the run's last tick.</summary>
    [Id(2)] public required ImmutableArray<CompanyDecision> Decisions { get; init; }
    /// <summary>The <see cref="Simulation.Model.State.TalentState"/>.</summary>
    [Id(3)] public required byte[] Talent { get; init; }
    /// <summary>The <see cref="Simulation.Model.State.MarketState"/>s, in scenario order.</summary>
    [Id(4)] public required byte[] Markets { get; init; }
}
