using System.Globalization;
using Simulation.Calibration.Posterior;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Metrics;
using Simulation.Model.Targets;

namespace Simulation.Calibration;

/// <summary>
/// What a backtest fits and what it holds back: the scenario refitted on the targets dated up to a month, and the
/// targets with a figure dated after it, up to the scenario's own fitting window (its <c>fitUntil</c>, else its end),
/// that the refitted model must then predict. Checked before any work (<see cref="Prepare"/>).
/// </summary>
public sealed class BacktestPlan
{
    /// <summary>The target kinds whose figure is a number, and so can be scored against a band of simulated figures.</summary>
    public static readonly IReadOnlySet<TargetKind> Scored = new HashSet<TargetKind>
    {
        TargetKind.MarketActives, TargetKind.MarketGrowth, TargetKind.AppActives,
        TargetKind.AppWeekly, TargetKind.AppWeeklyAtLeast, TargetKind.Retention,
    };

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private BacktestPlan(ScenarioText original, ScenarioText text, ScenarioInfo originalInfo, DateOnly month, DateOnly windowEnd, bool windowIsFitUntil,
        IReadOnlyList<TargetInfo> fitted, IReadOnlyList<TargetInfo> heldBack, IReadOnlyList<TargetInfo> notScored)
    {
        Original = original;
        Text = text;
        OriginalInfo = originalInfo;
        Month = month;
        WindowEnd = windowEnd;
        WindowIsFitUntil = windowIsFitUntil;
        Fitted = fitted;
        HeldBack = heldBack;
        NotScored = notScored;
    }

    /// <summary>The scenario as its file has it.</summary>
    public ScenarioText Original { get; }

    /// <summary>The backtest scenario, in memory: the file's text with <c>fitUntil</c> at <see cref="Month"/> and the name <see cref="Name"/>.</summary>
    public ScenarioText Text { get; }

    public ScenarioInfo OriginalInfo { get; }

    /// <summary>The last month the backtest fits (the first of it).</summary>
    public DateOnly Month { get; }

    /// <summary>The last month held back: the scenario's own <c>fitUntil</c>, else its last month.</summary>
    public DateOnly WindowEnd { get; }

    /// <summary>Whether <see cref="WindowEnd"/> is the scenario's <c>fitUntil</c> (else its end).</summary>
    public bool WindowIsFitUntil { get; }

    /// <summary>The targets the backtest's fit uses: in a series, dated up to <see cref="Month"/>.</summary>
    public IReadOnlyList<TargetInfo> Fitted { get; }

    /// <summary>The targets scored: a figure, dated after <see cref="Month"/> and up to <see cref="WindowEnd"/>, in file order.</summary>
    public IReadOnlyList<TargetInfo> HeldBack { get; }

    /// <summary>Targets in the held-back months whose verdict is not a figure (rankings, yes/no): listed, not scored.</summary>
    public IReadOnlyList<TargetInfo> NotScored { get; }

    /// <summary>The backtest scenario's name (<see cref="NameFor"/>).</summary>
    public string Name => NameFor(OriginalInfo.Name, Month);

    /// <summary>"2024-06".</summary>
    public string MonthText => Month.ToString("yyyy-MM", Inv);

    /// <summary>The backtest scenario's name: the original's with <c>-backtest-yyyy-MM</c> (cut to the 64 characters a name may have).</summary>
    public static string NameFor(string name, DateOnly month)
    {
        var suffix = "-backtest-" + month.ToString("yyyy-MM", Inv);
        return name.Length + suffix.Length <= 64 ? name + suffix : name[..(64 - suffix.Length)].TrimEnd('-') + suffix;
    }

    /// <summary>Parses a month written yyyy-MM, or null.</summary>
    public static DateOnly? ParseMonth(string? text) =>
        text is { Length: 7 } && DateOnly.TryParseExact(text, "yyyy-MM", Inv, DateTimeStyles.None, out var month) ? month : null;

