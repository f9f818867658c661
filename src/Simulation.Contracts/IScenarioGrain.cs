using Simulation.Model.Config;

namespace Simulation.Contracts;

/// <summary>
/// The scenario and seed of one run, kept once for the run's grains. They read it when they activate, so no
/// grain's state carries its own copy of the scenario (it may be tens of megabytes) and a checkpoint writes only
/// what changed.
/// </summary>
public interface IScenarioGrain : IGrainWithStringKey
{
    /// <summary>Keeps the run's setup. Storing the same scenario and seed again does nothing; another is refused.</summary>
    Task Store(ScenarioInfo scenario, ulong seed);

    /// <summary>The run's setup, or null before <see cref="Store"/>.</summary>
    Task<RunSetup?> Setup();

    /// <summary>Forgets the setup (after the run), so storage does not keep it.</summary>
    Task Clear();
}

/// <summary>What a run is played from.</summary>
[GenerateSerializer, Immutable]
public sealed record RunSetup
{
    [Id(0)] public required ScenarioInfo Scenario { get; init; }
    [Id(1)] public required ulong Seed { get; init; }
}
