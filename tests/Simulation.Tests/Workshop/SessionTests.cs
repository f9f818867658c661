using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Simulation.Scenarios;
using Simulation.Tests.Support;
using Simulation.Workshop;
using Xunit.Abstractions;

namespace Simulation.Tests.Workshop;

/// <summary>The workshop's domain without a server: rounds, decisions, versions, undo, replay and the scorecard.</summary>
public sealed class SessionTests(ITestOutputHelper output)
{
    private static readonly Lazy<LoadedScenario> Baseline = new(() => ScenarioLoader.Load(Repo.Baseline));
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    internal static WorkshopSession NewSession(params string[] teams) =>
        WorkshopSession.Start(WorkshopSetup.Create(Baseline.Value, teams, rounds: null, RoundPlan.DefaultMonths));

    internal static JournalEntry Entry(string action, int? round = null, string by = "facilitator", int minutes = 0) =>
        new() { At = T0.AddMinutes(minutes), By = by, Action = action, Round = round };

    internal static JournalEntry Decide(int round, string company, DecisionInput decision, string? by = null, int minutes = 1) =>
        Entry(Actions.Decide, round, by ?? "team:" + company, minutes) with { Company = company, Decision = decision };

    internal static DecisionInput Policy(int version, params (string Field, double Value)[] values) => new()
    {
        Version = version,
        Policy = values.ToImmutableSortedDictionary(v => v.Field, v => v.Value, StringComparer.Ordinal),
    };

    private static WorkshopSession Play(WorkshopSession s, params JournalEntry[] entries)
    {
        foreach (var e in entries)
        {
            s = s.Apply(e).Session;
        }
        return s;
    }

    [Fact]
    public void The_default_plan_covers_the_baseline_in_twelve_rounds_of_three_months()
    {
        var s = NewSession("bytedance", "alibaba");

        Assert.Equal(12, s.Setup.Plan.Length);
        Assert.Equal(new DateOnly(2023, 4, 1), s.Setup.Plan[0].End);
        Assert.Equal(s.Played.Context.Calendar.Count, s.Setup.Plan[^1].EndTick);
        Assert.Equal(SessionStatus.Lobby, s.Status);
    }

    [Fact]
    public void Bad_setups_are_refused_with_a_message()
    {
        Assert.Contains("unknown company 'tiktok'", Assert.Throws<ArgumentException>(() => WorkshopSetup.Create(Baseline.Value, ["tiktok"], null, 3)).Message);
        Assert.Contains("expected a whole number >= 1", Assert.Throws<ArgumentException>(() => WorkshopSetup.Create(Baseline.Value, ["alibaba"], 0, 3)).Message);
        Assert.Contains("has room for 12 rounds", Assert.Throws<ArgumentException>(() => WorkshopSetup.Create(Baseline.Value, ["alibaba"], 13, 3)).Message);
    }

    [Fact]
    public void A_team_decision_changes_the_team_company_policy_from_the_round_start_and_nothing_else()
    {
        var s = Play(NewSession("bytedance", "alibaba"), Entry(Actions.Open, 1),
            Decide(1, "alibaba", Policy(1, ("marketingShare", 0.5), ("computeShare", 0.3), ("salaryShare", 0.2))));
        var computer = NewSession("bytedance", "alibaba");

        s = Play(s, Entry(Actions.Advance, 1, minutes: 2));
        computer = Play(computer, Entry(Actions.Advance, 1, minutes: 2));

        var policy = DecisionRules.PolicyInForce(s.Played, "alibaba");
        Assert.Equal((0.2, 0.3, 0.5), (policy.SalaryShare, policy.ComputeShare, policy.MarketingShare));
        Assert.Equal(DecisionRules.PolicyInForce(computer.Played, "bytedance"), DecisionRules.PolicyInForce(s.Played, "bytedance"));
        Assert.NotEqual(computer.Played.Latest.Company("alibaba").CashUsd, s.Played.Latest.Company("alibaba").CashUsd);
        Assert.NotEqual(computer.StateHash, s.StateHash);
    }

