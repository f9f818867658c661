using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simulation.Model.Metrics;
using Simulation.Model.Phases;

namespace Simulation.Exports;

/// <summary>What a finished run hands to the exporters.</summary>
public sealed record RunOutput(
    string ScenarioName,
    string ScenarioSha256,
    ulong Seed,
    int Run,
    string Engine,
    string ProgramVersion,
    IReadOnlyList<MetricRow> TickRows,
    IReadOnlyList<MetricRow> MonthRows,
    IReadOnlyList<(SimEvent Event, DateOnly Date)> Events,
    IReadOnlyList<CompanySnapshot> FinalCompanies,
    JsonObject? Extra = null)
{
    /// <summary>The run against the scenario's targets (empty when it has none).</summary>
    public IReadOnlyList<Simulation.Model.Targets.TargetResult> Targets { get; init; } = [];

    /// <summary>The numbers the scenario marks for fitting.</summary>
    public int FreeParameters { get; init; }
}

/// <summary>
/// Writes monthly.csv, ticks.csv, events.csv and summary.json. Files are written to a staging folder
/// beside the target and moved into place only when all of them are complete: a failed run leaves
/// nothing half-written.
/// </summary>
public static class RunExport
{
    public const string MonthlyHeader = "run,seed,month,market,company,app,mau,wau,new_users,retention_d30,market_share,quality,headcount,stars,cash_usd";
    public const string TicksHeader = "run,seed,tick,date,month,market,company,app,mau,wau,active,new_users,retention_d30,market_share,quality,headcount,stars,cash_usd";
    public const string EventsHeader = "run,seed,tick,date,kind,person,from,to,amount_usd";

    public static IReadOnlyDictionary<string, string> Render(RunOutput output) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["monthly.csv"] = Monthly(output),
        ["ticks.csv"] = Ticks(output),
        ["events.csv"] = Events(output),
        ["summary.json"] = Summary(output),
    };

    public static void Write(RunOutput output, string directory) => AtomicDirectory.Write(directory, Render(output));

    public static string Monthly(RunOutput o)
    {
        var sb = new StringBuilder(MonthlyHeader.Length * (o.MonthRows.Count + 1));
        sb.Append(MonthlyHeader).Append('\n');
        var run = o.Run.ToString(CultureInfo.InvariantCulture);
        var seed = o.Seed.ToString(CultureInfo.InvariantCulture);
        foreach (var r in o.MonthRows)
        {
            Csv.AppendLine(sb, run, seed, r.Month, r.Market, r.Company, r.App, Csv.Count(r.Mau), Csv.Count(r.Wau), Csv.Count(r.NewUsers),
                Csv.Fraction(r.RetentionD30), Csv.Fraction(r.MarketShare), Csv.Fraction(r.Quality), Csv.Decimal1(r.Headcount), Csv.Int(r.Stars), Csv.Count(r.CashUsd));
        }
        return sb.ToString();
    }

    public static string Ticks(RunOutput o)
    {
        var sb = new StringBuilder(TicksHeader.Length * (o.TickRows.Count + 1));
        sb.Append(TicksHeader).Append('\n');
        var run = o.Run.ToString(CultureInfo.InvariantCulture);
        var seed = o.Seed.ToString(CultureInfo.InvariantCulture);
        foreach (var r in o.TickRows)
        {
            Csv.AppendLine(sb, run, seed, r.Tick.ToString(CultureInfo.InvariantCulture), r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Month,
                r.Market, r.Company, r.App, Csv.Count(r.Mau), Csv.Count(r.Wau), Csv.Count(r.Active), Csv.Count(r.NewUsers),
                Csv.Fraction(r.RetentionD30), Csv.Fraction(r.MarketShare), Csv.Fraction(r.Quality), Csv.Decimal1(r.Headcount), Csv.Int(r.Stars), Csv.Count(r.CashUsd));
        }
        return sb.ToString();
    }

    public static string Events(RunOutput o)
    {
        var sb = new StringBuilder();
        sb.Append(EventsHeader).Append('\n');
        var run = o.Run.ToString(CultureInfo.InvariantCulture);
        var seed = o.Seed.ToString(CultureInfo.InvariantCulture);
        foreach (var (e, date) in o.Events)
        {
            Csv.AppendLine(sb, run, seed, e.Tick.ToString(CultureInfo.InvariantCulture), date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                e.Kind, Csv.Field(e.Person), Csv.Field(e.From), Csv.Field(e.To), Csv.Count(e.AmountUsd));
        }
        return sb.ToString();
    }

    public static string Summary(RunOutput o)
    {
        var companies = new JsonArray();
        // The last month's rows by company and every month's MAU by (app, market), each in row order: one pass each, not one per company.
        var lastByCompany = new Dictionary<string, List<MetricRow>>(StringComparer.Ordinal);
        foreach (var row in LastMonth(o.MonthRows))
        {
            if (!lastByCompany.TryGetValue(row.Company, out var rows))
            {
                lastByCompany[row.Company] = rows = [];
            }
            rows.Add(row);
        }
        var mauByApp = new Dictionary<(string App, string Market), List<double>>();
        foreach (var row in o.MonthRows)
        {
            if (!mauByApp.TryGetValue((row.App, row.Market), out var maus))
            {
                mauByApp[(row.App, row.Market)] = maus = [];
            }
            maus.Add(row.Mau);
        }
        foreach (var c in o.FinalCompanies)
        {
            var apps = new JsonObject();
            foreach (var row in lastByCompany.GetValueOrDefault(c.Company) ?? [])
            {
                apps[row.App] = new JsonObject
                {
                    ["market"] = row.Market,
                    ["mau"] = Math.Round(row.Mau),
                    ["peak_mau"] = Math.Round(mauByApp[(row.App, row.Market)].Max()),
                    ["market_share"] = Math.Round(row.MarketShare, 6),
                };
            }
            companies.Add(new JsonObject
            {
                ["company"] = c.Company,
                ["cash_usd"] = Math.Round(c.CashUsd),
                ["headcount"] = Math.Round(c.Headcount, 1),
                ["stars"] = c.Stars,
                ["model_quality"] = Math.Round(c.ModelQuality, 6),
                ["star_lift"] = Math.Round(c.StarLift, 6),
                ["unpaid_usd"] = Math.Round(c.UnpaidUsd),
                ["apps"] = apps,
            });
        }
        var root = new JsonObject
        {
            ["scenario"] = o.ScenarioName,
            ["scenario_sha256"] = o.ScenarioSha256,
            ["seed"] = o.Seed,
            ["engine"] = o.Engine,
            ["program_version"] = o.ProgramVersion,
            ["companies"] = companies,
        };
        if (o.Extra is not null)
        {
            foreach (var (key, value) in o.Extra)
            {
                root[key] = value?.DeepClone();
            }
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Rows of the last month in the export.</summary>
    public static IEnumerable<MetricRow> LastMonth(IReadOnlyList<MetricRow> months)
    {
        if (months.Count == 0)
        {
            return [];
        }
        var last = months[^1].Month;
        return months.Where(r => r.Month == last);
    }
}
