namespace Simulation.Model.Phases;

/// <summary>What an app brings to its market this tick.</summary>
[GenerateSerializer, Immutable]
public sealed record AppSupply
{
    [Id(0)] public required string App { get; init; }
    [Id(1)] public required string Company { get; init; }
    [Id(2)] public required string Market { get; init; }
    [Id(3)] public required bool Launched { get; init; }
    /// <summary>App quality over the frontier.</summary>
    [Id(4)] public required double RelativeQuality { get; init; }
    /// <summary>Marketing for this app, per month (USD).</summary>
    [Id(5)] public required double MarketingMonthlyUsd { get; init; }
    [Id(6)] public required double Ecosystem { get; init; }
}
