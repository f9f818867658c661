using System.Collections.Immutable;

namespace Simulation.Grains.State;

/// <summary>
/// One company's stored state: its id and its checkpoints (no scenario: the run's <see cref="ScenarioGrain"/> keeps
/// it). Written at the run's checkpoints only (the end of each slice the scheduler plays), not every tick.
/// </summary>
[GenerateSerializer, Alias("sim.company-grain-state")]
public sealed record CompanyGrainState
{
    [Id(0)] public string? Company { get; set; }
    /// <summary>
    /// The company at the start of a tick: the one of the run's last committed checkpoint and, once written, the
    /// newer one the run is about to commit (at most two, oldest first), so a run that fails before its own write
    /// still finds its companies where it resumes.
    /// </summary>
    [Id(1)] public ImmutableArray<CompanyCheckpoint> Checkpoints { get; set; } = [];
}
