namespace Simulation.Model.State;

/// <summary>The job market's state: named researchers, pending arbitrations and active deterrence.</summary>
[GenerateSerializer]
public sealed class TalentState
{
    /// <summary>In the scenario's researcher order (sorted by id).</summary>
    [Id(0)] public required ResearcherState[] Researchers { get; init; }
    [Id(1)] public List<ArbitrationState> Arbitrations { get; init; } = [];
    /// <summary>Per company (scenario order): the day until which a filing deters poaching of its staff.</summary>
    [Id(2)] public required int[] DeterredUntilDay { get; init; }
}
