using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simulation.Experiments;
using Simulation.Model.Metrics;

namespace Simulation.Exports;

/// <summary>What a Monte Carlo batch hands to the exporters: bands over the replicates that finished.</summary>
public sealed record MonteCarloOutput(
    string ScenarioName,
    string ScenarioSha256,
    ulong BaseSeed,
    int RunsRequested,
    int Runs,
    string Engine,
    string? Placement,
    string ProgramVersion,
    IReadOnlyList<BandRow> Bands,
    IReadOnlyList<CompanyBands> Companies)
{
    public bool Cancelled => Runs < RunsRequested;

    /// <summary>What made the replicates differ: seeds (default), posterior draws, or both.</summary>
    public ReplicateUncertainty Uncertainty { get; init; } = ReplicateUncertainty.Seed;
}

/// <summary>
/// The Monte Carlo exports: monthly.csv with band columns (mean, p5, p50, p95 of each metric), and
/// summary.json with the batch and each company's end-of-run bands. runs.csv (every replicate's monthly
/// rows, <c>--keep-runs</c>) is streamed by <see cref="RunsCsv"/> while the batch plays.
/// </summary>
public static class BandExport
{
    /// <summary>The metrics given as bands, in column order.</summary>
    public static readonly string[] Metrics = ["mau", "wau", "new_users", "market_share", "cash_usd", "headcount", "quality"];

    public static readonly string MonthlyHeader =
        "run,seed,month,market,company,app,runs," + string.Join(",", Metrics.SelectMany(m => new[] { $"{m}_mean", $"{m}_p5", $"{m}_p50", $"{m}_p95" }));

    /// <summary>The rule replicate seeds follow, as summary.json states it.</summary>
    public const string SeedRule = Seeds.Rule;

    /// <summary>summary.json lists the replicate seeds up to this many runs.</summary>
    public const int SeedListLimit = 1000;

