using System.Collections.Immutable;
using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Contracts;

/// <summary>The job market of one run: named researchers, offers, non-competes and arbitration.</summary>
public interface ITalentMarketGrain : IGrainWithStringKey
{
    /// <summary>Creates the job market from the run's stored scenario (<see cref="IScenarioGrain"/>); again, it does nothing.</summary>
    Task Initialize();

    Task<MarketView> View();

    Task<TalentOutcome> Resolve(int tick, ImmutableArray<CompanyDecision> decisions);

    Task Checkpoint();
}