    [Fact]
    public void A_stale_version_is_refused_and_the_same_version_again_changes_nothing()
    {
        var s = Play(NewSession("alibaba"), Entry(Actions.Open, 1), Decide(1, "alibaba", Policy(2, ("poachRate", 1))));

        var stale = Assert.Throws<WorkshopRefusal>(() => s.Apply(Decide(1, "alibaba", Policy(1, ("poachRate", 2)))));
        var (same, changed) = s.Apply(Decide(1, "alibaba", Policy(2, ("poachRate", 1))));
        var other = Assert.Throws<WorkshopRefusal>(() => s.Apply(Decide(1, "alibaba", Policy(2, ("poachRate", 3)))));

        Assert.Equal(RefusalKind.Conflict, stale.Kind);
        Assert.False(changed);
        Assert.Same(s, same);
        Assert.Equal(RefusalKind.Conflict, other.Kind);
    }

    [Fact]
    public void A_team_may_not_decide_for_another_company_nor_act_as_the_facilitator()
    {
        var s = Play(NewSession("bytedance", "alibaba"), Entry(Actions.Open, 1));

        var forOther = Assert.Throws<WorkshopRefusal>(() => s.Apply(Decide(1, "alibaba", Policy(1, ("poachRate", 1)), by: "team:bytedance")));
        var advance = Assert.Throws<WorkshopRefusal>(() => s.Apply(Entry(Actions.Advance, 1, by: "team:bytedance")));

        Assert.Equal(RefusalKind.Forbidden, forOther.Kind);
        Assert.Equal(RefusalKind.Forbidden, advance.Kind);
        Assert.Null(s.DecisionOf(1, "alibaba"));
    }

    [Fact]
    public void Decisions_are_refused_outside_an_open_round_and_after_the_deadline()
    {
        var lobby = NewSession("alibaba");
        var withDeadline = Play(lobby, Entry(Actions.Open, 1) with { Deadline = T0.AddMinutes(10) });
        var paused = Play(withDeadline, Entry(Actions.Pause, minutes: 5));

        Assert.Equal(RefusalKind.Conflict, Assert.Throws<WorkshopRefusal>(() => lobby.Apply(Decide(1, "alibaba", Policy(1)))).Kind);
        Assert.Equal(RefusalKind.Conflict, Assert.Throws<WorkshopRefusal>(() => withDeadline.Apply(Decide(1, "alibaba", Policy(1), minutes: 11))).Kind);
        Assert.Equal(RefusalKind.Conflict, Assert.Throws<WorkshopRefusal>(() => paused.Apply(Decide(1, "alibaba", Policy(1), minutes: 6))).Kind);
        // Resumed 20 minutes later, the 5 minutes left run from then.
        var resumed = Play(paused, Entry(Actions.Resume, minutes: 25));
        Assert.Equal(T0.AddMinutes(30), resumed.Deadline);
        Assert.True(resumed.Apply(Decide(1, "alibaba", Policy(1), minutes: 29)).Changed);
    }

