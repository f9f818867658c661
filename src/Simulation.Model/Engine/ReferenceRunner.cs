using System.Runtime.InteropServices;
using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Model.State;
using Simulation.Model.Time;

namespace Simulation.Model.Engine;

/// <summary>
/// The model in a plain in-process loop, without Orleans: the oracle the Orleans engine must match
/// byte for byte, and the baseline benchmarks compare it against.
/// </summary>
public sealed class ReferenceRunner : IPhaseHost
{
    private readonly ScenarioContext _context;
    private readonly TickPipeline _pipeline;
    private readonly CompanyState[] _companies;
    private readonly TalentState _talent;
    private readonly MarketState[] _markets;
    private MarketView _view;
    private CompanyDecision[] _decisions = [];

    public ReferenceRunner(ScenarioInfo scenario, ulong seed) : this(new ScenarioContext(scenario, seed))
    {
    }

    /// <summary>A runner on a prepared scenario (a context can be shared: it does not change while a run plays).</summary>
    public ReferenceRunner(ScenarioContext context)
    {
        var scenario = context.Info;
        _context = context;
        _pipeline = new TickPipeline(_context);
        _companies = [.. scenario.Companies.Select(c => CompanyRules.Create(_context, c))];
        _talent = TalentRules.Create(_context);
        _markets = [.. scenario.Markets.Select(m => MarketRules.Create(scenario, m))];
        _view = TalentRules.View(_context, _talent, 0);
    }

    public int NextTick { get; private set; }

    /// <summary>When set, every tick's supply side is added to it as the run plays (for <see cref="SupplyReplay"/>).</summary>
    public SupplyRecord? Recording { get; init; }

    public int TickCount => _context.Calendar.Count;

    public IReadOnlyList<CompanyState> Companies => _companies;

    public TalentState Talent => _talent;

    /// <summary>The decisions of the last tick played, in scenario order (empty before the first).</summary>
    public IReadOnlyList<CompanyDecision> LastDecisions => _decisions;

    /// <summary>The job market's outcome of the last tick played (null before the first).</summary>
    public TalentOutcome? LastTalent { get; private set; }

    /// <summary>Plays up to <paramref name="ticks"/> ticks and returns their reports.</summary>
    public IReadOnlyList<TickReport> Advance(int ticks)
    {
        var (reports, view) = _pipeline.Run(this, NextTick, TickCount, ticks, _view);
        (_view, NextTick) = (view, NextTick + reports.Count);
        return reports;
    }

    public IReadOnlyList<TickReport> RunToEnd() => Advance(TickCount - NextTick);

    ValueTask<CompanyDecision[]> IPhaseHost.DecideAsync(Tick tick, MarketView view)
    {
        var infos = _context.Info.Companies;
        _decisions = new CompanyDecision[infos.Length];
        for (var i = 0; i < infos.Length; i++)
        {
            CompanyRules.ApplyEvents(_context, infos[i], _companies[i], tick);
            _decisions[i] = CompanyRules.Decide(_context, infos[i], _companies[i], tick, view);
        }
        Recording?.Decided(_context, tick, _companies, _decisions);
        return ValueTask.FromResult(_decisions);
    }

    ValueTask<TalentOutcome> IPhaseHost.ResolveAsync(Tick tick, MarketView view, CompanyDecision[] decisions)
    {
        LastTalent = TalentRules.Resolve(_context, _talent, tick, decisions, view);
        Recording?.Resolved(LastTalent);
        return ValueTask.FromResult(LastTalent);
    }

    ValueTask<AppSupply[][]> IPhaseHost.ProduceAsync(Tick tick, TalentOutcome talent)
    {
        var infos = _context.Info.Companies;
        var result = new AppSupply[infos.Length][];
        for (var i = 0; i < infos.Length; i++)
        {
            // The supplies are this tick's alone: their array is handed on as it is, not copied.
            result[i] = ImmutableCollectionsMarshal.AsArray(CompanyRules.Produce(_context, infos[i], _companies[i], tick, _decisions[i], talent.Companies[i]))!;
        }
        Recording?.Produced(_companies, result);
        return ValueTask.FromResult(result);
    }

    ValueTask<MarketOutcome[]> IPhaseHost.AcquireAsync(Tick tick, AppSupply[][] suppliesByMarket)
    {
        var markets = Acquire(_context, _markets, tick, suppliesByMarket);
        Recording?.Acquired(tick.Index, markets);
        return ValueTask.FromResult(markets);
    }

    ValueTask<CompanySnapshot[]> IPhaseHost.SettleAsync(Tick tick, TalentOutcome talent, AppOutcome[][] outcomesByCompany)
    {
        var snapshots = Settle(_context, _companies, tick, _decisions, talent, outcomesByCompany);
        Recording?.Settled(tick.Index, snapshots);
        return ValueTask.FromResult(snapshots);
    }

    /// <summary>
    /// Every market's acquisition, in scenario order (the in-process hosts' phase); a market <paramref name="fromRecord"/> marks
    /// is taken from <paramref name="recorded"/> as it is, its state left alone.
    /// </summary>
    internal static MarketOutcome[] Acquire(ScenarioContext context, MarketState[] markets, Tick tick, AppSupply[][] suppliesByMarket,
        bool[]? fromRecord = null, MarketOutcome[]? recorded = null)
    {
        var infos = context.Info.Markets;
        var result = new MarketOutcome[infos.Length];
        for (var i = 0; i < infos.Length; i++)
        {
            result[i] = fromRecord?[i] == true ? recorded![i] : MarketRules.Acquire(infos[i], markets[i], context, tick, suppliesByMarket[i]);
        }
        return result;
    }

    /// <summary>
    /// Every company's settlement, in scenario order (the in-process hosts' phase); a company <paramref name="fromRecord"/>
    /// marks is taken from <paramref name="recorded"/> as it is, its state left alone.
    /// </summary>
    internal static CompanySnapshot[] Settle(
        ScenarioContext context, CompanyState[] companies, Tick tick, CompanyDecision[] decisions, TalentOutcome talent, AppOutcome[][] outcomesByCompany,
        bool[]? fromRecord = null, CompanySnapshot[]? recorded = null)
    {
        var infos = context.Info.Companies;
        var result = new CompanySnapshot[infos.Length];
        for (var i = 0; i < infos.Length; i++)
        {
            result[i] = fromRecord?[i] == true
                ? recorded![i]
                : CompanyRules.Settle(context, infos[i], companies[i], tick, decisions[i], talent.Companies[i], outcomesByCompany[i]);
        }
        return result;
    }
}
