using System.Globalization;
using Simulation.Model.Config;
using Simulation.Model.Metrics;

namespace Simulation.Calibration.Sensitivity;

/// <summary>An output a sweep or a sensitivity analysis was asked for that the scenario cannot give (exit code 2).</summary>
public sealed class OutputSpecException(string message) : FormatException(message);

/// <summary>
/// One number read from a replicate's monthly rows: <c>METRIC:SUBJECT:MONTH</c>, e.g. <c>mau:doubao:2024-09</c>
/// (an app), <c>mau:china-aigc/ALL:2024-09</c> (a market's de-duplicated total), <c>share:kimi:2024-12</c>,
/// <c>cash:bytedance:2025-12</c> (a company), <c>wau:chatgpt:2024-12</c>. The subject is resolved against the
/// scenario when parsed, so a spec that names nothing is refused before anything is played.
/// </summary>
public sealed class OutputSpec
{
    /// <summary>Metrics of an app or a market total.</summary>
    private static readonly Dictionary<string, (string Unit, Func<MetricRow, double?> Read, bool MarketTotal)> RowMetrics = new(StringComparer.Ordinal)
    {
        ["mau"] = ("users", r => r.Mau, true),
        ["wau"] = ("users", r => r.Wau, true),
        ["new"] = ("new users a month", r => r.NewUsers, true),
        ["share"] = ("fraction of the market", r => r.MarketShare, false),
        ["retention"] = ("fraction retained at 30 days", r => r.RetentionD30, false),
        ["quality"] = ("quality over the frontier", r => r.Quality, false),
    };

    /// <summary>Metrics of a company (read from any of its apps' rows).</summary>
    private static readonly Dictionary<string, (string Unit, Func<MetricRow, double?> Read)> CompanyMetrics = new(StringComparer.Ordinal)
    {
        ["cash"] = ("USD", r => r.CashUsd),
        ["headcount"] = ("people", r => r.Headcount),
        ["stars"] = ("people", r => r.Stars),
    };

    /// <summary>The metrics a spec may name, for help texts and errors.</summary>
    public static IReadOnlyList<string> Metrics { get; } = [.. RowMetrics.Keys, .. CompanyMetrics.Keys];

    private readonly Func<MetricRow, bool> _match;
    private readonly Func<MetricRow, double?> _read;

    private OutputSpec(string text, string metric, string unit, string month, Func<MetricRow, bool> match, Func<MetricRow, double?> read)
    {
        Text = text;
        Metric = metric;
        Unit = unit;
        Month = month;
        _match = match;
        _read = read;
    }

    /// <summary>The spec as written (normalised: <c>mau:china-aigc/ALL:2024-09</c>).</summary>
    public string Text { get; }

    public string Metric { get; }

    /// <summary>What the number counts, e.g. "users", "USD".</summary>
    public string Unit { get; }

    /// <summary><c>yyyy-MM</c>.</summary>
    public string Month { get; }

    /// <summary>The text with ':' and '/' replaced, for file names (<c>mau-doubao-2024-09</c>).</summary>
    public string Slug => Text.Replace(':', '-').Replace('/', '-');

