using System.Collections.Frozen;
using Simulation.Model.Config;
using Simulation.Model.Time;

namespace Simulation.Model.Rules;

/// <summary>
/// A scenario prepared for play: its calendar, events by tick and lookups the rules need every tick.
/// Derived from <see cref="ScenarioInfo"/> alone, so every grain and the reference runner build the same one.
/// </summary>
public sealed class ScenarioContext
{
    private readonly FrozenDictionary<string, int> _companyIndex;
    private readonly FrozenDictionary<string, (CompanyInfo Company, AppInfo App, RetentionCurve Curve)> _apps;
    private readonly FrozenDictionary<int, EventInfo[]> _eventsByTick;

    public ScenarioContext(ScenarioInfo info, ulong seed)
    {
        Info = info;
        Seed = seed;
        Calendar = info.CreateCalendar();
        _companyIndex = info.Companies.Select((c, i) => (c.Id, i)).ToFrozenDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        _apps = info.Apps.ToFrozenDictionary(x => x.App.Id, x => (x.Company, x.App, RetentionCurve.From(x.App.Retention)), StringComparer.Ordinal);
        _eventsByTick = info.Events
            .Where(e => e.Date >= info.Start && e.Date <= info.End)
            .GroupBy(e => Calendar.IndexOf(e.Date))
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(e => e.Date).ThenBy(e => e.Order).ToArray());
    }

    public ScenarioInfo Info { get; }

    public ulong Seed { get; }

    public Calendar Calendar { get; }

    public int CompanyIndex(string id) => _companyIndex[id];

    public CompanyInfo Company(string id) => Info.Companies[_companyIndex[id]];

    public RetentionCurve Retention(string app) => _apps[app].Curve;

    public AppInfo App(string app) => _apps[app].App;

    /// <summary>Events that take effect at the start of tick <paramref name="tick"/>, in date then file order.</summary>
    public IReadOnlyList<EventInfo> EventsAt(int tick) => _eventsByTick.TryGetValue(tick, out var events) ? events : [];

    /// <summary>Ticks elapsed in years at the end of <paramref name="tick"/>.</summary>
    public double YearsAtEnd(Tick tick) => (tick.End.DayNumber - Info.Start.DayNumber) / Calendar.DaysPerYear;
}
