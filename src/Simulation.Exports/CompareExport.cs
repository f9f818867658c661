using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simulation.Experiments;
using Simulation.Model.Metrics;

namespace Simulation.Exports;

/// <summary>A scenario of a comparison: its name, the file it came from and the hash of what was run.</summary>
public sealed record ComparedScenario(string Name, string File, string Sha256)
{
    /// <summary>The what-if question the scenario asks (its <c>question</c> field), or empty.</summary>
    public string Question { get; init; } = "";
}

/// <summary>What <c>sim compare</c> hands to the exporters: paired bands of one metric over the replicates that finished.</summary>
/// <param name="Scenarios">The reference first, then the compared scenarios.</param>
/// <param name="Months">The months the table shows (compare.csv has every month).</param>
/// <param name="Apps">The apps of interest (the table's rows and the charts); <c>ALL</c> for market totals.</param>
/// <param name="Rows">Every compared scenario's rows, as <see cref="ComparisonAggregator.Rows"/> gives them.</param>
public sealed record ComparisonOutput(
    IReadOnlyList<ComparedScenario> Scenarios,
    string Metric,
    ulong BaseSeed,
    int RunsRequested,
    int Runs,
    string Engine,
    string? Placement,
    string ProgramVersion,
    IReadOnlyList<string> Months,
    IReadOnlyList<string> Apps,
    IReadOnlyList<ComparisonRow> Rows)
{
    /// <summary>What made the replicates differ: seeds (default), posterior draws (the same draw for every scenario), or both.</summary>
    public ReplicateUncertainty Uncertainty { get; init; } = ReplicateUncertainty.Seed;

    public ComparedScenario Reference => Scenarios[0];

    public bool Cancelled => Runs < RunsRequested;
}

/// <summary>
/// The comparison exports: compare.csv (every compared scenario, month, market and app: the reference's and
/// the scenario's median, the paired difference's mean and 90 % band, the relative difference's median) and
/// summary.json (scenarios, hashes, the seed rule, runs, program version).
/// </summary>
public static class CompareExport
{
    public const string FileName = "compare.csv";

    public const string Header = "scenario,month,market,company,app,metric,ref_p50,p50,diff_mean,diff_p5,diff_p50,diff_p95,rel_diff_p50";

    /// <summary>Common random numbers, as summary.json states them.</summary>
    public const string SeedRule = "common random numbers: replicate i of every scenario plays the same seed; " + BandExport.SeedRule;

    public static IReadOnlyDictionary<string, string> Render(ComparisonOutput output) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        [FileName] = Table(output),
        ["summary.json"] = Summary(output),
    };

    public static string Table(ComparisonOutput o)
    {
        var format = FormatOf(o.Metric);
        var sb = new StringBuilder(Header.Length * 2 * (o.Rows.Count + 1));
        sb.Append(Header).Append('\n');
        foreach (var r in o.Rows)
        {
            Csv.AppendLine(sb, Csv.Field(r.Scenario), r.Month, r.Market, r.Company, r.App, o.Metric,
                format(r.Reference.P50), format(r.Value.P50),
                format(r.Difference.Mean), format(r.Difference.P5), format(r.Difference.P50), format(r.Difference.P95),
                Csv.Fraction(r.RelativeDifference?.P50));
        }
        return sb.ToString();
    }

    public static string Summary(ComparisonOutput o)
    {
        var scenarios = new JsonArray();
        for (var i = 0; i < o.Scenarios.Count; i++)
        {
            var s = o.Scenarios[i];
            scenarios.Add(new JsonObject
            {
                ["name"] = s.Name,
                ["role"] = i == 0 ? "reference" : "compared",
                ["file"] = s.File,
                ["scenario_sha256"] = s.Sha256,
            });
        }
        var seeds = BandExport.ReplicateSeeds(SeedRule, o.BaseSeed, o.Runs, o.Uncertainty);
        var root = new JsonObject
        {
            ["reference"] = o.Reference.Name,
            ["scenarios"] = scenarios,
            ["metric"] = o.Metric,
            ["seed"] = o.BaseSeed,
            ["runs"] = o.Runs,
            ["runs_requested"] = o.RunsRequested,
            ["cancelled"] = o.Cancelled,
            ["replicate_seeds"] = seeds,
            ["engine"] = o.Engine,
            ["placement"] = o.Placement,
            ["program_version"] = o.ProgramVersion,
            ["months"] = new JsonArray([.. o.Months.Select(m => (JsonNode)m)]),
            ["apps"] = new JsonArray([.. o.Apps.Select(a => (JsonNode)a)]),
            ["differences"] = $"scenario minus reference, replicate by replicate (paired by {Pairing(o.Uncertainty)}), then banded; " +
                "relative difference: over the reference's value, leaving out replicates where it is 0; an app a scenario lacks counts as 0",
            ["bands"] = $"mean, p5, p50, p95 over the runs; quantiles exact (R-7) up to {QuantileSketch.DefaultExactCapacity} runs, then extended P-square estimates",
        };
        BandExport.AddUncertainty(root, o.Uncertainty, after: "replicate_seeds");
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>What replicate i of every scenario shares: its seed, its posterior draw (the compared scenario's own overrides win), or both.</summary>
    public static string Pairing(ReplicateUncertainty u) => u.Mode switch
    {
        UncertaintyMode.Posterior => "posterior draw, on one seed",
        UncertaintyMode.Both => "seed and posterior draw",
        _ => "seed",
    };

    /// <summary>How compare.csv writes a value of <paramref name="metric"/>: people and dollars whole, shares as fractions, headcount to a tenth.</summary>
    private static Func<double?, string> FormatOf(string metric) => metric switch
    {
        "market_share" => Csv.Fraction,
        "headcount" => Csv.Decimal1,
        _ => Csv.Count,
    };
}
