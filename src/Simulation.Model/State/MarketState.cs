namespace Simulation.Model.State;

[GenerateSerializer]
public sealed class MarketState
{
    [Id(0)] public required string Id { get; init; }
    /// <summary>People who have adopted the category (Bass N).</summary>
    [Id(1)] public double Adopters { get; set; }
    /// <summary>The market's apps in (company, app) order.</summary>
    [Id(2)] public required AppUsers[] Apps { get; init; }
}
