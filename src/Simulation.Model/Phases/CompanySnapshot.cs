namespace Simulation.Model.Phases;

/// <summary>A company at the end of a tick, as the metrics see it.</summary>
public sealed record CompanySnapshot
{
    public required string Company { get; init; }
    public required int Tick { get; init; }
    public required double CashUsd { get; init; }
    /// <summary>Pool headcount plus stars.</summary>
    public required double Headcount { get; init; }
    public required int Stars { get; init; }
    public required double ModelQuality { get; init; }
    public required double RevenueUsd { get; init; }
    public required double SpendUsd { get; init; }
    public required double UnpaidUsd { get; init; }
}
