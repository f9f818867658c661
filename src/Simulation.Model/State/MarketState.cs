namespace Simulation.Model.State;

/// <summary>
/// A market's people: the potential M splits into never-adopted (M - active - lapsed), active and lapsed;
/// the apps' users (with multi-homing) live in <see cref="Apps"/>.
/// </summary>
public sealed class MarketState
{
    public required string Id { get; init; }
    /// <summary>The potential M: it grows with the best quality seen and never shrinks.</summary>
    public double Potential { get; set; }
    /// <summary>De-duplicated people active in at least one app.</summary>
    public double Active { get; set; }
    /// <summary>People who used the category and stopped (they may come back).</summary>
    public double Lapsed { get; set; }
    /// <summary>The market's apps in (company, app) order.</summary>
    public required AppUsers[] Apps { get; init; }

    public double NeverAdopted => Math.Max(0, Potential - Active - Lapsed);

    /// <summary>
    /// The working arrays of a tick, kept from tick to tick so a tick allocates only what it hands on (not
    /// state: never serialized, cleared by each tick before use, remade after a copy).
    /// </summary>
    internal Rules.MarketRules.Scratch? Scratch;
}