    /// <summary>
    /// Checks that <paramref name="original"/> can be backtested at <paramref name="monthText"/> and makes the backtest scenario.
    /// </summary>
    /// <exception cref="CalibrationInputException">No fit: parameter, a bad or outside month, nothing to fit up to it, or nothing held back after it.</exception>
    public static BacktestPlan Prepare(ScenarioText original, string monthText)
    {
        if (original.Parameters.Count == 0)
        {
            throw new CalibrationInputException($"{original.File}: no parameter to fit: mark one with fit: {{min, max}}, e.g. {{value: x, assumption: \"...\", fit: {{min: a, max: b}}}} (no number is marked for fitting)");
        }
        if (ParseMonth(monthText) is not { } month)
        {
            throw new CalibrationInputException($"--fit-until: expected a month as yyyy-MM (e.g. 2024-06), got '{monthText}'");
        }
        var info = original.Bind([.. original.Parameters.Select(p => p.Start)]).Info;
        var first = FirstOf(info.Start);
        var last = FirstOf(info.End);
        if (month < first || month > last)
        {
            throw new CalibrationInputException(
                $"--fit-until {monthText} lies outside the scenario {info.Name} ({first.ToString("yyyy-MM", Inv)} to {last.ToString("yyyy-MM", Inv)})");
        }
        var fitted = info.Targets.Where(t => t.Series is not null && FirstOf(t.Month) <= month).ToList();
        if (fitted.Count == 0)
        {
            var earliest = info.Targets.Where(t => t.Series is not null).Select(t => (DateOnly?)FirstOf(t.Month)).Min();
            throw new CalibrationInputException(
                $"nothing to fit up to {monthText}: no target of {original.File} in a series (series: ID) is dated up to it" +
                (earliest is { } e ? $"; the first is dated {e.ToString("yyyy-MM", Inv)}" : "; none names a series"));
        }
        var windowIsFitUntil = info.FitUntil is not null;
        var windowEnd = info.FitUntil is { } until ? FirstOf(until) : last;
        bool Held(TargetInfo t) => FirstOf(t.Month) > month && FirstOf(t.Month) <= windowEnd;
        var heldBack = info.Targets.Where(t => Held(t) && Scored.Contains(t.Kind) && t.Value is not null).ToList();
        if (heldBack.Count == 0)
        {
            var window = windowIsFitUntil ? $"the scenario's fitUntil, {windowEnd.ToString("yyyy-MM", Inv)}" : $"the scenario's end, {windowEnd.ToString("yyyy-MM", Inv)}";
            throw new CalibrationInputException(
                $"nothing held back after {monthText}: no target of {original.File} with a figure ({string.Join(", ", Scored.Select(KindName))}) " +
                $"is dated after {monthText} and up to {window}; choose an earlier --fit-until");
        }
        var notScored = info.Targets.Where(t => Held(t) && !heldBack.Contains(t)).ToList();
        ScenarioText text;
        try
        {
            text = original.WithFitUntil(month).WithName(NameFor(info.Name, month));
        }
        catch (Simulation.Scenarios.Yaml.ScenarioException e)
        {
            throw new CalibrationInputException($"{original.File}: the backtest scenario (fitUntil {monthText}) does not load: {string.Join("; ", e.Errors.Select(x => x.Message))}");
        }
        return new BacktestPlan(original, text, info, month, windowEnd, windowIsFitUntil, fitted, heldBack, notScored);
    }

    /// <summary>The kind as scenario files write it (marketActives, ...).</summary>
    public static string KindName(TargetKind kind)
    {
        var name = kind.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static DateOnly FirstOf(DateOnly date) => new(date.Year, date.Month, 1);
}

/// <summary>One held-back target against the replicates' figures.</summary>
/// <param name="Figures">Each replicate's figure, in replicate order (NaN where the run lacks it).</param>
public sealed record BacktestPoint(TargetInfo Target, IReadOnlyList<double> Figures)
{
    private readonly double[] _sorted = [.. Figures.Where(double.IsFinite).Order()];

    public double Observed => Target.Value!.Value;

    /// <summary>Replicates that gave the figure.</summary>
    public int Runs => _sorted.Length;

    public double P5 => Quantiles.OfSorted(_sorted, 0.05);

    public double P25 => Quantiles.OfSorted(_sorted, 0.25);

    public double Median => Quantiles.OfSorted(_sorted, 0.5);

    public double P75 => Quantiles.OfSorted(_sorted, 0.75);

    public double P95 => Quantiles.OfSorted(_sorted, 0.95);

    /// <summary>The median's relative error, (median - observed) / observed (NaN without a figure).</summary>
    public double Error => Runs == 0 ? double.NaN : Observed != 0 ? (Median - Observed) / Observed : Median - Observed;

    /// <summary>The observation lies in the central 50 % band (quantiles 25-75, inclusive).</summary>
    public bool Inside50 => Runs > 0 && P25 <= Observed && Observed <= P75;

