using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Model.State;
using Simulation.Model.Time;

namespace Simulation.Model.Engine;

/// <summary>
/// Plays a run's demand side (the user markets and the companies' cash) against the supply side of a
/// <see cref="SupplyRecord"/> made with the same scenario and seed but other demand-side numbers: what a
/// <see cref="ReferenceRunner"/> would play, to the bit, as long as cash binds in neither run. Each tick the companies'
/// events are applied again (cash, launches, policies), marketing is made again from the recorded budget where the
/// reaction rule answers otherwise than in the record, and the recorded decision, job market and supplies stand in
/// for deciding, resolving and producing; the markets and the settlement are played as the runner plays them. Where
/// the plan or the job market's payments would not fit this run's cash, or did not fit the record's, the replay
/// stops with <see cref="SupplyReplayDiverged"/>: the run must then be played whole.
/// </summary>
public sealed class SupplyReplay : IPhaseHost
{
    /// <summary>The share of its cash a company's payments may reach for a replay to take them as met in full, whatever the rounding of paying them one by one.</summary>
    private const double PaymentMargin = 1e-9;

    private readonly ScenarioContext _context;
    private readonly SupplyRecord _record;
    private readonly TickPipeline _pipeline;
    private readonly CompanyState[] _companies;
    private readonly MarketState[] _markets;
    private CompanyDecision[] _decisions = [];
    private MarketView _view;
    /// <summary>Per market, whether its outcomes are the record's (<see cref="SupplyReplay(ScenarioContext, SupplyRecord, IReadOnlyList{bool}?)"/>); null: none.</summary>
    private readonly bool[]? _recordedMarkets;
    /// <summary>
    /// Per company, whether it is the record's: all its apps are in markets taken from the record, so its events, plan,
    /// supplies, users and cash are the record's run's, and its snapshot is taken as recorded (its state is not kept).
    /// </summary>
    private readonly bool[] _recordedCompanies;

    /// <param name="recordedMarkets">
    /// Per market, whether to take its outcomes from the record rather than play it: right where the market and every market
    /// it shares a company with have the record's numbers (their outcomes are then the record's to the bit); null: play every market.
    /// </param>
    public SupplyReplay(ScenarioContext context, SupplyRecord record, IReadOnlyList<bool>? recordedMarkets = null)
    {
        _context = context;
        _record = record;
        _recordedMarkets = recordedMarkets is null || !recordedMarkets.Contains(true) ? null : [.. recordedMarkets];
        _recordedCompanies = [.. context.Info.Companies.Select(c => _recordedMarkets is not null && c.Apps.All(a => _recordedMarkets[context.MarketIndex(a.Market)]))];
        _pipeline = new TickPipeline(context);
        _companies = [.. context.Info.Companies.Select(c => CompanyRules.Create(context, c))];
        _markets = [.. context.Info.Markets.Select(m => MarketRules.Create(context.Info, m))];
        _view = new MarketView { Tick = 0, Researchers = [] };
    }

    public int NextTick { get; private set; }

    /// <summary>Company ticks whose marketing was made again here, the company reacting otherwise than in the record.</summary>
    public int Remarketed { get; private set; }

    /// <summary>The ticks the record holds (at most the scenario's).</summary>
    public int TickCount => Math.Min(_record.Count, _context.Calendar.Count);

    /// <summary>Plays up to <paramref name="ticks"/> ticks and returns their reports, as <see cref="ReferenceRunner.Advance"/> does.</summary>
    /// <exception cref="SupplyReplayDiverged">Cash binds at a tick, in this run or in the record's.</exception>
    public IReadOnlyList<TickReport> Advance(int ticks)
    {
        var (reports, view) = _pipeline.Run(this, NextTick, TickCount, ticks, _view);
        (_view, NextTick) = (view, NextTick + reports.Count);
        return reports;
    }