    public static IReadOnlyDictionary<string, string> Render(MonteCarloOutput output) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["monthly.csv"] = Monthly(output),
        ["summary.json"] = Summary(output),
    };

    public static string Monthly(MonteCarloOutput o)
    {
        var sb = new StringBuilder(MonthlyHeader.Length * 4 * (o.Bands.Count + 1));
        sb.Append(MonthlyHeader).Append('\n');
        var seed = o.BaseSeed.ToString(CultureInfo.InvariantCulture);
        foreach (var r in o.Bands)
        {
            Csv.AppendLine(sb,
            [
                "all", seed, r.Month, r.Market, r.Company, r.App, r.Runs.ToString(CultureInfo.InvariantCulture),
                .. Fields(r.Mau, Csv.Count), .. Fields(r.Wau, Csv.Count), .. Fields(r.NewUsers, Csv.Count),
                .. Fields(r.MarketShare, Csv.Fraction), .. Fields(r.CashUsd, Csv.Count), .. Fields(r.Headcount, Csv.Decimal1),
                .. Fields(r.Quality, Csv.Fraction),
            ]);
        }
        return sb.ToString();
    }

    public static string Summary(MonteCarloOutput o)
    {
        var companies = new JsonArray();
        foreach (var c in o.Companies)
        {
            var apps = new JsonObject();
            foreach (var app in c.Apps)
            {
                apps[app.App] = new JsonObject { ["market"] = app.Market, ["market_share"] = Json(app.MarketShare, 6) };
            }
            companies.Add(new JsonObject
            {
                ["company"] = c.Company,
                ["month"] = c.Month,
                ["mau"] = Json(c.EndMau, 0),
                ["peak_mau"] = Json(c.PeakMau, 0),
                ["headcount"] = Json(c.Headcount, 1),
                ["stars"] = Json(c.Stars, 2),
                ["cash_usd"] = Json(c.CashUsd, 0),
                ["apps"] = apps,
            });
        }
        var seeds = ReplicateSeeds(SeedRule, o.BaseSeed, o.Runs, o.Uncertainty);
        var root = new JsonObject
        {
            ["scenario"] = o.ScenarioName,
            ["scenario_sha256"] = o.ScenarioSha256,
            ["seed"] = o.BaseSeed,
            ["runs"] = o.Runs,
            ["runs_requested"] = o.RunsRequested,
            ["cancelled"] = o.Cancelled,
            ["replicate_seeds"] = seeds,
            ["engine"] = o.Engine,
            ["placement"] = o.Placement,
            ["program_version"] = o.ProgramVersion,
            ["bands"] = $"mean, p5, p50, p95 over the runs; quantiles exact (R-7) up to {QuantileSketch.DefaultExactCapacity} runs, then extended P-square estimates",
            ["companies"] = companies,
        };
        AddUncertainty(root, o.Uncertainty, after: "replicate_seeds");
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>
    /// With posterior draws, inserts <c>"uncertainty": {mode, draws, key, ...}</c> after <paramref name="after"/>; with
    /// seeds alone adds nothing, so a seed batch's summary is what it always was.
    /// </summary>
    public static void AddUncertainty(JsonObject root, ReplicateUncertainty uncertainty, string after)
    {
        if (uncertainty.Mode == UncertaintyMode.Seed)
        {
            return;
        }
        root.Insert(root.IndexOf(after) + 1, "uncertainty", new JsonObject
        {
            ["mode"] = uncertainty.Name,
            ["bands"] = uncertainty.Describe(),
            ["posterior_of"] = uncertainty.DrawsScenario?.Replace('\\', '/'),
            ["draws_file"] = uncertainty.DrawsFile?.Replace('\\', '/'),
            ["draws_converged"] = uncertainty.DrawsConverged,
            ["draws_key"] = uncertainty.DrawsKey,
            ["draws_sha256_16"] = uncertainty.DrawsDigest,
            ["draws"] = uncertainty.Draws,
            ["draw_rule"] = ReplicateUncertainty.DrawRule,
        });
    }

    /// <summary>
    /// Writes the bands, any <paramref name="binaries"/> (charts, by relative path) and a streamed runs.csv,
    /// if staged, into the staged directory's target all at once.
    /// </summary>
    public static void Write(MonteCarloOutput output, StagedDirectory staged, IReadOnlyDictionary<string, byte[]>? binaries = null)
    {
        foreach (var (name, text) in Render(output))
        {
            staged.WriteText(name, text);
        }
        foreach (var (name, bytes) in binaries ?? new Dictionary<string, byte[]>())
        {
            staged.WriteBytes(name, bytes);
        }
        staged.Commit();
    }

    /// <summary>
    /// The seeds' rule, and the seeds themselves for batches of up to <see cref="SeedListLimit"/> runs; with posterior
    /// uncertainty alone (<see cref="ReplicateUncertainty.VariesSeed"/> false), the one seed every replicate plays.
    /// </summary>
    public static JsonObject ReplicateSeeds(string rule, ulong baseSeed, int runs, ReplicateUncertainty? uncertainty = null)
    {
        if (uncertainty is { VariesSeed: false })
        {
            return new JsonObject { ["rule"] = ReplicateUncertainty.OneSeedRule, ["seed"] = baseSeed };
        }
        var seeds = new JsonObject { ["rule"] = rule };
        if (runs <= SeedListLimit)
        {
            seeds["list"] = new JsonArray([.. Enumerable.Range(0, runs).Select(i => (JsonNode)Seeds.For(baseSeed, i))]);
        }
        return seeds;
    }

    private static IEnumerable<string> Fields(Band? band, Func<double?, string> format) =>
        band is null ? ["", "", "", ""] : [format(band.Mean), format(band.P5), format(band.P50), format(band.P95)];

    private static JsonObject Json(Band band, int digits) => new()
    {
        ["mean"] = Math.Round(band.Mean, digits),
        ["p5"] = Math.Round(band.P5, digits),
        ["p50"] = Math.Round(band.P50, digits),
        ["p95"] = Math.Round(band.P95, digits),
    };
}

/// <summary>
/// runs.csv: every replicate's monthly rows, in the single-run monthly.csv columns with <c>run</c> the
/// replicate index and <c>seed</c> its seed. Rows are written as replicates are folded and not kept.
/// </summary>
public sealed class RunsCsv(TextWriter writer)
{
    public const string FileName = "runs.csv";

    private readonly StringBuilder _line = new();
    private bool _headerWritten;

    public void Append(ReplicateResult replicate)
    {
        if (!_headerWritten)
        {
            writer.Write(RunExport.MonthlyHeader + "\n");
            _headerWritten = true;
        }
        var run = replicate.Index.ToString(CultureInfo.InvariantCulture);
        var seed = replicate.Seed.ToString(CultureInfo.InvariantCulture);
        foreach (var r in replicate.Rows)
        {
            _line.Clear();
            Csv.AppendLine(_line, run, seed, r.Month, r.Market, r.Company, r.App, Csv.Count(r.Mau), Csv.Count(r.Wau), Csv.Count(r.NewUsers),
                Csv.Fraction(r.RetentionD30), Csv.Fraction(r.MarketShare), Csv.Fraction(r.Quality), Csv.Decimal1(r.Headcount), Csv.Int(r.Stars), Csv.Count(r.CashUsd));
            writer.Write(_line);
        }
    }
}
