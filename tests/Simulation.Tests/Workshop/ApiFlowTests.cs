using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Simulation.Workshop;
using Simulation.Workshop.Web;

namespace Simulation.Tests.Workshop;

/// <summary>Playing a session through the API: rounds, decisions, undo, alterations, live updates, export and replay.</summary>
public sealed class ApiFlowTests
{
    private static string Hash(JsonNode state) => state["stateHash"]!.GetValue<string>();

    [Fact]
    public async Task Two_teams_play_two_rounds_and_everyone_sees_the_results()
    {
        await using var w = await TestWorkshop.StartAsync("bytedance", "moonshot");
        var bytedance = w.Team("bytedance");
        var moonshot = w.Team("moonshot");

        await w.Facilitator.Post("/api/rounds/1/open", new { deadlineSeconds = 600 }).Ok();
        var form = await moonshot.GetAsync("/api/teams/moonshot").Ok();
        await bytedance.Decide(1, "bytedance", new { version = 1, policy = new { marketingShare = 0.3, computeShare = 0.3, salaryShare = 0.4 } }).Ok();
        await moonshot.Decide(1, "moonshot", new { version = 1, offers = new[] { new { researcher = "alibaba-lead-b", monthlySalaryUsd = 150_000.0 } } }).Ok();
        var submitted = await w.Anonymous.State();
        var first = await w.Facilitator.Post("/api/rounds/1/advance").Ok();
        await w.Facilitator.Post("/api/rounds/2/open").Ok();
        await moonshot.Decide(2, "moonshot", new { version = 1, policy = new { aiBudgetFloorUsd = 30_000_000.0 } }).Ok();
        await w.Facilitator.Post("/api/rounds/2/advance").Ok();

        Assert.Equal(["aiBudgetShare", "aiBudgetFloorUsd"], form["form"]!["fields"]!.AsArray().Take(2).Select(f => f!["field"]!.GetValue<string>()));
        Assert.Contains(form["offerTargets"]!.AsArray(), r => r!["id"]!.GetValue<string>() == "alibaba-lead-b");
        Assert.All(submitted["teams"]!.AsArray(), t => Assert.True(t!["submitted"]!.GetValue<bool>()));
        Assert.True(submitted["secondsLeft"]!.GetValue<double>() > 500);
        Assert.Equal(2, first["round"]!.GetValue<int>());

        var state = await moonshot.State();
        Assert.Equal((3, 2, "lobby", "2023-07-01"), (state["round"]!.GetValue<int>(), state["roundsPlayed"]!.GetValue<int>(),
            state["status"]!.GetValue<string>(), state["date"]!.GetValue<string>()));
        Assert.Contains(state["news"]!.AsArray(), n => n!["kind"]!.GetValue<string>() == "poach" && n["person"]!.GetValue<string>() == "alibaba-lead-b");
        Assert.Equal("moonshot", state["you"]!["company"]!.GetValue<string>());
        Assert.Null((await w.Anonymous.State())["you"]);
        Assert.Contains(state["apps"]!.AsArray(), a => a!["launched"]!.GetValue<bool>() && a["mau"]!.GetValue<double>() > 0);

        var dashboard = await moonshot.GetAsync("/api/teams/moonshot").Ok();
        Assert.Equal(3, dashboard["trajectory"]!.AsArray().Count);
        Assert.Contains(dashboard["researchers"]!.AsArray(), r => r!["id"]!.GetValue<string>() == "alibaba-lead-b");
        Assert.Equal(30_000_000.0, dashboard["form"]!["fields"]!.AsArray().Single(f => f!["field"]!.GetValue<string>() == "aiBudgetFloorUsd")!["inForce"]!.GetValue<double>());

        var card = await w.Anonymous.GetAsync("/api/scorecard").Ok();
        Assert.Equal(2, card["rounds"]!.AsArray().Count);
        Assert.Equal(2, card["leaderboard"]!.AsArray().Count);
    }

    [Fact]
    public async Task Undo_restores_the_state_before_the_round_and_advancing_again_gives_the_same_hash()
    {
        await using var w = await TestWorkshop.StartAsync("alibaba");
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        await w.Team("alibaba").Decide(1, "alibaba", new { version = 1, policy = new { poachRate = 3.0 } }).Ok();
        var before = Hash(await w.Anonymous.State());
        var advanced = Hash(await w.Facilitator.Post("/api/rounds/1/advance").Ok());

        var undone = await w.Facilitator.Post("/api/rounds/undo").Ok();
        var again = await w.Facilitator.Post("/api/rounds/1/advance").Ok();

        Assert.Equal(before, Hash(undone));
        Assert.Equal("open", undone["status"]!.GetValue<string>());
        Assert.Equal(advanced, Hash(again));
        Assert.NotEqual(before, advanced);
        Assert.Equal(HttpStatusCode.Conflict, (await w.Facilitator.Post("/api/rounds/1/advance")).StatusCode);
    }