    ValueTask<CompanyDecision[]> IPhaseHost.DecideAsync(Tick tick, MarketView view)
    {
        var infos = _context.Info.Companies;
        var recorded = _record.At(tick.Index).Companies;
        _decisions = new CompanyDecision[infos.Length];
        for (var i = 0; i < infos.Length; i++)
        {
            var entry = recorded[i];
            if (_recordedCompanies[i])
            {
                // The record's run's company, to the bit: its plan fitted there or the replay cannot stand in.
                _decisions[i] = entry.Free ? entry.Decision : throw new SupplyReplayDiverged(tick.Index, infos[i].Id);
                continue;
            }
            var state = _companies[i];
            CompanyRules.ApplyEvents(_context, infos[i], state, tick);
            var decision = entry.Decision;
            var reacting = CompanyRules.Reacting(state, tick);
            if (reacting != entry.Reacting)
            {
                decision = decision with { MarketingUsd = CompanyRules.Marketing(entry.BudgetMonthly, decision.Policy, reacting, tick.Months) };
                Remarketed++;
            }
            // Where cash bound in neither run, the fitted plan is the plan: payroll and compute as recorded, marketing as made here.
            if (!entry.Free || !new SpendPlan(decision.PayrollUsd, decision.ComputeUsd, decision.MarketingUsd).Fits(state.CashUsd + decision.RevenueUsd))
            {
                throw new SupplyReplayDiverged(tick.Index, infos[i].Id);
            }
            _decisions[i] = decision;
        }
        return ValueTask.FromResult(_decisions);
    }

    ValueTask<TalentOutcome> IPhaseHost.ResolveAsync(Tick tick, MarketView view, CompanyDecision[] decisions)
    {
        var talent = _record.At(tick.Index).Talent;
        for (var i = 0; i < decisions.Length; i++)
        {
            // What the company paid in the record (compensation, then awards) must fit what its plan leaves of its cash here.
            var owed = talent.Companies[i].CompensationUsd + talent.Companies[i].TransfersOutUsd;
            if (owed > 0 && !_recordedCompanies[i])
            {
                var d = decisions[i];
                var left = Math.Max(0, _companies[i].CashUsd + d.RevenueUsd - (d.PayrollUsd + d.ComputeUsd + d.MarketingUsd));
                if (!(owed <= left * (1 - PaymentMargin)))
                {
                    throw new SupplyReplayDiverged(tick.Index, d.Company);
                }
            }
        }
        return ValueTask.FromResult(talent);
    }

    ValueTask<AppSupply[][]> IPhaseHost.ProduceAsync(Tick tick, TalentOutcome talent)
    {
        var infos = _context.Info.Companies;
        var recorded = _record.At(tick.Index).Companies;
        var result = new AppSupply[infos.Length][];
        for (var i = 0; i < infos.Length; i++)
        {
            var entry = recorded[i];
            if (_recordedCompanies[i])
            {
                result[i] = entry.Supplies;
                continue;
            }
            var state = _companies[i];
            entry.Workforce.CopyTo(state.Headcount, 0);
            (state.StarCount, state.StarLift, state.StarPayrollMonthlyUsd, state.ModelQuality) =
                (entry.StarCount, entry.StarLift, entry.StarPayrollMonthlyUsd, entry.ModelQuality);
            result[i] = ReferenceEquals(_decisions[i], entry.Decision)
                ? entry.Supplies
                : WithMarketing(infos[i], state, tick, entry.Supplies, _decisions[i].MarketingUsd);
        }
        return ValueTask.FromResult(result);
    }

    /// <summary>The recorded supplies with each app's marketing spread again from <paramref name="marketingUsd"/>.</summary>
    private static AppSupply[] WithMarketing(Config.CompanyInfo info, CompanyState state, Tick tick, AppSupply[] supplies, double marketingUsd)
    {
        var perApp = new double[supplies.Length];
        CompanyRules.SplitMarketing(info, state.Launched, marketingUsd, tick, perApp);
        return [.. supplies.Select((s, a) => s with { MarketingMonthlyUsd = perApp[a] })];
    }

    ValueTask<MarketOutcome[]> IPhaseHost.AcquireAsync(Tick tick, AppSupply[][] suppliesByMarket) =>
        ValueTask.FromResult(ReferenceRunner.Acquire(_context, _markets, tick, suppliesByMarket, _recordedMarkets, _record.At(tick.Index).Markets));

    ValueTask<CompanySnapshot[]> IPhaseHost.SettleAsync(Tick tick, TalentOutcome talent, AppOutcome[][] outcomesByCompany) =>
        ValueTask.FromResult(ReferenceRunner.Settle(_context, _companies, tick, _decisions, talent, outcomesByCompany, _recordedCompanies, _record.At(tick.Index).Snapshots));
}

/// <summary>A <see cref="SupplyReplay"/> reached a tick where cash binds (in the replayed run or in the record's): play the run whole.</summary>
public sealed class SupplyReplayDiverged(int tick, string company)
    : Exception($"the supply side cannot be replayed from tick {tick}: cash binds for {company}")
{
    public int Tick { get; } = tick;
    public string Company { get; } = company;
}
