using System.Net;

namespace Simulation.Tests.Workshop;

/// <summary>The debrief's endpoints: a team sees its own skill-or-luck ensemble and forks, never another's, and nothing is journaled.</summary>
public sealed class DebriefApiTests
{
    [Fact]
    public async Task A_team_gets_its_own_debrief_and_fork_after_a_round_and_is_refused_another_teams_or_an_unplayed_round()
    {
        await using var w = await TestWorkshop.StartAsync("bytedance", "alibaba");
        var tooEarly = await w.Team("alibaba").GetAsync("/api/debrief/alibaba/rounds/1?runs=2");
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        await w.Team("alibaba").Decide(1, "alibaba", new { version = 1, policy = new { poachRate = 1.0 } }).Ok();
        await w.Facilitator.Post("/api/rounds/1/advance").Ok();
        var journal = w.JournalLines().Length;

        var own = await w.Team("alibaba").GetAsync("/api/debrief/alibaba/rounds/1?runs=2").Ok();
        var fork = await w.Team("alibaba").Post("/api/debrief/alibaba/rounds/1/fork?runs=2", new { version = 1, policy = new { poachRate = 0.0 } }).Ok();
        var other = await w.Team("bytedance").GetAsync("/api/debrief/alibaba/rounds/1?runs=2");
        var anonymous = await w.Anonymous.GetAsync("/api/debrief/alibaba/rounds/1?runs=2");
        var badRuns = await w.Team("alibaba").GetAsync("/api/debrief/alibaba/rounds/1?runs=1000");
        var badFork = await w.Team("alibaba").Post("/api/debrief/alibaba/rounds/1/fork?runs=2", new { version = 1, policy = new { poachRate = -3.0 } });

        Assert.Equal(HttpStatusCode.Conflict, tooEarly.StatusCode);
        Assert.Equal("skill-or-luck", own["kind"]!.GetValue<string>());
        Assert.Equal("tongyi", own["apps"]![0]!["app"]!.GetValue<string>());
        Assert.NotNull(own["apps"]![0]!["chain"]![0]!["difference"]!["p50"]);
        Assert.Equal("fork", fork["kind"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badRuns.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badFork.StatusCode);
        Assert.Equal(journal, w.JournalLines().Length);
    }
}