    /// <summary>The observation lies in the central 90 % band (quantiles 5-95, inclusive).</summary>
    public bool Inside90 => Runs > 0 && P5 <= Observed && Observed <= P95;
}

/// <summary>The scores of every held-back point: the median absolute relative error and how many lie in each band.</summary>
public sealed record BacktestScore(IReadOnlyList<BacktestPoint> Points)
{
    public int Count => Points.Count;

    /// <summary>The median over the points of |error of the median| (a point without a figure counts as infinitely wrong).</summary>
    public double MedianAbsoluteError => Quantiles.Of(Points.Select(p => double.IsNaN(p.Error) ? double.PositiveInfinity : Math.Abs(p.Error)), 0.5);

    public int Inside50 => Points.Count(p => p.Inside50);

    public int Inside90 => Points.Count(p => p.Inside90);
}

/// <summary>
/// Plays a backtest's replicates: replicate r plays posterior draw <see cref="PosteriorDraws.ForReplicate"/>(r, runs) of the
/// backtest's fit on seed <see cref="Seeds.For"/>(base seed, r) (parameter and seed uncertainty, <c>--uncertainty both</c>),
/// over the whole horizon, on <see cref="ExperimentRunner"/> in process, and collects each held-back target's figure.
/// The figures are folded in replicate order: the same on any number of cores.
/// </summary>
public static class Backtest
{
    /// <summary>Every held-back target's figures, one per replicate, and whether the batch was cancelled before the end.</summary>
    public static async Task<(BacktestScore Score, bool Cancelled)> PlayAsync(
        BacktestPlan plan, IReadOnlyList<double> mode, PosteriorDraws draws, int runs, int parallel,
        IProgress<ExperimentProgress>? progress = null, CancellationToken ct = default)
    {
        var template = plan.Text.Bind(mode).Info;
        var bind = Binder(plan.Text, template, draws, runs);
        var experiment = new Experiment([template], runs, template.Seed)
        {
            Stage = "backtest",
            Uncertainty = new ReplicateUncertainty
            {
                Mode = UncertaintyMode.Both,
                Draws = draws.Count,
                DrawsKey = draws.Key,
                ScenarioOf = (_, r) => bind(draws.ForReplicate(r, runs)),
            },
        };
        var figures = plan.HeldBack.Select(_ => new double[runs]).ToArray();
        var result = await ExperimentRunner.RunAsync<double[]>(experiment, parallel,
            cell => Task.Run(() => Figures(experiment.ScenarioOf(cell.Variant, cell.Replicate), cell.Seed, plan.HeldBack), CancellationToken.None),
            cell =>
            {
                for (var i = 0; i < figures.Length; i++)
                {
                    figures[i][cell.Replicate] = cell.Result[i];
                }
            }, progress, ct);
        var points = plan.HeldBack.Select((t, i) => new BacktestPoint(t, figures[i][..result.Folded])).ToList();
        return (new BacktestScore(points), result.Cancelled);
    }

    /// <summary>A replicate's figure of each target (NaN where the run lacks it), over the whole horizon.</summary>
    private static double[] Figures(ScenarioInfo scenario, ulong seed, IReadOnlyList<TargetInfo> targets)
    {
        var collector = Replicates.Collect(scenario, seed);
        var evaluator = new TargetEvaluator(scenario, collector.MonthRows, collector.Events);
        return [.. targets.Select(t => evaluator.Evaluate(t).Value)];
    }

    /// <summary>
    /// How a draw becomes a scenario: set on the bound records directly (<see cref="DirectValues"/>) when that is checked,
    /// on the first draw played, to give what binding gives; else bound from the YAML each time.
    /// </summary>
    private static Func<double[], ScenarioInfo> Binder(ScenarioText text, ScenarioInfo template, PosteriorDraws draws, int runs)
    {
        ScenarioInfo Bind(double[] draw) => text.Bind(draw).Info;
        var all = draws.Paths.Select(_ => true).ToArray();
        if (DirectValues.For(template, draws.Paths) is not { } direct)
        {
            return Bind;
        }
        var first = draws.ForReplicate(0, runs);
        try
        {
            if (direct.Apply(template, first, all) is not { } fast || fast.Fingerprint() != Bind(first).Fingerprint())
            {
                return Bind;
            }
        }
        catch (Simulation.Scenarios.Yaml.ScenarioException)
        {
            return Bind;
        }
        return draw => direct.Apply(template, draw, all) ?? Bind(draw);
    }
}
