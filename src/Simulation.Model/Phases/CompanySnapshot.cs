namespace Simulation.Model.Phases;

/// <summary>A company at the end of a tick, as the metrics see it.</summary>
[GenerateSerializer, Immutable]
public sealed record CompanySnapshot
{
    [Id(0)] public required string Company { get; init; }
    [Id(1)] public required int Tick { get; init; }
    [Id(2)] public required double CashUsd { get; init; }
    /// <summary>Pool headcount plus stars.</summary>
    [Id(3)] public required double Headcount { get; init; }
    [Id(4)] public required int Stars { get; init; }
    [Id(5)] public required double ModelQuality { get; init; }
    [Id(6)] public required double RevenueUsd { get; init; }
    [Id(7)] public required double SpendUsd { get; init; }
    [Id(8)] public required double UnpaidUsd { get; init; }
}