    /// <summary>The first day of <see cref="Month"/>.</summary>
    public DateOnly MonthStart => DateOnly.ParseExact(Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public override string ToString() => Text;

    /// <summary>The spec's value in a replicate's rows; NaN if the month is not in them (the app not yet launched, say).</summary>
    public double Evaluate(ReplicateResult replicate)
    {
        foreach (var row in replicate.Rows)
        {
            if (row.Month == Month && _match(row))
            {
                return _read(row) ?? double.NaN;
            }
        }
        return double.NaN;
    }

    /// <summary>
    /// The actives the scenario's targets name (<c>appActives</c>, <c>marketActives</c>, <c>appWeeklyAtLeast</c>),
    /// in target order; without such targets, the first market's total in the last month.
    /// </summary>
    public static IReadOnlyList<OutputSpec> FromTargets(ScenarioInfo scenario)
    {
        var texts = scenario.Targets
            .Select(t => t.Kind switch
            {
                TargetKind.AppActives => $"mau:{t.App}:{Key(t.Month)}",
                TargetKind.MarketActives => $"mau:{t.Market}/{MetricRow.All}:{Key(t.Month)}",
                TargetKind.AppWeeklyAtLeast or TargetKind.AppWeekly => $"wau:{t.App}:{Key(t.Month)}",
                _ => null,
            })
            .OfType<string>()
            .ToList();
        if (texts.Count == 0 && scenario.Markets.Length > 0)
        {
            texts.Add($"mau:{scenario.Markets[0].Id}/{MetricRow.All}:{Key(scenario.End)}");
        }
        return ParseList(texts, scenario);
    }

    /// <summary>What a sensitivity analysis looks at unless told: the first app's actives the targets name (else <see cref="FromTargets"/>' first).</summary>
    /// <exception cref="OutputSpecException">The scenario has no market, so no output to read.</exception>
    public static OutputSpec DefaultForSensitivity(ScenarioInfo scenario)
    {
        var fromTargets = FromTargets(scenario);
        return fromTargets.FirstOrDefault(o => o.Metric == "mau" && !o.Text.Contains('/'))
            ?? fromTargets.FirstOrDefault()
            ?? throw new OutputSpecException(
                $"scenario '{scenario.Name}' has no market: every output (mau, share, cash, ...) is read from the monthly rows " +
                "of its markets and their apps, so there is nothing to analyse; add a market with an app");
    }

    /// <summary>Comma-separated specs (each option value may hold several), in order, without duplicates.</summary>
    /// <exception cref="OutputSpecException">A spec is malformed or names nothing in the scenario.</exception>
    public static IReadOnlyList<OutputSpec> ParseList(IEnumerable<string> texts, ScenarioInfo scenario)
    {
        var specs = new List<OutputSpec>();
        foreach (var text in texts.SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var spec = Parse(text, scenario);
            if (specs.All(s => s.Text != spec.Text))
            {
                specs.Add(spec);
            }
        }
        return specs;
    }

    /// <exception cref="OutputSpecException">The spec is malformed or names nothing in the scenario.</exception>
    public static OutputSpec Parse(string text, ScenarioInfo scenario)
    {
        var parts = text.Trim().Split(':');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            throw Error(text, "expected METRIC:SUBJECT:MONTH, e.g. mau:doubao:2024-09 or mau:china-aigc/ALL:2024-09");
        }
        var (metric, subject, month) = (parts[0].Trim(), parts[1].Trim(), parts[2].Trim());
        var monthStart = ParseMonth(text, month, scenario);
        month = monthStart.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        if (CompanyMetrics.TryGetValue(metric, out var companyMetric))
        {
            var company = scenario.Companies.FirstOrDefault(c => c.Id == subject)
                ?? scenario.Companies.FirstOrDefault(c => c.Apps.Any(a => a.Id == subject))
                ?? throw Error(text, $"'{subject}' is neither a company nor an app; companies: {Ids(scenario.Companies.Select(c => c.Id))}");
            if (company.Apps.Length == 0)
            {
                throw Error(text, $"company '{company.Id}' has no app, so no monthly row carries its {metric}");
            }
            return new OutputSpec($"{metric}:{subject}:{month}", metric, companyMetric.Unit, month,
                r => r.Company == company.Id && r.App != MetricRow.All, companyMetric.Read);
        }
        if (!RowMetrics.TryGetValue(metric, out var rowMetric))
        {
            throw Error(text, $"unknown metric '{metric}'; expected one of: {string.Join(", ", Metrics)}");
        }

        var (market, app) = Subject(text, subject, scenario);
        var marketInfo = scenario.Markets.First(m => m.Id == market);
        if (app == MetricRow.All && !rowMetric.MarketTotal)
        {
            throw Error(text, $"'{metric}' is a figure of an app, not of a market total: name an app of '{market}'");
        }
        if (metric == "wau" && marketInfo.Reports != ActiveWindow.Week)
        {
            throw Error(text, $"market '{market}' reports monthly actives, not weekly: use mau");
        }
        var normalised = app == MetricRow.All ? $"{market}/{MetricRow.All}" : subject.Contains('/') ? $"{market}/{app}" : app;
        return new OutputSpec($"{metric}:{normalised}:{month}", metric, rowMetric.Unit, month,
            r => r.Market == market && r.App == app, rowMetric.Read);
    }

    /// <summary><c>APP</c>, <c>MARKET/APP</c>, <c>MARKET/ALL</c> or <c>MARKET</c> (its total) as (market, app or ALL).</summary>
    private static (string Market, string App) Subject(string text, string subject, ScenarioInfo scenario)
    {
        var apps = scenario.Companies.SelectMany(c => c.Apps).ToList();
        var slash = subject.IndexOf('/');
        if (slash >= 0)
        {
            var market = subject[..slash];
            var app = subject[(slash + 1)..];
            if (scenario.Markets.All(m => m.Id != market))
            {
                throw Error(text, $"unknown market '{market}'; markets: {Ids(scenario.Markets.Select(m => m.Id))}");
            }
            if (app.Equals(MetricRow.All, StringComparison.OrdinalIgnoreCase))
            {
                return (market, MetricRow.All);
            }
            var inMarket = apps.Where(a => a.Market == market).Select(a => a.Id).ToList();
            return inMarket.Contains(app)
                ? (market, app)
                : throw Error(text, $"no app '{app}' in market '{market}'; its apps: {Ids(inMarket)}");
        }
        if (apps.FirstOrDefault(a => a.Id == subject) is { } found)
        {
            return (found.Market, found.Id);
        }
        if (scenario.Markets.Any(m => m.Id == subject))
        {
            return (subject, MetricRow.All);
        }
        throw Error(text, $"'{subject}' is neither an app nor a market; apps: {Ids(apps.Select(a => a.Id))}; markets (for their totals, MARKET/ALL): {Ids(scenario.Markets.Select(m => m.Id))}");
    }

    private static DateOnly ParseMonth(string text, string month, ScenarioInfo scenario)
    {
        if (!DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
        {
            throw Error(text, $"expected the month as yyyy-MM, got '{month}'");
        }
        var first = new DateOnly(scenario.Start.Year, scenario.Start.Month, 1);
        if (start < first || start > scenario.End)
        {
            throw Error(text, $"month {month} is outside the scenario ({Key(first)} to {Key(scenario.End)})");
        }
        return start;
    }

    private static string Key(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Ids(IEnumerable<string> ids) => string.Join(", ", ids.Order(StringComparer.Ordinal));

    private static OutputSpecException Error(string text, string problem) => new($"output '{text}': {problem}");
}
