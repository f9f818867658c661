using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simulation.Model.Metrics;

namespace Simulation.Exports;

/// <summary>
/// A run's tables as typed records, rounded as in the CSV files (counts to whole numbers, fractions to
/// six decimals, headcount to one), and the metadata every export file carries so a curve can be
/// traced back to its scenario, seed and program.
/// </summary>
public static class ExportTables
{
    public static IReadOnlyList<MonthlyRecord> Monthly(RunOutput o) => [.. o.MonthRows.Select(r => new MonthlyRecord
    {
        Run = o.Run,
        Seed = o.Seed,
        Month = r.Month,
        Market = r.Market,
        Company = r.Company,
        App = r.App,
        Mau = Count(r.Mau),
        Wau = Count(r.Wau),
        NewUsers = Count(r.NewUsers),
        RetentionD30 = Fraction(r.RetentionD30),
        MarketShare = Fraction(r.MarketShare),
        Quality = Fraction(r.Quality),
        Headcount = Decimal1(r.Headcount),
        Stars = r.Stars,
        CashUsd = Count(r.CashUsd),
    })];

    public static IReadOnlyList<TickRecord> Ticks(RunOutput o) => [.. o.TickRows.Select(r => new TickRecord
    {
        Run = o.Run,
        Seed = o.Seed,
        Tick = r.Tick,
        Date = Day(r.Date),
        Month = r.Month,
        Market = r.Market,
        Company = r.Company,
        App = r.App,
        Mau = Count(r.Mau),
        Wau = Count(r.Wau),
        Active = Count(r.Active),
        NewUsers = Count(r.NewUsers),
        RetentionD30 = Fraction(r.RetentionD30),
        MarketShare = Fraction(r.MarketShare),
        Quality = Fraction(r.Quality),
        Headcount = Decimal1(r.Headcount),
        Stars = r.Stars,
        CashUsd = Count(r.CashUsd),
    })];

    public static IReadOnlyList<EventRecord> Events(RunOutput o) => [.. o.Events.Select(e => new EventRecord
    {
        Run = o.Run,
        Seed = o.Seed,
        Tick = e.Event.Tick,
        Date = Day(e.Date),
        Kind = e.Event.Kind,
        Person = e.Event.Person,
        From = e.Event.From,
        To = e.Event.To,
        AmountUsd = Count(e.Event.AmountUsd),
    })];

    /// <summary>Units of the columns that have one.</summary>
    public static readonly IReadOnlyDictionary<string, string> Units = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["active"] = "users",
        ["amount_usd"] = "USD",
        ["cash_usd"] = "USD",
        ["headcount"] = "people",
        ["market_share"] = "fraction of the market's app MAU",
        ["mau"] = "users",
        ["new_users"] = "users",
        ["quality"] = "model quality relative to the frontier",
        ["retention_d30"] = "fraction",
        ["stars"] = "people",
        ["wau"] = "users",
    };

    /// <summary>
    /// Key/value metadata of an export file: scenario, scenario_sha256, seed, run, engine,
    /// program_version, table and units (JSON). No clock time, so the same run gives the same bytes.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Metadata(RunOutput o, string table) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["engine"] = o.Engine,
        ["program_version"] = o.ProgramVersion,
        ["run"] = o.Run.ToString(CultureInfo.InvariantCulture),
        ["scenario"] = o.ScenarioName,
        ["scenario_sha256"] = o.ScenarioSha256,
        ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
        ["table"] = table,
        ["units"] = JsonSerializer.Serialize(Units, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
    };

    /// <summary>The same metadata as a JSON object (numbers as numbers, units as an object).</summary>
    public static JsonObject MetadataJson(RunOutput o, string table) => new()
    {
        ["scenario"] = o.ScenarioName,
        ["scenario_sha256"] = o.ScenarioSha256,
        ["seed"] = o.Seed,
        ["run"] = o.Run,
        ["engine"] = o.Engine,
        ["program_version"] = o.ProgramVersion,
        ["table"] = table,
        ["units"] = new JsonObject(Units.Select(u => KeyValuePair.Create(u.Key, (JsonNode?)u.Value))),
    };

    private static double Count(double value) => Math.Round(value, MidpointRounding.AwayFromZero);

    private static double? Count(double? value) => value is { } v ? Count(v) : null;

    private static double? Fraction(double? value) => value is { } v ? Math.Round(v, 6, MidpointRounding.AwayFromZero) : null;

    private static double Fraction(double value) => Math.Round(value, 6, MidpointRounding.AwayFromZero);

    private static double? Decimal1(double? value) => value is { } v ? Math.Round(v, 1, MidpointRounding.AwayFromZero) : null;

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
