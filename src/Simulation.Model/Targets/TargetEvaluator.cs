using System.Globalization;
using Simulation.Model.Config;
using Simulation.Model.Metrics;
using Simulation.Model.Phases;

namespace Simulation.Model.Targets;

/// <summary>
/// Checks a run's monthly rows and events against the scenario's targets. Pure: the same rows give
/// the same verdicts, so it serves the CLI's table, the tests and the calibration objective alike.
/// </summary>
public sealed class TargetEvaluator
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly ScenarioInfo _scenario;
    private readonly Dictionary<(string Month, string Market, string App), MetricRow> _rows = [];
    private readonly IReadOnlyList<(SimEvent Event, DateOnly Date)> _events;

    public TargetEvaluator(ScenarioInfo scenario, IEnumerable<MetricRow> monthRows, IReadOnlyList<(SimEvent Event, DateOnly Date)> events)
    {
        _scenario = scenario;
        _events = events;
        foreach (var row in monthRows)
        {
            _rows[(row.Month, row.Market, row.App)] = row;
        }
        // The first row of each (month, app) in the rows' order: what a scan of the rows would find.
        foreach (var row in _rows.Values)
        {
            _byApp.TryAdd((row.Month, row.App), row);
        }
    }

    private readonly Dictionary<(string Month, string App), MetricRow> _byApp = [];

    /// <summary>The last month any target looks at (a run for calibration can stop there).</summary>
    public static DateOnly? LastMonth(ScenarioInfo scenario) =>
        scenario.Targets.IsEmpty ? null : scenario.Targets.Max(t => t.Month);

    /// <summary>A figure of the seed article (seeds/000_...), as opposed to the record's other observations (seeds/observations.yaml).</summary>
    public static bool IsArticle(TargetInfo t) => t.Source is { } source && source.StartsWith("seeds/000_", StringComparison.Ordinal);

    /// <summary>The targets the calibration fits: those in a series, dated up to the scenario's fitting window (all dates without one).</summary>
    public static IEnumerable<TargetInfo> InFit(ScenarioInfo scenario) =>
        scenario.Targets.Where(t => t.Series is not null && InWindow(scenario, t));

    private static bool InWindow(ScenarioInfo scenario, TargetInfo t) =>
        scenario.FitUntil is not { } until || t.Month <= until;

    /// <summary>
    /// How a target's figure comes about: as declared, else scripted for a move or filing of a person
    /// whose path is scripted, fitted inside the fitting window (with weight), emergent otherwise.
    /// </summary>
    public static TargetLabel LabelOf(ScenarioInfo scenario, TargetInfo t)
    {
        if (t.Label is { } declared)
        {
            return declared;
        }
        if (t.Kind is TargetKind.EmployedBy or TargetKind.FiledAgainst
            && scenario.Talent.Researchers.FirstOrDefault(r => r.Id == t.Person) is { Scripted: true })
        {
            return TargetLabel.Scripted;
        }
        return InWindow(scenario, t) && t.Series is not null ? TargetLabel.Fitted : TargetLabel.Emergent;
    }

    public IReadOnlyList<TargetResult> Evaluate() => [.. _scenario.Targets.Select(Evaluate)];

    public TargetResult Evaluate(TargetInfo t) => Judge(t) with { Label = LabelOf(_scenario, t) };

    private TargetResult Judge(TargetInfo t)
    {
        var month = Key(t.Month);
        return t.Kind switch
        {
            TargetKind.MarketActives => Figure(t, Get(month, t.Market!, MetricRow.All)?.Mau),
            TargetKind.MarketGrowth => Figure(t, Ratio(Get(month, t.Market!, MetricRow.All)?.Mau, Get(Key(t.BaseMonth!.Value), t.Market!, MetricRow.All)?.Mau)),
            TargetKind.AppActives => Figure(t, App(month, t.App!)?.Mau),
            TargetKind.Retention => Figure(t, App(month, t.App!)?.RetentionD30),
            TargetKind.AppWeeklyAtLeast => AtLeast(t, App(month, t.App!)?.Wau),
            TargetKind.AppWeekly => Figure(t, App(month, t.App!)?.Wau),
            TargetKind.AppFirst => Above(t, App(month, t.App!)?.Mau, Rivals(month, t.App!).Select(r => r.Mau).DefaultIfEmpty(0).Max(), "first", "the next app"),
            TargetKind.AppAbove => Above(t, App(month, t.App!)?.Mau, App(month, t.Other!)?.Mau, $"above {t.Other}", t.Other!),
            TargetKind.RetentionAbove => Above(t, App(month, t.App!)?.RetentionD30, App(month, t.Other!)?.RetentionD30, $"above {t.Other}", t.Other!),
            TargetKind.EmployedBy => YesNo(t, $"employed by {t.Company} in {month}", EmployedDuring(t.Person!, t.Company!, t.Month)),
            TargetKind.FiledAgainst => YesNo(t, $"{t.Company} filed against {t.Person} by {month}", FiledBy(t.Company!, t.Person!, t.Month)),
            _ => throw new ArgumentOutOfRangeException(nameof(t), t.Kind, "unknown target kind"),
        };
    }

    private static string Key(DateOnly month) => month.ToString("yyyy-MM", Inv);

    private MetricRow? Get(string month, string market, string app) => _rows.GetValueOrDefault((month, market, app));

    private MetricRow? App(string month, string app) => _byApp.GetValueOrDefault((month, app));

    private IEnumerable<MetricRow> Rivals(string month, string app)
    {
        var own = App(month, app);
        return own is null ? [] : _rows.Values.Where(r => r.Month == month && r.Market == own.Market && r.App != app && r.App != MetricRow.All);
    }

    private static double? Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? x / y : null;

    private static TargetResult Figure(TargetInfo t, double? simulated)
    {
        var value = t.Value!.Value;
        var expected = t.Relative ? $"{Number(value)} +/- {t.Tolerance * 100:0.#}%" : $"{Number(value)} +/- {Number(t.Tolerance)}";
        if (simulated is not { } s)
        {
            return Missing(t, expected);
        }
        var error = s - value;
        var within = t.Relative ? Math.Abs(error) <= t.Tolerance * Math.Abs(value) : Math.Abs(error) <= t.Tolerance;
        return new TargetResult
        {
            Target = t,
            Expected = expected,
            Simulated = Number(s),
            Value = s,
            Error = t.Relative ? (error / value).ToString("+0.0%;-0.0%;0.0%", Inv) : error.ToString("+0.###;-0.###;0", Inv),
            Within = within,
            Residual = value != 0 ? error / value : error,
        };
    }

    private static TargetResult AtLeast(TargetInfo t, double? simulated)
    {
        var value = t.Value!.Value;
        var expected = $">= {Number(value)}";
        if (simulated is not { } s)
        {
            return Missing(t, expected);
        }
        return new TargetResult
        {
            Target = t,
            Expected = expected,
            Simulated = Number(s),
            Value = s,
            Error = ((s - value) / value).ToString("+0.0%;-0.0%;0.0%", Inv),
            Within = s >= value,
            // An exact penalty: the square of this residual is the relative shortfall itself, so the fit's
            // objective has a slope at the bound and meets the target instead of stopping just short of it.
            Residual = s >= value ? 0 : -Math.Sqrt((value - s) / value),
        };
    }

    private static TargetResult Above(TargetInfo t, double? own, double? other, string what, string otherName)
    {
        if (own is not { } a || other is not { } b)
        {
            return Missing(t, what);
        }
        var within = a > b;
        return new TargetResult
        {
            Target = t,
            Expected = what,
            Simulated = $"{Number(a)} vs {Number(b)} ({otherName})",
            Value = within ? 1 : 0,
            Error = within ? "yes" : "no",
            Within = within,
            Residual = within || a <= 0 ? (within ? 0 : -1) : (a - b) / a,
            Pair = (a, b),
        };
    }

    private static TargetResult YesNo(TargetInfo t, string expected, bool holds) => new()
    {
        Target = t,
        Expected = expected,
        Simulated = holds ? "yes" : "no",
        Value = holds ? 1 : 0,
        Error = holds ? "yes" : "no",
        Within = holds,
        Residual = 0,
    };

    private static TargetResult Missing(TargetInfo t, string expected) => new()
    {
        Target = t,
        Expected = expected,
        Simulated = "not in the run",
        Value = double.NaN,
        Error = "-",
        Within = false,
        Residual = -1,
    };

    /// <summary>Whether the person worked for the company at any time during the month (rebuilt from the start roster and the moves).</summary>
    private bool EmployedDuring(string person, string company, DateOnly month)
    {
        var employer = _scenario.Talent.Researchers.FirstOrDefault(r => r.Id == person)?.Employer;
        var first = new DateOnly(month.Year, month.Month, 1);
        var next = first.AddMonths(1);
        var during = employer == company && _scenario.Start < next;
        foreach (var (e, date) in _events)
        {
            if (e.Person != person || e.Kind is not ("hire" or "poach" or "move" or "leave") || date >= next)
            {
                continue;
            }
            employer = e.To;
            if (date < first)
            {
                during = employer == company;
            }
            else
            {
                during |= employer == company;
            }
        }
        return during;
    }

    private bool FiledBy(string company, string person, DateOnly month)
    {
        var next = new DateOnly(month.Year, month.Month, 1).AddMonths(1);
        return _events.Any(x => x.Event.Kind == "filing" && x.Event.From == company && x.Event.Person == person && x.Date < next);
    }

    private static string Number(double v) => Math.Abs(v) >= 1000 ? v.ToString("#,0", Inv) : v.ToString("0.####", Inv);
}
