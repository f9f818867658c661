using System.Collections.Immutable;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Metrics;
using Simulation.Model.Rules;

namespace Simulation.Workshop;

/// <summary>One step of the causal chain for an app: the reference's and the variant's bands and the paired difference's.</summary>
public sealed record DebriefStep(string Step, string Metric, Band Reference, Band Variant, Band Difference);

/// <summary>An app of the team's company in the debrief's month: its chain, from talent to share.</summary>
public sealed record DebriefApp(string App, string Market, ImmutableArray<DebriefStep> Chain);

/// <summary>
/// A debrief what-if: the team's company under two variants of the session, each played on <see cref="Runs"/> seeds with
/// common random numbers, compared replicate by replicate at the end of <see cref="Month"/>.
/// </summary>
public sealed record DebriefView
{
    public required string Company { get; init; }
    public required int Round { get; init; }
    /// <summary>skill-or-luck or fork.</summary>
    public required string Kind { get; init; }
    public required string Reference { get; init; }
    public required string Variant { get; init; }
    public required int Runs { get; init; }
    /// <summary>The month compared (yyyy-MM): the last whole month of the round (skill-or-luck) or of the rounds played (fork).</summary>
    public required string Month { get; init; }
    public required ImmutableArray<DebriefApp> Apps { get; init; }
    /// <summary>What the session's own run gave for each app's monthly actives in that month (its seed is the scenario's).</summary>
    public required ImmutableDictionary<string, double> Realized { get; init; }
    /// <summary>The verdict in words: whether the difference's 90 % band excludes zero, and where the session's run fell in its band.</summary>
    public required string Verdict { get; init; }
}

/// <summary>
/// The debrief no platform has, because the engine is deterministic and ensembles are cheap:
/// <list type="bullet">
/// <item><see cref="SkillOrLuck"/>: for a team and a round played, the ensemble of what its decisions led to against what
/// the computer policy (its policy in force, no decision that round) would have done from the same state: if the paired
/// difference's band excludes zero the decisions mattered; where the session's run fell in its own band is the luck.</item>
/// <item><see cref="Fork"/>: replay from round k with one decision changed, played beside the real session to the last
/// round played, with the causal chain saying why they differ.</item>
/// </list>
/// Neither changes the session: they are what-ifs of its journal.
/// </summary>
public static class Debrief
{
    public const int DefaultRuns = 10;
    public const int MaxRuns = 200;

    /// <summary>The chain of an app, in causal order (the model's, <see cref="CausalChain.App"/>), and the company's cash after it.</summary>
    public static readonly ImmutableArray<(string Step, string Metric)> Chain = [.. CausalChain.App, ("cash", "cash_usd")];

    /// <summary>What the team's decisions of <paramref name="round"/> did, against the computer's play of that round, on <paramref name="runs"/> seeds.</summary>
    /// <exception cref="WorkshopRefusal">No team plays the company, or the round has not been played.</exception>
    public static async Task<DebriefView> SkillOrLuck(WorkshopSession session, string company, int round, int runs = DefaultRuns, CancellationToken ct = default)
    {
        Check(session, company, round, runs);
        var played = session.ScenarioThrough(round);
        var computer = session.ScenarioWith(round, company, round, decision: null);
        var plan = session.Setup.Plan[round - 1];
        var view = await Compare(session, company, round, "skill-or-luck", computer, played, plan.EndTick, runs, ct);
        return view with
        {
            Reference = $"the computer's play of round {round} (its policy in force)",
            Variant = session.DecisionOf(round, company) is null ? "your play (no decision: the same as the computer's)" : "your decisions",
        };
    }

    /// <summary>
    /// The session replayed with the team's decision of <paramref name="round"/> replaced by <paramref name="decision"/>,
    /// beside the real session, to the end of the rounds played.
    /// </summary>
    /// <exception cref="WorkshopRefusal">As <see cref="SkillOrLuck"/>, or the decision is invalid (checked against the state at the start of the round).</exception>
    public static async Task<DebriefView> Fork(WorkshopSession session, string company, int round, DecisionInput decision, int runs = DefaultRuns, CancellationToken ct = default)
    {
        Check(session, company, round, runs);
        var before = PlayedState.Play(session.ScenarioThrough(round - 1), session.Setup.Plan, round - 1);
        var errors = DecisionRules.Check(before, session.Setup.Plan[round - 1], company, decision);
        if (!errors.IsEmpty)
        {
            throw WorkshopRefusal.Invalid(errors);
        }
        var rounds = session.RoundsPlayed;
        var real = session.ScenarioThrough(rounds);
        var fork = session.ScenarioWith(rounds, company, round, decision);
        var view = await Compare(session, company, rounds, "fork", real, fork, session.Setup.Plan[rounds - 1].EndTick, runs, ct);
        return view with
        {
            Round = round,
            Reference = "the session as played",
            Variant = $"the session with this decision in round {round}",
        };
    }

