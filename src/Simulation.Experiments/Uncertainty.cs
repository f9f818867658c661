using System.Globalization;
using Simulation.Model.Config;

namespace Simulation.Experiments;

/// <summary>What makes an experiment's replicates differ (<c>--uncertainty</c>).</summary>
public enum UncertaintyMode
{
    /// <summary>The dice only: replicate r plays <see cref="Seeds.For"/>(base seed, r) with the scenario's own values.</summary>
    Seed,

    /// <summary>The parameters only: replicate r plays posterior draw r on the base seed itself (every replicate the same dice).</summary>
    Posterior,

    /// <summary>Both: replicate r plays posterior draw r and seed r.</summary>
    Both,
}

/// <summary>
/// How an experiment's replicates differ: by their seeds (the default, <see cref="Seed"/>), by the values of the
/// scenario's free parameters (a posterior draw per replicate), or by both. <see cref="ScenarioOf"/> gives the
/// scenario replicate r of variant v plays; it depends on (v, r) alone, so results do not depend on which replicate
/// is played first, and it may be called from several threads at once.
/// </summary>
public sealed record ReplicateUncertainty
{
    /// <summary>Seed uncertainty alone: what every experiment did before <c>--uncertainty</c>.</summary>
    public static ReplicateUncertainty Seed { get; } = new() { Mode = UncertaintyMode.Seed };

    public required UncertaintyMode Mode { get; init; }

    /// <summary>The scenario replicate r (second argument) of variant v (first) plays; null: the variant itself.</summary>
    public Func<int, int, ScenarioInfo>? ScenarioOf { get; init; }

    /// <summary>How many posterior draws there are to choose from (0 in seed mode).</summary>
    public int Draws { get; init; }

    /// <summary>The key of the draws (the hash of the scenario they were drawn for), or null in seed mode.</summary>
    public string? DrawsKey { get; init; }

    /// <summary>A hash of the draws' contents: a results cache must not serve bands of other draws under the same key.</summary>
    public string? DrawsDigest { get; init; }

    /// <summary>The draws file (as it is shown to the user), or null in seed mode.</summary>
    public string? DrawsFile { get; init; }

    /// <summary>The scenario file whose posterior the draws are (a what-if may use its base's).</summary>
    public string? DrawsScenario { get; init; }

    /// <summary>Whether the report saved beside the draws says their chains converged (every R-hat below 1.05); null without a report.</summary>
    public bool? DrawsConverged { get; init; }

    /// <summary>Each replicate plays a seed of its own (seed and both); with posterior alone, every replicate plays the base seed.</summary>
    public bool VariesSeed => Mode != UncertaintyMode.Posterior;

    public bool VariesParameters => Mode != UncertaintyMode.Seed;

    /// <summary>The mode as <c>--uncertainty</c> and summary.json name it: seed, posterior or both.</summary>
    public string Name => Mode switch
    {
        UncertaintyMode.Posterior => "posterior",
        UncertaintyMode.Both => "both",
        _ => "seed",
    };

    /// <summary>"seed and posterior (2,000 draws, key 3fa2b1c0d9e8f7a6)", for charts, tables and summaries.</summary>
    public string Describe() => Mode switch
    {
        UncertaintyMode.Seed => "seed",
        UncertaintyMode.Posterior => $"posterior ({DrawsText()})",
        _ => $"seed and posterior ({DrawsText()})",
    };

    /// <summary>How replicates choose their draw, as summary.json states it.</summary>
    public const string DrawRule = "replicate i of N plays posterior draw floor(i * D / N) of the D draws (pooled chains, in file order): evenly spaced, the same for every scenario and point";

    /// <summary>How replicates choose their seed under posterior uncertainty alone, as summary.json states it.</summary>
    public const string OneSeedRule = "every replicate plays the base seed itself (--uncertainty posterior: parameter uncertainty only)";

    /// <summary>"posterior 3fa2b1c0": the draws by the first 8 digits of their key, short enough for a chart's subtitle.</summary>
    public string DrawsShort() => $"posterior {(DrawsKey is { Length: > 8 } k ? k[..8] : DrawsKey)}";

    private string DrawsText() => string.Create(CultureInfo.InvariantCulture, $"{Draws:N0} draws, key {DrawsKey}");

    /// <summary>What a results cache key adds for this uncertainty: nothing for seed (keys of seed batches are unchanged).</summary>
    public string? CacheText => Mode == UncertaintyMode.Seed ? null : $"uncertainty {Name}\ndraws {DrawsKey} {Draws} {DrawsDigest}";

    /// <summary>Parses <c>seed</c>, <c>posterior</c> or <c>both</c>.</summary>
    public static UncertaintyMode ParseMode(string? text) => text switch
    {
        null or "seed" => UncertaintyMode.Seed,
        "posterior" => UncertaintyMode.Posterior,
        "both" => UncertaintyMode.Both,
        _ => throw new FormatException($"--uncertainty: expected seed, posterior or both, got '{text}'"),
    };
}
