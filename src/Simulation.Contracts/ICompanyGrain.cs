using System.Collections.Immutable;
using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Contracts;

/// <summary>One company of one run. Every phase call carries its tick and is idempotent for it.</summary>
public interface ICompanyGrain : IGrainWithStringKey
{
    /// <summary>Creates the company from the run's stored scenario (<see cref="IScenarioGrain"/>); again, it does nothing.</summary>
    Task Initialize(string company);

    /// <summary>Applies the tick's events and returns the company's decision.</summary>
    Task<CompanyDecision> Decide(int tick, MarketView view);

    Task<ImmutableArray<AppSupply>> Produce(int tick, CompanyTalent talent);

    Task<CompanySnapshot> Settle(int tick, CompanyTalent talent, ImmutableArray<AppOutcome> apps);

    /// <summary>Writes the state, so the run survives the grain's deactivation.</summary>
    Task Checkpoint();
}
