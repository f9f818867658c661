using Simulation.Model.Phases;

namespace Simulation.Grains.State;

/// <summary>A company at the start of tick <see cref="Tick"/>: its state after the tick's events and its decision for the tick.</summary>
[GenerateSerializer, Immutable, Alias("sim.company-checkpoint")]
public sealed record CompanyCheckpoint
{
    [Id(0)] public required int Tick { get; init; }
    /// <summary>The company's <see cref="Simulation.Model.State.CompanyState"/> as model JSON: a copy, since the live state moves on.</summary>
    [Id(1)] public required byte[] State { get; init; }
    /// <summary>Its decision for <see cref="Tick"/> (null after the run's last tick).</summary>
    [Id(2)] public CompanyDecision? Decision { get; init; }
}
