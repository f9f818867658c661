using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.Rules;

namespace Simulation.Model.Metrics;

/// <summary>
/// The one place where metrics are collected (Mesa's DataCollector): turns each tick's report into
/// per-tick rows, and at the end of each calendar month into monthly rows. Agents never write metrics.
/// </summary>
/// <param name="context">The run's scenario.</param>
/// <param name="tickRows">False to keep only monthly rows, events and final snapshots (what replicates need).</param>
public sealed class DataCollector(ScenarioContext context, bool tickRows = true)
{
    /// <summary>Rows of one tick: each market's apps plus its total.</summary>
    private readonly int _rowsPerTick = context.Info.Markets.Sum(m => context.AppsOf(m.Id).Count + 1);
    private readonly List<MetricRow> _ticks = [];
    private readonly List<MetricRow> _months = [];
    private readonly List<(SimEvent Event, DateOnly Date)> _events = [];
    private readonly CompanySnapshot?[] _last = new CompanySnapshot?[context.Info.Companies.Length];
    private DateOnly _month;
    private string _monthKey = "";

    public IReadOnlyList<MetricRow> TickRows => _ticks;

    public IReadOnlyList<MetricRow> MonthRows => _months;

    public IReadOnlyList<(SimEvent Event, DateOnly Date)> Events => _events;

    /// <summary>The latest snapshot of each company (scenario order).</summary>
    public IEnumerable<CompanySnapshot> FinalCompanies => _last.OfType<CompanySnapshot>();

    public void Collect(TickReport report)
    {
        var tick = context.Calendar[report.Tick];
        var companies = context.Info.Companies;
        for (var c = 0; c < report.Companies.Length; c++)
        {
            var snapshot = report.Companies[c];
            if (!double.IsFinite(snapshot.CashUsd))
            {
                throw new ScenarioValueException(
                    $"company {snapshot.Company}'s cash grew past what can be computed ({snapshot.CashUsd}) by {tick.Start:yyyy-MM-dd}; " +
                    "the scenario's amounts (revenue, cash, budgets) are too large");
            }
            // Snapshots come in scenario order: the lookup is only for a report that says otherwise.
            _last[c < companies.Length && companies[c].Id == snapshot.Company ? c : context.CompanyIndex(snapshot.Company)] = snapshot;
        }
        foreach (var market in report.Markets)
        {
            foreach (var app in market.Apps)
            {
                if (!double.IsFinite(app.Mau) || !double.IsFinite(app.Share))
                {
                    throw new ScenarioValueException(
                        $"app {app.App}'s users could not be computed (MAU {app.Mau}, share {app.Share}) by {tick.Start:yyyy-MM-dd}; " +
                        "the scenario's amounts (revenue, cash, budgets, market sizes) are too large");
                }
            }
        }
        if (tick.Month != _month || _monthKey.Length == 0)
        {
            _month = tick.Month;
            _monthKey = tick.MonthKey;
        }
        if (tickRows)
        {
            if (_ticks.Count == 0)
            {
                _ticks.Capacity = _rowsPerTick * (context.Calendar.Count - report.Tick);
            }
            AddRows(_ticks, report, tick.Start, perMonth: false);
        }
        if (context.Calendar.EndsMonth(report.Tick))
        {
            AddRows(_months, report, _month, perMonth: true);
        }
        foreach (var e in report.Events)
        {
            _events.Add((e, tick.Start));
        }
    }

    private void AddRows(List<MetricRow> rows, TickReport report, DateOnly date, bool perMonth)
    {
        for (var m = 0; m < report.Markets.Length; m++)
        {
            var market = report.Markets[m];
            var info = context.Info.Markets[m];
            var weekly = info.Reports == ActiveWindow.Week;
            var (active, largest) = (0.0, 0.0);
            foreach (var app in market.Apps)
            {
                var company = report.Companies[context.CompanyIndex(app.Company)];
                active += app.Active;
                largest = Math.Max(largest, app.Active);
                rows.Add(new MetricRow
                {
                    Tick = report.Tick,
                    Date = date,
                    Month = _monthKey,
                    Market = market.Market,
                    Company = app.Company,
                    App = app.App,
                    Mau = app.Mau,
                    Wau = weekly ? app.Wau : null,
                    Active = app.Active,
                    NewUsers = perMonth ? app.NewUsersMonth : app.NewUsers,
                    RetentionD30 = double.IsNaN(app.RetentionD30) ? null : app.RetentionD30,
                    MarketShare = app.Share,
                    Quality = app.RelativeQuality,
                    Headcount = company.Headcount,
                    Stars = company.Stars,
                    CashUsd = company.CashUsd,
                    AttractionShare = app.AttractionShare,
                    StarLift = company.StarLift,
                    SwitchNet = perMonth ? app.SwitchInMonth - app.SwitchOutMonth : app.SwitchIn - app.SwitchOut,
                });
            }
            rows.Add(new MetricRow
            {
                Tick = report.Tick,
                Date = date,
                Month = _monthKey,
                Market = market.Market,
                Company = MetricRow.All,
                App = MetricRow.All,
                Mau = market.Mau,
                Wau = weekly ? market.Wau : null,
                Active = MarketRules.Deduplicated(active, largest, market.MultiHoming),
                NewUsers = perMonth ? market.NewUsersMonth : market.NewAdopters,
                MarketShare = 1,
                Potential = market.Potential,
                AttractionFactor = market.AttractionFactor,
            });
        }
    }
}
