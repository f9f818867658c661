using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.Rules;

namespace Simulation.Model.Metrics;

/// <summary>
/// The one place where metrics are collected (Mesa's DataCollector): turns each tick's report into
/// per-tick rows, and at the end of each calendar month into monthly rows. Agents never write metrics.
/// </summary>
public sealed class DataCollector(ScenarioContext context)
{
    private readonly List<MetricRow> _ticks = [];
    private readonly List<MetricRow> _months = [];
    private readonly List<(SimEvent Event, DateOnly Date)> _events = [];
    private readonly Dictionary<string, CompanySnapshot> _last = new(StringComparer.Ordinal);

    public IReadOnlyList<MetricRow> TickRows => _ticks;

    public IReadOnlyList<MetricRow> MonthRows => _months;

    public IReadOnlyList<(SimEvent Event, DateOnly Date)> Events => _events;

    /// <summary>The latest snapshot of each company (scenario order).</summary>
    public IEnumerable<CompanySnapshot> FinalCompanies => context.Info.Companies.Where(c => _last.ContainsKey(c.Id)).Select(c => _last[c.Id]);

    public void Collect(TickReport report)
    {
        var tick = context.Calendar[report.Tick];
        foreach (var snapshot in report.Companies)
        {
            _last[snapshot.Company] = snapshot;
        }
        var rows = Rows(report, tick.Start, tick.MonthKey, perMonth: false).ToList();
        _ticks.AddRange(rows);
        if (context.Calendar.EndsMonth(report.Tick))
        {
            _months.AddRange(Rows(report, new DateOnly(tick.Start.Year, tick.Start.Month, 1), tick.MonthKey, perMonth: true));
        }
        foreach (var e in report.Events)
        {
            _events.Add((e, tick.Start));
        }
    }

    private IEnumerable<MetricRow> Rows(TickReport report, DateOnly date, string month, bool perMonth)
    {
        for (var m = 0; m < report.Markets.Length; m++)
        {
            var market = report.Markets[m];
            var weekly = context.Info.Markets[m].Reports == ActiveWindow.Week;
            foreach (var app in market.Apps)
            {
                var company = report.Companies[context.CompanyIndex(app.Company)];
                yield return new MetricRow
                {
                    Tick = report.Tick,
                    Date = date,
                    Month = month,
                    Market = market.Market,
                    Company = app.Company,
                    App = app.App,
                    Mau = app.Mau,
                    Wau = weekly ? app.Wau : null,
                    Active = app.Active,
                    NewUsers = perMonth ? app.NewUsersMonth : app.NewUsers,
                    RetentionD30 = app.RetentionD30,
                    MarketShare = app.Share,
                    Quality = app.RelativeQuality,
                    Headcount = company.Headcount,
                    Stars = company.Stars,
                    CashUsd = company.CashUsd,
                };
            }
            yield return new MetricRow
            {
                Tick = report.Tick,
                Date = date,
                Month = month,
                Market = market.Market,
                Company = MetricRow.All,
                App = MetricRow.All,
                Mau = market.Mau,
                Wau = weekly ? market.Wau : null,
                Active = market.Apps.Sum(a => a.Active) / context.Info.Markets[m].MultiHoming,
                NewUsers = perMonth ? market.NewUsersMonth : market.NewAdopters,
                MarketShare = 1,
            };
        }
    }
}
