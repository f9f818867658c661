using System.Collections.Immutable;
using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Contracts;

/// <summary>One user market of one run.</summary>
public interface IMarketGrain : IGrainWithStringKey
{
    /// <summary>Creates the market from the run's stored scenario (<see cref="IScenarioGrain"/>); again, it does nothing.</summary>
    Task Initialize(string market);

    Task<MarketOutcome> Acquire(int tick, ImmutableArray<AppSupply> supplies);

    Task Checkpoint();
}
