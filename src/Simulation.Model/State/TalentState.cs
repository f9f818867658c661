namespace Simulation.Model.State;

/// <summary>The job market's state: named researchers, pending arbitrations and active deterrence.</summary>
public sealed class TalentState
{
    /// <summary>In the scenario's researcher order (sorted by id).</summary>
    public required ResearcherState[] Researchers { get; init; }
    public List<ArbitrationState> Arbitrations { get; init; } = [];
    /// <summary>Per company (scenario order): the day until which a filing deters poaching of its staff.</summary>
    public required int[] DeterredUntilDay { get; init; }
    /// <summary>Per region, then per tier: the people looking for work (carried over from tick to tick).</summary>
    public double[][] Unemployed { get; init; } = [];

    /// <summary>
    /// The working arrays of a tick, kept from tick to tick so a tick allocates only what it hands on (not
    /// state: never serialized, reset by each tick before use, remade after a copy).
    /// </summary>
    internal Rules.TalentRules.Scratch? Scratch;

    /// <summary>
    /// The roster array of the last view made from this state, and the researchers the rules changed since (possibly
    /// repeated): a view made on that one compares and remakes only those (not state: never serialized; a copy starts
    /// without a base and compares every researcher).
    /// </summary>
    internal Phases.PublicResearcher[]? RosterBase;
    internal readonly List<int> Changed = [];
}
