using System.Collections.Immutable;
using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Contracts;

/// <summary>One user market of one run.</summary>
public interface IMarketGrain : IGrainWithStringKey
{
    Task Initialize(ScenarioInfo scenario, ulong seed, string market);

    Task<MarketOutcome> Acquire(int tick, ImmutableArray<AppSupply> supplies);

    Task Checkpoint();
}
