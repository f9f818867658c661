using System.CommandLine;
using Simulation.Calibration.Posterior;

namespace Simulation.Cli.Commands;

/// <summary>The sampler's options, declared once for <c>sim posterior</c> and <c>sim backtest</c> (each with its own defaults).</summary>
public sealed class PosteriorOptionSet
{
    public Option<int> Chains { get; }
    public Option<int> Warmup { get; }
    public Option<int> Draws { get; }
    public Option<int> Thin { get; }

    public PosteriorOptionSet(PosteriorOptions defaults)
    {
        Chains = new Option<int>("--chains") { Description = "Posterior chains (at least 2; R-hat compares them); they share one archive of past states.", DefaultValueFactory = _ => defaults.Chains };
        Warmup = new Option<int>("--warmup") { Description = "Warm-up generations (every chain steps once per generation; discarded).", DefaultValueFactory = _ => defaults.Warmup };
        Draws = new Option<int>("--draws") { Description = "Kept draws per chain.", DefaultValueFactory = _ => defaults.Draws };
        Thin = new Option<int>("--thin") { Description = "Generations per kept draw after the warm-up.", DefaultValueFactory = _ => defaults.Thin };
    }

    public IEnumerable<Option> All => [Chains, Warmup, Draws, Thin];

    /// <summary>The options as parsed, checked (exit 2 with the option's name for a value below its least).</summary>
    public PosteriorOptions Read(ParseResult parse, int seeds) => new()
    {
        Chains = NumericOptions.AtLeast(parse.GetValue(Chains), 2, "--chains"),
        Warmup = NumericOptions.AtLeast(parse.GetValue(Warmup), 100, "--warmup"),
        Draws = NumericOptions.AtLeast(parse.GetValue(Draws), 100, "--draws"),
        Thin = NumericOptions.AtLeast(parse.GetValue(Thin), 1, "--thin"),
        Seeds = seeds,
    };

    /// <summary>How the sampler will spend its generations, in words.</summary>
    public static string Describe(PosteriorOptions o) =>
        $"{o.Chains} chains, {o.Warmup} warm-up generations, then {o.Draws} draws each, {(o.Thin == 1 ? "one every generation" : $"one every {o.Thin} generations")}";
}
