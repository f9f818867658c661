using System.CommandLine;
using Simulation.Cli.Bench;
using Simulation.Exports;
using Simulation.Model.Time;

namespace Simulation.Cli.Commands;

/// <summary>
/// <c>sim bench --synthetic</c>: writes a synthetic market (<see cref="SyntheticScenario"/>) of the size asked for as a
/// scenario file, which <c>sim run</c> and <c>sim bench --run</c> play like any other.
/// </summary>
public sealed class SyntheticOptions
{
    private readonly Option<bool> _synthetic = new("--synthetic") { Description = "Write a synthetic market of the size given by --companies, --researchers, --markets, --apps, --tick and --ticks (or --years) to --out FILE.yaml; plays nothing." };
    private readonly Option<int> _companies = new("--companies") { Description = "With --synthetic: companies.", DefaultValueFactory = _ => 1000 };
    private readonly Option<int> _researchers = new("--researchers") { Description = "With --synthetic: named researchers, spread over the companies (every ninth on the job market).", DefaultValueFactory = _ => 100_000 };
    private readonly Option<int> _markets = new("--markets") { Description = "With --synthetic: markets.", DefaultValueFactory = _ => 50 };
    private readonly Option<int> _apps = new("--apps") { Description = "With --synthetic: apps per company, spread over the markets.", DefaultValueFactory = _ => 2 };
    private readonly Option<string> _tick = new("--tick") { Description = "With --synthetic: the tick length.", DefaultValueFactory = _ => "week" };
    private readonly Option<double?> _poachRate = new("--poach-rate") { Description = "With --synthetic (default 0.2) or --scaling (default: 20 stars a month over the researchers): each company's offers per month to each star it may approach (policy poachRate)." };
    private readonly Option<int?> _ticks = new("--ticks") { Description = "With --synthetic: the horizon in ticks (default 520; --years for whole calendar years instead)." };

    public SyntheticOptions() => _tick.AcceptOnlyFromAmong("day", "week", "month");

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _synthetic, _companies, _researchers, _markets, _apps, _tick, _ticks, _poachRate })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Whether <c>--synthetic</c> was given.</summary>
    public bool Asked(ParseResult parse) => parse.GetValue(_synthetic);

    /// <summary>Whether any of the options that need <c>--synthetic</c> was given.</summary>
    private bool Given(ParseResult parse) =>
        new Option[] { _companies, _researchers, _markets, _apps, _tick, _ticks }.Any(o => parse.GetResult(o) is { Implicit: false });

    /// <summary><c>--poach-rate</c> if given (for <c>--synthetic</c> or <c>--scaling</c>), checked.</summary>
    public double? PoachRate(ParseResult parse) => parse.GetValue(_poachRate) is { } rate ? Between("--poach-rate", rate, 0, 30) : null;

    /// <summary>
    /// With <c>--synthetic</c>: the market of the options' size, written to <paramref name="file"/> (<paramref name="years"/>: the
    /// horizon in calendar years instead of ticks); null without it.
    /// </summary>
    public SyntheticScenario? Parse(ParseResult parse, string? file, int? years)
    {
        if (!parse.GetValue(_synthetic))
        {
            if (Given(parse))
            {
                throw new UsageException("--companies, --researchers, --markets, --apps, --tick and --ticks apply only with --synthetic");
            }
            return null;
        }
        if (file is null)
        {
            throw new UsageException("--synthetic writes a scenario file: name it with --out FILE.yaml");
        }
        if (years is not null && parse.GetValue(_ticks) is not null)
        {
            throw new UsageException("--synthetic: give the horizon as --ticks or as --years, not both");
        }
        return new SyntheticScenario(
            Companies: Between("--companies", parse.GetValue(_companies), 1, 10_000),
            Researchers: Between("--researchers", parse.GetValue(_researchers), 0, 10_000_000),
            AppsPerCompany: Between("--apps", parse.GetValue(_apps), 1, 100),
            Markets: Between("--markets", parse.GetValue(_markets), 1, 10_000),
            Years: Between("--years", years ?? 1, 1, 100),
            Tick: Enum.Parse<TickLength>(parse.GetValue(_tick)!, ignoreCase: true),
            Ticks: years is null ? Between("--ticks", parse.GetValue(_ticks) ?? 520, 1, 36_525) : null,
            PoachRate: PoachRate(parse) ?? SyntheticScenario.DefaultPoachRate);
    }

    /// <summary>Writes the market's YAML to <paramref name="file"/> (whole or not at all) and says so.</summary>
    public static async Task<int> WriteAsync(SyntheticScenario synthetic, string file, TextWriter stdout)
    {
        OutputFolder.CheckFile(file);
        var yaml = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        synthetic.Write(yaml);
        AtomicFile.Write(file, yaml.ToString());
        await stdout.WriteLineAsync($"Wrote {file}: {synthetic.Name}, {synthetic.Companies:N0} companies, {synthetic.Researchers:N0} researchers, " +
            $"{synthetic.Companies * synthetic.AppsPerCompany:N0} apps in {synthetic.Markets:N0} markets, {synthetic.Tick.ToString().ToLowerInvariant()} ticks to {synthetic.End:yyyy-MM-dd}");
        return ExitCodes.Success;
    }

    private static double Between(string option, double value, double min, double max) =>
        value >= min && value <= max ? value : throw new UsageException($"{option} must be between {min} and {max} (got {value})");

    private static int Between(string option, int value, int min, int max) =>
        value >= min && value <= max ? value : throw new UsageException($"{option} must be between {min:N0} and {max:N0} (got {value})");
}
