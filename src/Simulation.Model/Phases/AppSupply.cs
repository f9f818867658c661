namespace Simulation.Model.Phases;

/// <summary>What an app brings to its market this tick.</summary>
public sealed record AppSupply
{
    public required string App { get; init; }
    public required string Company { get; init; }
    public required string Market { get; init; }
    public required bool Launched { get; init; }
    /// <summary>App quality in the frontier's units (the owner's model quality x the app's quality factor).</summary>
    public required double Quality { get; init; }
    /// <summary>App quality over the frontier.</summary>
    public required double RelativeQuality { get; init; }
    /// <summary>Marketing for this app, per month (USD).</summary>
    public required double MarketingMonthlyUsd { get; init; }
    public required double Ecosystem { get; init; }
}
