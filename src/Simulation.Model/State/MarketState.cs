namespace Simulation.Model.State;

public sealed class MarketState
{
    public required string Id { get; init; }
    /// <summary>People who have adopted the category (Bass N).</summary>
    public double Adopters { get; set; }
    /// <summary>The market's apps in (company, app) order.</summary>
    public required AppUsers[] Apps { get; init; }
}
