using System.CommandLine;
using Simulation.Experiments;

namespace Simulation.Cli.Commands;

/// <summary>
/// <c>--uncertainty seed|posterior|both</c> of <c>sim run --runs</c>, <c>sim compare</c> and <c>sim sweep</c>: what makes
/// replicates differ. seed (default): each plays a seed of its own. posterior: each plays a posterior draw of the free
/// parameters (<c>sim posterior FILE</c> makes them) on the base seed. both: a draw and a seed each.
/// </summary>
public static class UncertaintyOption
{
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--uncertainty")
        {
            Description = "What makes replicates differ: seed (default: a seed each), posterior (a posterior draw of the free " +
                "parameters each, from `sim posterior FILE`, on one seed) or both (a draw and a seed each).",
            HelpName = "seed|posterior|both",
        };
        option.AcceptOnlyFromAmong("seed", "posterior", "both");
        return option;
    }

    public static UncertaintyMode Mode(ParseResult parse, Option<string?> option) => ReplicateUncertainty.ParseMode(parse.GetValue(option));

    /// <summary>On stderr: which draws the replicates play, and whether they repeat (more runs than draws).</summary>
    public static async Task SayAsync(TextWriter stderr, ReplicateUncertainty u, int runs)
    {
        if (u.Mode == UncertaintyMode.Seed)
        {
            return;
        }
        var reuse = runs > u.Draws
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; {runs:N0} runs over {u.Draws:N0} draws: each draw plays about {(double)runs / u.Draws:0.#} times")
            : "";
        await stderr.WriteLineAsync($"uncertainty: {u.Describe()}, the posterior of {u.DrawsScenario} ({u.DrawsFile}){reuse}");
        if (u.DrawsConverged == false)
        {
            await stderr.WriteLineAsync(
                $"warning: the report beside these draws ({Path.ChangeExtension(u.DrawsFile, ".txt")}) says NOT CONVERGED: the bands show where the chains went, " +
                $"not yet the posterior; run `sim posterior {u.DrawsScenario}` longer (--warmup, --draws, --thin) until every R-hat is below 1.05");
        }
    }

    /// <summary>", bands: seed and posterior (2,000 draws, key ...)" for a table's first line; empty for seeds alone.</summary>
    public static string TableNote(ReplicateUncertainty u) => u.Mode == UncertaintyMode.Seed ? "" : $"; bands: {u.Describe()}";
}