    [Fact]
    public void Out_of_range_fields_a_split_that_does_not_sum_to_one_and_unknown_fields_are_reported_per_field()
    {
        var s = Play(NewSession("alibaba"), Entry(Actions.Open, 1));

        var refusal = Assert.Throws<WorkshopRefusal>(() => s.Apply(Decide(1, "alibaba", Policy(1, ("poachRate", 99), ("loyalty", 1)))));
        var split = Assert.Throws<WorkshopRefusal>(() => s.Apply(Decide(1, "alibaba", Policy(1, ("salaryShare", 0.9)))));

        Assert.Equal(RefusalKind.Invalid, refusal.Kind);
        Assert.Equal(["policy.loyalty", "policy.poachRate"], refusal.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Contains("[0, 30]", refusal.Errors.Single(e => e.Field == "policy.poachRate").Message);
        Assert.Equal("policy", Assert.Single(split.Errors).Field);
    }

    [Fact]
    public void Offers_go_only_to_other_companies_stars_in_the_region_within_the_salary_budget()
    {
        var s = Play(NewSession("moonshot", "openai"), Entry(Actions.Open, 1));
        DecisionInput Offers(params (string Who, double Salary)[] offers) =>
            new() { Version = 1, Offers = [.. offers.Select(o => new OfferInput(o.Who, o.Salary))] };

        var own = Assert.Throws<WorkshopRefusal>(() => s.Apply(Decide(1, "moonshot", Offers(("moonshot-lead-a", 90_000)))));
        var scripted = Assert.Throws<WorkshopRefusal>(() => s.Apply(Decide(1, "moonshot", Offers(("zhou-chang", 90_000)))));
        var global = Assert.Throws<WorkshopRefusal>(() => s.Apply(Decide(1, "openai", Offers(("alibaba-lead-a", 90_000)))));
        var unknown = Assert.Throws<WorkshopRefusal>(() => s.Apply(Decide(1, "moonshot", Offers(("nobody", 90_000)))));
        var rich = Assert.Throws<WorkshopRefusal>(() => s.Apply(Decide(1, "moonshot", Offers(("alibaba-lead-a", 5e8)))));
        var room = DecisionRules.SalaryRoom(s.Played, s.CurrentPlan, "moonshot", DecisionRules.PolicyInForce(s.Played, "moonshot"));

        Assert.Contains("already works for moonshot", own.Errors[0].Message);
        Assert.Contains("documented path", scripted.Errors[0].Message);
        Assert.Contains("job market", global.Errors[0].Message);
        Assert.Contains("unknown researcher", unknown.Errors[0].Message);
        Assert.Equal("offers", rich.Errors[0].Field);
        Assert.True(room > 60_000, $"moonshot's salary room is {room}");
        Assert.Contains(DecisionRules.OfferTargets(s.Played, "moonshot"), r => r.Id == "alibaba-lead-a");
    }

    [Fact]
    public void A_generous_offer_moves_the_star_in_the_round_and_shows_in_the_news()
    {
        var s = Play(NewSession("moonshot"), Entry(Actions.Open, 1),
            Decide(1, "moonshot", new DecisionInput { Version = 1, Offers = [new OfferInput("alibaba-lead-b", 150_000)] }),
            Entry(Actions.Advance, 1, minutes: 2));

        Assert.Equal("moonshot", s.Played.Runner.Talent.Researchers.Single(r => r.Id == "alibaba-lead-b").Employer);
        Assert.Contains(s.Played.Latest.News, n => n.Kind == "poach" && n.Person == "alibaba-lead-b" && n.To == "moonshot");
    }

    [Fact]
    public void Undo_returns_to_the_state_before_the_round_and_the_round_opens_again_with_its_decisions()
    {
        var open = Play(NewSession("alibaba"), Entry(Actions.Open, 1), Decide(1, "alibaba", Policy(1, ("poachRate", 2))));
        var advanced = Play(open, Entry(Actions.Advance, 1, minutes: 2));

        var undone = Play(advanced, Entry(Actions.Undo, minutes: 3));

        Assert.Equal(1, advanced.RoundsPlayed);
        Assert.Equal((0, 1, SessionStatus.Open), (undone.RoundsPlayed, undone.Round, undone.Status));
        Assert.Equal(open.StateHash, undone.StateHash);
        Assert.NotNull(undone.DecisionOf(1, "alibaba"));
        Assert.Equal(advanced.StateHash, Play(undone, Entry(Actions.Advance, 1, minutes: 4)).StateHash);
    }

    [Fact]
    public void The_same_journal_replayed_in_a_fresh_session_gives_the_same_state_hash()
    {
        JournalEntry[] journal =
        [
            Entry(Actions.Open, 1),
            Decide(1, "bytedance", Policy(1, ("aiBudgetShare", 0.2))),
            Decide(1, "alibaba", Policy(1, ("nonCompeteShare", 1), ("arbitrationProbability", 1))),
            Entry(Actions.Inject, 1, minutes: 2) with { Event = new JsonObject { ["kind"] = "qualityBoost", ["company"] = "moonshot", ["multiplier"] = 1.2 } },
            Entry(Actions.Advance, 1, minutes: 3),
            Entry(Actions.Open, 2, minutes: 4),
            Decide(2, "alibaba", Policy(1, ("poachRate", 3)), minutes: 5),
            Entry(Actions.Advance, 2, minutes: 6),
        ];
        var live = Play(NewSession("bytedance", "alibaba"), journal);

        var replayed = NewSession("bytedance", "alibaba");
        foreach (var e in journal)
        {
            replayed = replayed.Apply(e, replaying: true).Session;
        }

        Assert.Equal(2, replayed.RoundsPlayed);
        Assert.Equal(live.StateHash, replayed.StateHash);
        Assert.Equal(live.Played.CanonicalBytes.ToArray(), replayed.Played.CanonicalBytes.ToArray());
    }

    [Fact]
    public void An_injected_event_is_judged_by_the_scenario_loader_and_dated_in_the_current_round()
    {
        var s = Play(NewSession("alibaba"), Entry(Actions.Open, 1));
        JournalEntry Inject(JsonObject e) => Entry(Actions.Inject, 1, minutes: 1) with { Event = e };

        var unknownKind = Assert.Throws<WorkshopRefusal>(() => s.Apply(Inject(new JsonObject { ["kind"] = "earthquake" })));
        var unknownCompany = Assert.Throws<WorkshopRefusal>(() => s.Apply(Inject(new JsonObject { ["kind"] = "budget", ["company"] = "tiktok", ["multiplier"] = 2 })));
        var late = Assert.Throws<WorkshopRefusal>(() => s.Apply(Inject(new JsonObject { ["kind"] = "funding", ["company"] = "moonshot", ["amountUsd"] = 1e9, ["date"] = "2024-06-01" })));
        var ok = s.Apply(Inject(new JsonObject { ["kind"] = "funding", ["company"] = "moonshot", ["amountUsd"] = 1e9 })).Session;

        Assert.Equal("event.kind", unknownKind.Errors[0].Field);
        Assert.Equal("event.company", unknownCompany.Errors[0].Field);
        Assert.Equal("event.date", late.Errors[0].Field);
        Assert.Equal(new DateOnly(2023, 1, 1), Assert.Single(ok.Injected).Event.Date);
    }

    [Fact]
    public void The_scorecard_is_100_when_no_team_decides_and_moves_with_a_team_decision_round_by_round()
    {
        var idle = Play(NewSession("bytedance", "alibaba"), Entry(Actions.Advance, 1), Entry(Actions.Advance, 2, minutes: 1));
        var busy = Play(NewSession("bytedance", "alibaba"), Entry(Actions.Open, 1),
            Decide(1, "alibaba", Policy(1, ("aiBudgetShare", 0.3))), Entry(Actions.Advance, 1, minutes: 2),
            Entry(Actions.Advance, 2, minutes: 3));

        Assert.All(idle.Scorecard.Rounds.SelectMany(r => r.Teams), t => Assert.Equal(100, t.Score!.Value, 9));
        var card = busy.Scorecard;
        Assert.Equal(2, card.Rounds.Length);
        Assert.NotEqual(100, card.Rounds[^1].Teams.Single(t => t.Company == "alibaba").Score!.Value, 6);
        Assert.Equal(["alibaba", "bytedance"], card.Leaderboard.Select(t => t.Company).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Advancing_a_round_of_the_baseline_is_measured()
    {
        var s = Play(NewSession("bytedance", "alibaba", "moonshot"), Entry(Actions.Open, 1));
        var watch = Stopwatch.StartNew();
        s = Play(s, Entry(Actions.Advance, 1, minutes: 1));
        var first = watch.Elapsed;
        for (var r = 2; r <= 12; r++)
        {
            s = Play(s, Entry(Actions.Advance, r, minutes: r));
        }
        var all = watch.Elapsed;
        watch.Restart();
        _ = s.StateHash;
        output.WriteLine($"first round {first.TotalMilliseconds:0} ms; 12 rounds {all.TotalMilliseconds:0} ms; hash {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(SessionStatus.Ended, s.Status);
    }
}
