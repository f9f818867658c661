using System.Collections.Immutable;
using Simulation.Model.Config;

namespace Simulation.Model.Phases;

/// <summary>
/// A company's decision for one tick: its spending plan and its moves in the job market. A value, so
/// the scheduler can collect it from a policy or, in a workshop, from a team.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CompanyDecision
{
    [Id(0)] public required string Company { get; init; }
    [Id(1)] public required int Tick { get; init; }
    /// <summary>The policy in force (the job market reads its non-compete and arbitration stance).</summary>
    [Id(2)] public required PolicyInfo Policy { get; init; }
    [Id(3)] public required double RevenueUsd { get; init; }
    [Id(4)] public required double PayrollUsd { get; init; }
    [Id(5)] public required double ComputeUsd { get; init; }
    [Id(6)] public required double MarketingUsd { get; init; }
    /// <summary>Share of pool headcount laid off because cash ran short (0 normally).</summary>
    [Id(7)] public double LayoffShare { get; init; }
    /// <summary>Current pool headcount and openings per tier.</summary>
    [Id(8)] public required ImmutableArray<double> Headcount { get; init; }
    [Id(9)] public required ImmutableArray<double> Openings { get; init; }
    /// <summary>Offers to named researchers, sorted by person.</summary>
    [Id(10)] public ImmutableArray<StarOffer> Offers { get; init; } = [];
}

[GenerateSerializer, Immutable]
public sealed record StarOffer
{
    [Id(0)] public required string Person { get; init; }
    [Id(1)] public required string Company { get; init; }
    [Id(2)] public required double MonthlySalaryUsd { get; init; }
    [Id(3)] public required double FounderAttention { get; init; }
}
