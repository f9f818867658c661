using System.Globalization;

namespace Simulation.Exports.Charts;

/// <summary>
/// Where a chart's curves come from, so that a picture can be traced back to its run: scenario name
/// and SHA-256, the seed or seeds, the engine and the program version. It also fixes the company order
/// that gives each company its colour.
/// </summary>
public sealed record ChartSource(
    string ScenarioName, string ScenarioSha256, IReadOnlyList<ulong> Seeds, string Engine, string ProgramVersion, IReadOnlyList<string> Companies)
{
    public static ChartSource Of(RunOutput output) => new(
        output.ScenarioName, output.ScenarioSha256, [output.Seed], output.Engine, output.ProgramVersion, [.. output.FinalCompanies.Select(c => c.Company)]);

    /// <summary>Says which seeds were played when the list alone would not (e.g. "200 runs from base seed 7").</summary>
    public string? SeedDescription { get; init; }

    /// <summary>"scenario baseline (sha256 1a2b3c4d5e6f), seed 20241205, engine orleans, sim 0.1.0".</summary>
    public string Subtitle =>
        $"scenario {ScenarioName} (sha256 {Short(ScenarioSha256)}), {SeedDescription ?? SeedText(Seeds)}, engine {Engine}, sim {ProgramVersion}";

    /// <summary>The palette index of a company: its place in the scenario, else after the known ones.</summary>
    public int ColorOf(string company)
    {
        for (var i = 0; i < Companies.Count; i++)
        {
            if (string.Equals(Companies[i], company, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return Companies.Count + (int)(Fnv(company) % 7);
    }

    public static string SeedText(IReadOnlyList<ulong> seeds)
    {
        static string S(ulong s) => s.ToString(CultureInfo.InvariantCulture);
        return seeds.Count switch
        {
            0 => "no seed",
            1 => $"seed {S(seeds[0])}",
            <= 4 => $"seeds {string.Join(", ", seeds.Select(S))}",
            _ when IsRange(seeds) => $"{seeds.Count} runs, seeds {S(seeds[0])}-{S(seeds[^1])}",
            _ => $"{seeds.Count} runs, seeds {S(seeds[0])}, {S(seeds[1])}, ..., {S(seeds[^1])}",
        };
    }

    private static bool IsRange(IReadOnlyList<ulong> seeds)
    {
        for (var i = 1; i < seeds.Count; i++)
        {
            if (seeds[i] != seeds[i - 1] + 1)
            {
                return false;
            }
        }
        return true;
    }

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;

    private static uint Fnv(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }
}
