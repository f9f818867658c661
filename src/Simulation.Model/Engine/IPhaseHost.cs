using Simulation.Model.Phases;
using Simulation.Model.Time;

namespace Simulation.Model.Engine;

/// <summary>
/// Where the entities of a run live and how a phase reaches them: in plain objects (the reference
/// runner) or in grains (the Orleans engine). Each call covers every entity of its kind, in scenario
/// order, and must be idempotent for its tick. The arrays a host returns must be new for the call (the pipeline
/// keeps them in its report); the arrays it is given are the pipeline's, refilled every tick: copy what it keeps.
/// </summary>
public interface IPhaseHost
{
    /// <summary>Applies the tick's events to each company and collects its decision.</summary>
    ValueTask<CompanyDecision[]> DecideAsync(Tick tick, MarketView view);

    /// <summary>Plays the job market on every company's decision; <paramref name="view"/> is the roster they decided on (the next one is made from it).</summary>
    ValueTask<TalentOutcome> ResolveAsync(Tick tick, MarketView view, CompanyDecision[] decisions);

    /// <summary>Per company, one supply per app (in the company's app order).</summary>
    ValueTask<AppSupply[][]> ProduceAsync(Tick tick, TalentOutcome talent);

    /// <summary>Per market, its apps' supplies (in the market's app order).</summary>
    ValueTask<MarketOutcome[]> AcquireAsync(Tick tick, AppSupply[][] suppliesByMarket);

    /// <summary>Per company, the outcomes of its apps (in the company's app order).</summary>
    ValueTask<CompanySnapshot[]> SettleAsync(Tick tick, TalentOutcome talent, AppOutcome[][] outcomesByCompany);
}
