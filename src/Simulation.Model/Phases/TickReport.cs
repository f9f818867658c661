using System.Collections.Immutable;

namespace Simulation.Model.Phases;

/// <summary>Everything the metrics collect from one tick.</summary>
public sealed record TickReport
{
    public required int Tick { get; init; }
    /// <summary>In scenario order.</summary>
    public required ImmutableArray<CompanySnapshot> Companies { get; init; }
    /// <summary>In scenario order.</summary>
    public required ImmutableArray<MarketOutcome> Markets { get; init; }
    public required ImmutableArray<SimEvent> Events { get; init; }
    /// <summary>Each region's job market, in region order.</summary>
    public ImmutableArray<RegionLabour> Labour { get; init; } = [];
}
