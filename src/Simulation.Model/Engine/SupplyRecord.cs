using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Model.State;
using Simulation.Model.Time;

namespace Simulation.Model.Engine;

/// <summary>
/// A run's supply side, recorded tick by tick by a <see cref="ReferenceRunner"/> whose <see cref="ReferenceRunner.Recording"/>
/// it is: each company's decision, the job market's outcome, each company's apps' supplies and its workforce, stars
/// and quality after production. The supply side reads the demand side (the user markets, the apps' users and what
/// they pay) at two places only: cash, in the cash rule and the job market's payments, which change nothing while
/// cash covers them; and the reaction rule, which raises marketing after a fall in share. So a run of the same
/// scenario and seed that differs only on the demand side (a market's numbers, an app's retention, initial users or
/// revenue per user: what a calibration of the user figures varies) has this same supply side wherever cash binds in
/// neither run, with marketing recomputed where the two react differently: <see cref="SupplyReplay"/> plays such a
/// run from the record instead of playing its supply side again. The record keeps the markets' outcomes and the companies'
/// snapshots too, for a replay to take where a group of markets' numbers are the record's.
/// </summary>
public sealed class SupplyRecord
{
    private readonly List<Entry> _ticks = [];
    private Entry? _current;

    /// <summary>Ticks recorded (from the run's first).</summary>
    public int Count => _ticks.Count;

    /// <summary>Whether cash bound nowhere in the recorded run: a replay can stand in for any run with enough cash.</summary>
    public bool Free { get; private set; } = true;

    internal Entry At(int tick) => _ticks[tick];

    /// <summary>Called by the runner after its companies decided (their events applied): the decisions and what made their plans.</summary>
    internal void Decided(ScenarioContext context, Tick tick, CompanyState[] companies, CompanyDecision[] decisions)
    {
        if (tick.Index != _ticks.Count)
        {
            throw new InvalidOperationException($"a supply record takes a run's ticks in order from the first: tick {tick.Index} came after {_ticks.Count}");
        }
        var infos = context.Info.Companies;
        var entries = new Company[infos.Length];
        for (var i = 0; i < infos.Length; i++)
        {
            var state = companies[i];
            var decision = decisions[i];
            var (plan, budgetMonthly, _, _) = CompanyRules.PlanOf(context, infos[i], state, tick);
            entries[i] = new Company
            {
                Decision = decision,
                BudgetMonthly = budgetMonthly,
                Reacting = CompanyRules.Reacting(state, tick),
                Free = plan.Fits(state.CashUsd + decision.RevenueUsd),
            };
        }
        _current = new Entry { Companies = entries };
    }

    /// <summary>Called after the job market: its outcome; a company whose payments were not met in full binds on cash.</summary>
    internal void Resolved(TalentOutcome talent)
    {
        var current = _current ?? throw new InvalidOperationException("a supply record takes the job market after the decisions");
        current.Talent = talent;
        for (var i = 0; i < current.Companies.Length; i++)
        {
            current.Companies[i].Free &= talent.Companies[i].UnpaidUsd == 0;
        }
    }

    /// <summary>Called after production: the apps' supplies, and each company's workforce, stars and quality as production left them.</summary>
    internal void Produced(CompanyState[] companies, AppSupply[][] supplies)
    {
        var current = _current ?? throw new InvalidOperationException("a supply record takes production after the job market");
        for (var i = 0; i < companies.Length; i++)
        {
            var entry = current.Companies[i];
            entry.Supplies = supplies[i];
            entry.Workforce = [.. companies[i].Headcount];
            entry.StarCount = companies[i].StarCount;
            entry.StarLift = companies[i].StarLift;
            entry.StarPayrollMonthlyUsd = companies[i].StarPayrollMonthlyUsd;
            entry.ModelQuality = companies[i].ModelQuality;
        }
        Free &= current.Companies.All(c => c.Free);
        _ticks.Add(current);
        _current = null;
    }

    /// <summary>Called after the markets: their outcomes, which a replay takes for a market whose numbers did not change.</summary>
    internal void Acquired(int tick, MarketOutcome[] markets) => _ticks[tick].Markets = markets;

    /// <summary>Called after the settlement: the companies' snapshots, which a replay takes for a company all of whose markets it takes.</summary>
    internal void Settled(int tick, CompanySnapshot[] snapshots) => _ticks[tick].Snapshots = snapshots;

    internal sealed class Entry
    {
        public required Company[] Companies { get; init; }
        public TalentOutcome Talent { get; set; } = null!;
        public MarketOutcome[] Markets { get; set; } = [];
        public CompanySnapshot[] Snapshots { get; set; } = [];
    }

    internal sealed class Company
    {
        public required CompanyDecision Decision { get; init; }
        /// <summary>The AI budget a month the decision's plan split (marketing is made again from it when a replay reacts otherwise).</summary>
        public required double BudgetMonthly { get; init; }
        public required bool Reacting { get; init; }
        /// <summary>Cash bound nowhere: the plan fitted whole and the job market's payments were met in full.</summary>
        public required bool Free { get; set; }
        public AppSupply[] Supplies { get; set; } = [];
        public double[] Workforce { get; set; } = [];
        public int StarCount { get; set; }
        public double StarLift { get; set; }
        public double StarPayrollMonthlyUsd { get; set; }
        public double ModelQuality { get; set; }
    }
}
