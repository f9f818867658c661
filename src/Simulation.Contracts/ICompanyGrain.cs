using System.Collections.Immutable;
using Orleans.Concurrency;
using Simulation.Model.Phases;

namespace Simulation.Contracts;

/// <summary>
/// One company of one run. A tick reaches it in two calls: <see cref="Produce"/> (after the job market) and
/// <see cref="Settle"/> (after the user markets), which also takes the next tick's decision, so the scheduler's
/// decide phase needs no call of its own. Every call carries its tick: a repeated call is answered from what the
/// grain kept, and a call for the tick of one of its checkpoints (a scheduler resuming from its last checkpoint)
/// starts again from that checkpoint. Arrays travel as <see cref="Immutable{T}"/>: inside a silo they are handed
/// over, not copied.
/// </summary>
public interface ICompanyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the company from the run's stored scenario (<see cref="IScenarioGrain"/>), applies the first tick's
    /// events, writes its first checkpoint and returns its decision for the first tick, taken on
    /// <paramref name="view"/>, or with null on the run's roster of tick 0 as its scheduler shares it
    /// (<see cref="IRunGrain.View"/>, fetched once per silo); again, it returns that decision.
    /// </summary>
    Task<CompanyDecision> Begin(string company, MarketView? view);

    /// <summary>Applies the job market's result for the company and returns one supply per app (in its app order).</summary>
    Task<Immutable<ImmutableArray<AppSupply>>> Produce(int tick, CompanyTalent talent);

    /// <summary>
    /// Settles the tick's cash with its apps' outcomes (in its app order) and, when <paramref name="decideNext"/> (not
    /// on the last tick), applies the next tick's events and decides it on the roster of the next tick, which the
    /// scheduler shares (<see cref="IRunGrain.View"/>): the roster is not in the call, so it crosses to a silo once a
    /// tick, not once per company. With
    /// <paramref name="committed"/> 0 or more it then writes a checkpoint of the next tick's start, keeping the one
    /// of tick <paramref name="committed"/> (the scheduler's last written), and drops any older.
    /// </summary>
    Task<Settlement> Settle(int tick, CompanyTalent talent, Immutable<ImmutableArray<AppOutcome>> apps, bool decideNext, int committed);
}

/// <summary>A company's end of one tick and its decision for the next (null after the last tick).</summary>
[GenerateSerializer, Immutable, Alias("sim.settlement")]
public sealed record Settlement
{
    [Id(0)] public required CompanySnapshot Snapshot { get; init; }
    [Id(1)] public CompanyDecision? Next { get; init; }
}
