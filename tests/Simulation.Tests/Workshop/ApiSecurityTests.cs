using System.Net;
using System.Text.Json.Nodes;
using Simulation.Workshop.Web;

namespace Simulation.Tests.Workshop;

/// <summary>Every refusal of the API: who may act, what is too late, too old, too big or malformed.</summary>
public sealed class ApiSecurityTests
{
    /// <summary>Each facilitator action: method, path and a body.</summary>
    public static TheoryData<string, string> FacilitatorActions() => new()
    {
        { "POST", "/api/rounds/1/open" },
        { "POST", "/api/rounds/1/advance" },
        { "POST", "/api/rounds/undo" },
        { "POST", "/api/pause" },
        { "POST", "/api/resume" },
        { "POST", "/api/events" },
        { "POST", "/api/end" },
        { "GET", "/api/export" },
        { "GET", "/api/session" },
    };

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method == "GET" ? null : Api.Json("{}") };

    [Theory]
    [MemberData(nameof(FacilitatorActions))]
    public async Task A_facilitator_action_without_a_token_is_401_and_with_a_team_token_403_and_changes_nothing(string method, string path)
    {
        await using var w = await TestWorkshop.StartAsync("bytedance", "alibaba");
        var before = (await w.Anonymous.State())["stateHash"]!.GetValue<string>();

        var anonymous = await w.Anonymous.SendAsync(Request(method, path));
        var team = await w.Team("alibaba").SendAsync(Request(method, path));
        var forged = await w.Client("not-a-token").SendAsync(Request(method, path));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, team.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Empty(w.JournalLines());
        Assert.Equal(before, (await w.Anonymous.State())["stateHash"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_team_token_never_changes_or_reads_another_company()
    {
        await using var w = await TestWorkshop.StartAsync("bytedance", "alibaba");
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        await w.Team("bytedance").Decide(1, "bytedance", new { version = 1, policy = new { poachRate = 1.0 } }).Ok();

        var put = await w.Team("alibaba").Decide(1, "bytedance", new { version = 2, policy = new { poachRate = 5.0 } });
        var dashboard = await w.Team("alibaba").GetAsync("/api/teams/bytedance");
        var decision = await w.Team("alibaba").GetAsync("/api/rounds/1/decisions/bytedance");
        var anonymous = await w.Anonymous.Decide(1, "bytedance", new { version = 3, policy = new { poachRate = 5.0 } });

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, decision.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var stored = await w.Team("bytedance").GetAsync("/api/rounds/1/decisions/bytedance").Ok();
        Assert.Equal(1, stored["version"]!.GetValue<int>());
        Assert.Equal(1.0, stored["decision"]!["policy"]!["poachRate"]!.GetValue<double>());
        Assert.Equal(2, w.JournalLines().Length);
    }

    [Fact]
    public async Task A_decision_for_a_round_that_is_not_open_is_409()
    {
        await using var w = await TestWorkshop.StartAsync("alibaba");

        var lobby = await w.Team("alibaba").Decide(1, "alibaba", new { version = 1 });
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        var future = await w.Team("alibaba").Decide(2, "alibaba", new { version = 1 });
        await w.Facilitator.Post("/api/pause").Ok();
        var paused = await w.Team("alibaba").Decide(1, "alibaba", new { version = 1 });

        Assert.Equal(HttpStatusCode.Conflict, lobby.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, future.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, paused.StatusCode);
        Assert.Contains("not open", (await lobby.ReadJson())["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stale_version_is_409_and_the_same_version_again_is_200_and_applied_once()
    {
        await using var w = await TestWorkshop.StartAsync("alibaba");
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        var team = w.Team("alibaba");
        await team.Decide(1, "alibaba", new { version = 2, policy = new { poachRate = 2.0 } }).Ok();
        var lines = w.JournalLines().Length;

        var again = await team.Decide(1, "alibaba", new { version = 2, policy = new { poachRate = 2.0 } });
        var stale = await team.Decide(1, "alibaba", new { version = 1, policy = new { poachRate = 9.0 } });
        var sameVersionOtherValues = await team.Decide(1, "alibaba", new { version = 2, policy = new { poachRate = 9.0 } });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("\"2\"", again.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, sameVersionOtherValues.StatusCode);
        Assert.Equal(lines, w.JournalLines().Length);
        var stored = await team.GetAsync("/api/rounds/1/decisions/alibaba").Ok();
        Assert.Equal(2.0, stored["decision"]!["policy"]!["poachRate"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_body_over_64_KB_is_413()
    {
        await using var w = await TestWorkshop.StartAsync("alibaba");
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        var big = "{\"version\":1,\"offers\":[" + string.Join(",", Enumerable.Repeat("{\"researcher\":\"alibaba-lead-a\",\"monthlySalaryUsd\":1}", 2000)) + "]}";

        var decision = await w.Team("alibaba").PutAsync("/api/rounds/1/decisions/alibaba", Api.Json(big));
        var inject = await w.Facilitator.PostAsync("/api/events", Api.Json("{\"note\":\"" + new string('x', 70_000) + "\"}"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, decision.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, inject.StatusCode);
        Assert.DoesNotContain(w.JournalLines(), l => l.Contains("decide"));
    }

    [Fact]
    public async Task Malformed_json_is_400_and_invalid_values_are_422_with_one_error_per_field()
    {
        await using var w = await TestWorkshop.StartAsync("alibaba");
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        var team = w.Team("alibaba");

        var syntax = await team.PutAsync("/api/rounds/1/decisions/alibaba", Api.Json("{\"version\": 1, \"policy\": {"));
        var type = await team.PutAsync("/api/rounds/1/decisions/alibaba", Api.Json("{\"version\": 1, \"policy\": {\"poachRate\": \"high\"}}"));
        var unknown = await team.PutAsync("/api/rounds/1/decisions/alibaba", Api.Json("{\"version\": 1, \"budget\": 3}"));
        var invalid = await team.Decide(1, "alibaba", new
        {
            version = 0,
            policy = new Dictionary<string, double> { ["poachRate"] = -1, ["aiBudgetShare"] = 2, ["headcount"] = 5 },
            offers = new[] { new { researcher = "nobody", monthlySalaryUsd = 1000.0 }, new { researcher = "moonshot-lead-a", monthlySalaryUsd = -5.0 } },
            filings = new[] { new { researcher = "moonshot-lead-a" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, syntax.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, type.StatusCode);
        var typeError = (await type.ReadJson())["errors"]![0]!;
        Assert.Equal("policy.poachRate", typeError["field"]!.GetValue<string>());
        Assert.Equal("the value has the wrong type: expected a number", typeError["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var wrongShape = await team.PutAsync("/api/rounds/1/decisions/alibaba", Api.Json("[1, 2]"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongShape.StatusCode);
        var shapeText = await wrongShape.Content.ReadAsStringAsync();
        Assert.Contains("expected a decision: {version, policy", shapeText);
        Assert.DoesNotContain("Simulation.", shapeText);
        Assert.Equal((HttpStatusCode)422, invalid.StatusCode);
        var errors = (await invalid.ReadJson())["errors"]!.AsArray();
        var fields = errors.Select(e => e!["field"]!.GetValue<string>()).ToArray();
        Assert.Contains("none was given", errors.Single(e => e!["field"]!.GetValue<string>() == "version")!["message"]!.GetValue<string>());
        Assert.Equal(
            ["filings[0].researcher", "offers[0].researcher", "offers[1].monthlySalaryUsd", "policy.aiBudgetShare", "policy.headcount", "policy.poachRate", "version"],
            fields.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(w.JournalLines(), l => l.Contains("decide"));
    }

    [Fact]
    public async Task Tokens_have_at_least_128_random_bits_and_never_reach_the_journal_the_audit_log_or_the_export()
    {
        await using var w = await TestWorkshop.StartAsync("bytedance", "alibaba");
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        await w.Team("alibaba").Decide(1, "alibaba", new { version = 1 }).Ok();
        await w.Team("alibaba").Post("/api/rounds/1/advance");
        await w.Client("forged").Post("/api/end");
        var export = await w.Facilitator.GetByteArrayAsync("/api/export");

        string[] tokens = [w.Runtime.File.FacilitatorToken, .. w.Runtime.File.TeamTokens.Values];
        Assert.All(tokens, t => Assert.True(Convert.FromBase64String(t.Replace('-', '+').Replace('_', '/') + "=").Length * 8 >= 128));
        Assert.Equal(tokens.Length, tokens.Distinct().Count());
        var audit = File.ReadAllText(Path.Combine(w.Directory, SessionFolder.AuditFileName));
        var journal = string.Join('\n', w.JournalLines());
        var exported = System.Text.Encoding.Latin1.GetString(export);
        Assert.Contains("team:alibaba", audit);
        Assert.All(tokens, t => Assert.DoesNotContain(t, audit + journal + exported));
    }

    [Fact]
    public void The_session_file_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var dir = Directory.CreateTempSubdirectory("sim-session-");
        try
        {
            SessionFolder.WriteSession(dir.FullName, SessionFile.Create("f", "n", "h", ["a"], 1, 3, "127.0.0.1", 1, DateTimeOffset.UtcNow));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.FullName, SessionFolder.SessionFileName)));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_injected_event_with_a_wrong_field_is_422_naming_the_field()
    {
        await using var w = await TestWorkshop.StartAsync("alibaba");

        var response = await w.Facilitator.Post("/api/events", new JsonObject { ["kind"] = "budget", ["company"] = "alibaba", ["multiplier"] = 500 });

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.Equal("event.multiplier", (await response.ReadJson())["errors"]![0]!["field"]!.GetValue<string>());
    }
}