    [Fact]
    public async Task The_facilitator_alters_a_team_decision_and_it_is_recorded_as_the_facilitator_s()
    {
        await using var w = await TestWorkshop.StartAsync("alibaba");
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        await w.Team("alibaba").Decide(1, "alibaba", new { version = 1, policy = new { poachRate = 3.0 } }).Ok();

        var altered = await w.Facilitator.Decide(1, "alibaba", new { version = 2, policy = new { poachRate = 0.5 } }).Ok();
        var teamStale = await w.Team("alibaba").Decide(1, "alibaba", new { version = 2, policy = new { poachRate = 3.0 } });
        var dashboard = await w.Team("alibaba").GetAsync("/api/teams/alibaba").Ok();

        Assert.Equal(("facilitator", true), (altered["by"]!.GetValue<string>(), altered["altered"]!.GetValue<bool>()));
        Assert.Equal(HttpStatusCode.Conflict, teamStale.StatusCode);
        Assert.Equal("facilitator", dashboard["form"]!["stored"]!["by"]!.GetValue<string>());
        Assert.Equal(3, dashboard["form"]!["nextVersion"]!.GetValue<int>());
        var last = JsonNode.Parse(w.JournalLines()[^1])!;
        Assert.Equal(("facilitator", "decide", "alibaba"), (last["by"]!.GetValue<string>(), last["action"]!.GetValue<string>(), last["company"]!.GetValue<string>()));
        Assert.True((await w.Anonymous.State())["teams"]![0]!["altered"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_journal_replayed_in_a_fresh_session_gives_the_state_hash_the_server_reports()
    {
        await using var w = await TestWorkshop.StartAsync("bytedance", "alibaba");
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        await w.Team("bytedance").Decide(1, "bytedance", new { version = 1, policy = new { poachRate = 4.0 } }).Ok();
        await w.Team("alibaba").Decide(1, "alibaba", new { version = 1, policy = new { nonCompeteShare = 1.0, arbitrationProbability = 1.0 } }).Ok();
        await w.Facilitator.Post("/api/events", new { kind = "funding", company = "moonshot", amountUsd = 1e9 }).Ok();
        await w.Facilitator.Post("/api/rounds/1/advance").Ok();
        await w.Facilitator.Post("/api/rounds/2/open").Ok();
        await w.Facilitator.Post("/api/pause").Ok();
        var served = await w.Anonymous.State();

        var replayed = WorkshopRuntime.Replay(w.Runtime.Current.Setup, SessionFolder.ReadJournal(w.Directory));

        Assert.Equal(Hash(served), replayed.StateHash);
        Assert.Equal(served["version"]!.GetValue<int>(), replayed.Version);
        Assert.Equal("paused", replayed.StatusWord);
    }

    [Fact]
    public async Task An_injected_event_is_news_at_once_with_the_facilitators_words_as_text_and_in_the_report()
    {
        await using var w = await TestWorkshop.StartAsync("alibaba");
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        const string note = "<img src=x onerror=alert(1)> a shock";

        await w.Facilitator.Post("/api/events", new { kind = "funding", company = "moonshot", amountUsd = 1e9, note }).Ok();
        var news = (await w.Anonymous.State())["news"]!.AsArray();
        var response = await w.Facilitator.GetAsync("/api/export");
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        var report = new StreamReader(zip.GetEntry("report.html")!.Open()).ReadToEnd();

        var item = news.Single(n => n!["kind"]!.GetValue<string>() == "event: funding")!;
        Assert.Equal(("moonshot", note, 1e9), (item["company"]!.GetValue<string>(), item["note"]!.GetValue<string>(), item["amountUsd"]!.GetValue<double>()));
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; a shock", report);
        Assert.DoesNotContain("<img src=x", report);
    }

    [Fact]
    public async Task A_long_poll_answers_when_the_state_changes()
    {
        await using var w = await TestWorkshop.StartAsync("alibaba");
        var version = (await w.Anonymous.State())["version"]!.GetValue<int>();

        var poll = w.Anonymous.GetAsync($"/api/state?after={version}");
        await Task.Delay(200);
        Assert.False(poll.IsCompleted);
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        var changed = await (await poll).ReadJson();

        Assert.Equal(version + 1, changed["version"]!.GetValue<int>());
        Assert.Equal("open", changed["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Thirty_open_pages_follow_every_change_on_the_event_stream()
    {
        await using var w = await TestWorkshop.StartAsync("alibaba");
        var pages = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            var client = w.Client(null);
            var response = await client.GetAsync("/api/events/stream", HttpCompletionOption.ResponseHeadersRead);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return reader;
        }));

        static async Task<JsonNode> NextState(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    return JsonNode.Parse(line["data: ".Length..])!;
                }
            }
            throw new EndOfStreamException();
        }

        var initial = await Task.WhenAll(pages.Select(NextState));
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var next = await Task.WhenAll(pages.Select(NextState)).WaitAsync(timeout.Token);

        Assert.All(initial, s => Assert.Equal(0, s["version"]!.GetValue<int>()));
        Assert.All(next, s => Assert.Equal(("open", 1), (s["status"]!.GetValue<string>(), s["version"]!.GetValue<int>())));
        foreach (var page in pages)
        {
            page.Dispose();
        }
    }

    [Fact]
    public async Task The_export_holds_the_journal_the_monthly_table_the_charts_and_a_self_contained_report_and_no_token()
    {
        await using var w = await TestWorkshop.StartAsync("alibaba");
        await w.Facilitator.Post("/api/rounds/1/open").Ok();
        await w.Team("alibaba").Decide(1, "alibaba", new { version = 1 }).Ok();
        await w.Facilitator.Post("/api/rounds/1/advance").Ok();

        var response = await w.Facilitator.GetAsync("/api/export");
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        var files = zip.Entries.ToDictionary(e => e.FullName, e => new StreamReader(e.Open()).ReadToEnd());

        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["events.csv", "journal.jsonl", "monthly.csv", "report.html", "scorecard.json", "session.json"],
            files.Keys.Where(k => !k.StartsWith("charts/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains("charts/mau-china-aigc.png", files.Keys);
        Assert.Contains("charts/cash.svg", files.Keys);
        // The report stands alone: no script, nothing fetched from elsewhere, the charts inline.
        var report = files["report.html"];
        Assert.Contains("<h2>Leaderboard</h2>", report);
        Assert.Contains("<td>alibaba</td>", report);
        Assert.Contains("<svg", report);
        Assert.DoesNotContain("<script", report);
        Assert.DoesNotContain("src=\"http", report);
        Assert.Equal(string.Join('\n', w.JournalLines()) + "\n", files["journal.jsonl"]);
        Assert.StartsWith("run,seed,month,market,company,app,mau", files["monthly.csv"]);
        Assert.Contains("\n0,20241205,2023-03,china-aigc,", files["monthly.csv"]);
        string[] tokens = [w.Runtime.File.FacilitatorToken, .. w.Runtime.File.TeamTokens.Values];
        Assert.All(tokens, t => Assert.DoesNotContain(t, string.Concat(files.Values)));
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_with_its_refusals()
    {
        await using var w = await TestWorkshop.StartAsync("alibaba");

        var doc = await w.Anonymous.GetAsync("/openapi/v1.json").Ok();

        var paths = doc["paths"]!.AsObject();
        (string Path, string Method, string[] Codes)[] expected =
        [
            ("/api/state", "get", ["200", "401"]),
            ("/api/events/stream", "get", ["200"]),
            ("/api/scorecard", "get", ["200"]),
            ("/api/teams/{company}", "get", ["200", "401", "403", "404"]),
            ("/api/rounds/{n}/decisions/{company}", "put", ["200", "400", "401", "403", "404", "409", "413", "422"]),
            ("/api/rounds/{n}/open", "post", ["200", "401", "403", "409"]),
            ("/api/rounds/{n}/advance", "post", ["200", "401", "403", "409"]),
            ("/api/rounds/undo", "post", ["200", "401", "403", "409"]),
            ("/api/pause", "post", ["200", "401", "403", "409"]),
            ("/api/resume", "post", ["200", "401", "403", "409"]),
            ("/api/events", "post", ["200", "401", "403", "413", "422"]),
            ("/api/end", "post", ["200", "401", "403"]),
            ("/api/export", "get", ["200", "401", "403"]),
            ("/api/session", "get", ["200", "401", "403"]),
        ];
        foreach (var (path, method, codes) in expected)
        {
            var responses = paths[path]?[method]?["responses"]?.AsObject();
            Assert.True(responses is not null, $"{method} {path} is not in the document");
            Assert.All(codes, c => Assert.True(responses!.ContainsKey(c), $"{method} {path} lacks {c}"));
        }
        Assert.NotNull(doc["components"]!["securitySchemes"]!["bearer"]);
    }

    [Fact]
    public async Task The_placeholder_pages_are_served_with_a_strict_content_security_policy()
    {
        await using var w = await TestWorkshop.StartAsync("alibaba");

        foreach (var page in new[] { "/", "/facilitator.html", "/team.html", "/room.html", "/app.js" })
        {
            var response = await w.Anonymous.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        }
    }
}
