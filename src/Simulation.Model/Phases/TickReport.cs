using System.Collections.Immutable;

namespace Simulation.Model.Phases;

/// <summary>Everything the metrics collect from one tick.</summary>
[GenerateSerializer, Immutable]
public sealed record TickReport
{
    [Id(0)] public required int Tick { get; init; }
    /// <summary>In scenario order.</summary>
    [Id(1)] public required ImmutableArray<CompanySnapshot> Companies { get; init; }
    /// <summary>In scenario order.</summary>
    [Id(2)] public required ImmutableArray<MarketOutcome> Markets { get; init; }
    [Id(3)] public required ImmutableArray<SimEvent> Events { get; init; }
}