    private static void Check(WorkshopSession session, string company, int round, int runs)
    {
        if (!session.IsTeam(company))
        {
            throw WorkshopRefusal.NotFound($"no team plays '{company}' (teams: {string.Join(", ", session.Setup.Teams)})");
        }
        if (round < 1 || round > session.RoundsPlayed)
        {
            throw WorkshopRefusal.Conflict(session.RoundsPlayed == 0
                ? "no round has been played yet: a debrief looks at rounds played"
                : $"round {round} has not been played; rounds 1 to {session.RoundsPlayed} have");
        }
        if (runs < 2 || runs > MaxRuns)
        {
            throw WorkshopRefusal.Invalid("runs", $"expected 2 to {MaxRuns} runs, got {runs}");
        }
    }

    private static async Task<DebriefView> Compare(
        WorkshopSession session, string company, int round, string kind, ScenarioInfo reference, ScenarioInfo variant, int stopTick, int runs, CancellationToken ct)
    {
        var info = session.Setup.Info;
        var metrics = Chain.Select(c => c.Metric).ToArray();
        var result = await Comparison.RunAsync(
            new ReferenceReplicates(), [reference, variant], "mau", info.Seed, runs, Math.Max(1, Environment.ProcessorCount), ct: ct,
            chain: metrics, stopTick: stopTick);
        if (result.Cancelled)
        {
            throw new OperationCanceledException(ct);
        }
        var context = new ScenarioContext(info, info.Seed);
        var month = LastWholeMonth(context, stopTick);
        var apps = info.Company(company).Apps;
        var rows = metrics.ToDictionary(m => m, m => result.Chain[m].Rows().Where(r => r.Month == month && r.Company == company).ToList());
        var chains = ImmutableArray.CreateBuilder<DebriefApp>();
        foreach (var app in apps)
        {
            var steps = ImmutableArray.CreateBuilder<DebriefStep>();
            foreach (var (step, metric) in Chain)
            {
                if (rows[metric].FirstOrDefault(r => r.App == app.Id) is { } row)
                {
                    steps.Add(new DebriefStep(step, metric, row.Reference, row.Value, row.Difference));
                }
            }
            chains.Add(new DebriefApp(app.Id, app.Market, steps.ToImmutable()));
        }
        var realized = Realized(variant, stopTick, month, company);
        return new DebriefView
        {
            Company = company,
            Round = round,
            Kind = kind,
            Reference = "",
            Variant = "",
            Runs = result.Runs,
            Month = month,
            Apps = chains.ToImmutable(),
            Realized = realized,
            Verdict = Verdict(chains, realized),
        };
    }

    /// <summary>The variant's monthly actives for the company's apps in the month, on the scenario's own seed (the session's run).</summary>
    private static ImmutableDictionary<string, double> Realized(ScenarioInfo scenario, int stopTick, string month, string company)
    {
        var collector = Replicates.Collect(scenario, scenario.Seed, stopTick);
        return collector.MonthRows.Where(r => r.Month == month && r.Company == company)
            .ToImmutableDictionary(r => r.App, r => r.Mau, StringComparer.Ordinal);
    }

    private static string Verdict(ImmutableArray<DebriefApp>.Builder apps, ImmutableDictionary<string, double> realized)
    {
        var words = new List<string>();
        foreach (var app in apps)
        {
            if (app.Chain.FirstOrDefault(s => s.Metric == "mau") is not { } mau)
            {
                continue;
            }
            var d = mau.Difference;
            var effect = d.P5 > 0 ? "raised" : d.P95 < 0 ? "lowered" : null;
            words.Add(effect is null
                ? $"{app.App}: the decisions made no difference beyond the seeds' noise (the 90 % band of the difference, {Millions(d.P5)} to {Millions(d.P95)}, includes zero)"
                : $"{app.App}: the decisions {effect} monthly actives by {Millions(d.P50)} (90 % band {Millions(d.P5)} to {Millions(d.P95)}, all seeds agree)");
            if (realized.TryGetValue(app.App, out var actual))
            {
                var band = mau.Variant;
                var luck = actual > band.P95 ? "above its 90 % band: good luck" : actual < band.P5 ? "below its 90 % band: bad luck" : "inside its 90 % band: ordinary luck";
                words.Add($"{app.App}: the session's run gave {Millions(actual, signed: false)}, {luck} ({Millions(band.P5, signed: false)} to {Millions(band.P95, signed: false)} over the seeds)");
            }
        }
        return string.Join("; ", words);
    }

    private static string Millions(double users, bool signed = true) =>
        (users / 1e6).ToString(signed ? "+0.000;-0.000;0.000" : "0.000", System.Globalization.CultureInfo.InvariantCulture) + "M";

    /// <summary>The last month whose every tick lies before <paramref name="stopTick"/> (monthly rows exist only for whole months).</summary>
    private static string LastWholeMonth(ScenarioContext context, int stopTick)
    {
        var calendar = context.Calendar;
        var last = Math.Min(stopTick, calendar.Count) - 1;
        while (last > 0 && !calendar.EndsMonth(last))
        {
            last--;
        }
        return calendar[last].MonthKey;
    }
}
