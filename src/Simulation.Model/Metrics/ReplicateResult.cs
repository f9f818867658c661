using System.Collections.Immutable;
using Simulation.Model.Phases;

namespace Simulation.Model.Metrics;

/// <summary>
/// What one Monte Carlo replicate hands back: its monthly rows and its companies' final state, nothing
/// per tick. Small enough to cross a grain call; the same whichever placement ran it.
/// </summary>
public sealed record ReplicateResult
{
    /// <summary>The replicate's position in the batch (0, 1, ...): the order results are folded in.</summary>
    public required int Index { get; init; }
    public required ulong Seed { get; init; }
    /// <summary>Month, then market, then (company, app), then the market total: as in monthly.csv.</summary>
    public required ImmutableArray<MetricRow> Rows { get; init; }
    /// <summary>Each company at the last tick, in scenario order.</summary>
    public required ImmutableArray<CompanySnapshot> Companies { get; init; }

    /// <summary>The compact result of a finished run whose ticks <paramref name="collector"/> collected.</summary>
    public static ReplicateResult From(int index, ulong seed, DataCollector collector) => new()
    {
        Index = index,
        Seed = seed,
        Rows = [.. collector.MonthRows],
        Companies = [.. collector.FinalCompanies],
    };
}
