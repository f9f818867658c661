using Simulation.Workshop;

namespace Simulation.Tests.Workshop;

/// <summary>The debrief: skill or luck against the computer's play, and a round replayed with one decision changed.</summary>
public sealed class DebriefTests
{
    /// <summary>Rounds 1 to 3 played without decisions; in round 4 (October to December 2023, Kimi launches on 9 October) Moonshot doubles Kimi's marketing share.</summary>
    private static WorkshopSession Played(params JournalEntry[] extra)
    {
        var s = SessionTests.NewSession("bytedance", "moonshot");
        var entries = new List<JournalEntry>();
        for (var r = 1; r <= 3; r++)
        {
            entries.Add(SessionTests.Entry(Actions.Open, r, minutes: 2 * r));
            entries.Add(SessionTests.Entry(Actions.Advance, r, minutes: 2 * r + 1));
        }
        entries.Add(SessionTests.Entry(Actions.Open, 4, minutes: 10));
        entries.Add(SessionTests.Decide(4, "moonshot", SessionTests.Policy(1, ("marketingShare", 0.7), ("salaryShare", 0.14), ("computeShare", 0.16)), minutes: 11));
        entries.Add(SessionTests.Entry(Actions.Advance, 4, minutes: 12));
        entries.AddRange(extra);
        foreach (var e in entries)
        {
            s = s.Apply(e).Session;
        }
        return s;
    }

    [Fact]
    public async Task A_team_whose_decision_doubled_its_marketing_sees_its_users_raised_beyond_the_seeds_noise()
    {
        var s = Played();

        var view = await Debrief.SkillOrLuck(s, "moonshot", 4, runs: 4);

        Assert.Equal(("moonshot", 4, "skill-or-luck", 4, "2023-12"), (view.Company, view.Round, view.Kind, view.Runs, view.Month));
        var kimi = Assert.Single(view.Apps);
        Assert.Equal("kimi", kimi.App);
        Assert.Equal(Debrief.Chain.Select(c => c.Metric), kimi.Chain.Select(c => c.Metric));
        var mau = kimi.Chain.Single(c => c.Metric == "mau");
        Assert.True(mau.Difference.P5 > 0, $"doubled marketing did not raise Kimi's users on every seed: {mau.Difference}");
        Assert.True(kimi.Chain.Single(c => c.Metric == "attraction_share").Difference.P50 > 0);
        Assert.Contains("kimi: the decisions raised monthly actives by +", view.Verdict);
        Assert.Contains("kimi: the session's run gave ", view.Verdict);
        Assert.True(view.Realized["kimi"] > 0);
    }

    [Fact]
    public async Task Without_a_decision_the_team_and_the_computer_play_alike_and_the_difference_is_zero()
    {
        var s = Played();

        var view = await Debrief.SkillOrLuck(s, "bytedance", 4, runs: 3);

        var mau = view.Apps.Single().Chain.Single(c => c.Metric == "mau");
        Assert.Equal((0.0, 0.0, 0.0), (mau.Difference.P5, mau.Difference.P50, mau.Difference.P95));
        Assert.Contains("no difference beyond the seeds' noise", view.Verdict);
    }

    [Fact]
    public async Task A_fork_replays_from_the_round_with_one_decision_changed_beside_the_real_session()
    {
        var s = Played(
            SessionTests.Entry(Actions.Open, 5, minutes: 13),
            SessionTests.Entry(Actions.Advance, 5, minutes: 14));
        // The fork: in round 4 Moonshot keeps its baseline split but doubles its AI budget floor.
        var fork = SessionTests.Policy(1, ("aiBudgetFloorUsd", 80_000_000));

        var view = await Debrief.Fork(s, "moonshot", 4, fork, runs: 3);

        Assert.Equal(("fork", 4, "2024-03"), (view.Kind, view.Round, view.Month));
        var cash = view.Apps.Single().Chain.Single(c => c.Metric == "cash_usd");
        Assert.True(cash.Difference.P95 < 0, $"spending more leaves less cash: {cash.Difference}");
        Assert.NotEqual(0, view.Apps.Single().Chain.Single(c => c.Metric == "mau").Difference.P50);
    }

    [Fact]
    public async Task The_debrief_refuses_rounds_not_played_companies_without_a_team_bad_run_counts_and_invalid_forks()
    {
        var s = Played();

        Assert.Equal(RefusalKind.Conflict, (await Assert.ThrowsAsync<WorkshopRefusal>(() => Debrief.SkillOrLuck(s, "moonshot", 5))).Kind);
        Assert.Equal(RefusalKind.NotFound, (await Assert.ThrowsAsync<WorkshopRefusal>(() => Debrief.SkillOrLuck(s, "alibaba", 4))).Kind);
        Assert.Equal(RefusalKind.Invalid, (await Assert.ThrowsAsync<WorkshopRefusal>(() => Debrief.SkillOrLuck(s, "moonshot", 4, runs: 1))).Kind);
        var bad = await Assert.ThrowsAsync<WorkshopRefusal>(() => Debrief.Fork(s, "moonshot", 4, SessionTests.Policy(1, ("poachRate", -1))));
        Assert.Contains(bad.Errors, e => e.Field.Contains("poachRate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_debrief_changes_nothing_in_the_session()
    {
        var s = Played();
        var hash = s.StateHash;

        await Debrief.SkillOrLuck(s, "moonshot", 4, runs: 2);
        await Debrief.Fork(s, "moonshot", 4, SessionTests.Policy(1, ("poachRate", 1)), runs: 2);

        Assert.Equal(hash, s.StateHash);
        Assert.Equal(4, s.RoundsPlayed);
    }
}
