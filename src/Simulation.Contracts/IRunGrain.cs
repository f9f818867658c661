using Simulation.Model.Config;

namespace Simulation.Contracts;

/// <summary>
/// The scheduler of one run: advances ticks in phases with barriers across the run's company,
/// talent-market and market grains. It can run to the end or advance N ticks and pause.
/// </summary>
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Sets the run up. Calling it again with the same scenario and seed does nothing.</summary>
    Task Start(ScenarioInfo scenario, ulong seed);

    /// <summary>Plays up to <paramref name="ticks"/> ticks (fewer at the end) and returns their reports.</summary>
    Task<RunProgress> Advance(int ticks);

    Task<RunProgress> Status();
}
