namespace Simulation.Grains.State;

/// <summary>
/// The scheduler's stored state: two checkpoints, written at the end of each slice it plays (after its companies
/// have written theirs). No reports and no scenario (the run's <see cref="ScenarioGrain"/> keeps that).
/// </summary>
[GenerateSerializer, Alias("sim.run-grain-state")]
public sealed record RunGrainState
{
    [Id(0)] public bool Started { get; set; }
    /// <summary>The run at the end of the last slice played.</summary>
    [Id(1)] public RunCheckpoint? Latest { get; set; }
    /// <summary>
    /// The run at the start of that slice, kept until the caller asks for the reports from <see cref="Latest"/>'s tick
    /// on: a caller whose answer was lost asks from this one's tick, and the slice is played again from it.
    /// </summary>
    [Id(2)] public RunCheckpoint? Previous { get; set; }
}
