using System.Net;
using System.Text.Json.Nodes;

namespace Simulation.Tests.Workshop;

/// <summary>What the pages read besides the workshop API: the cast, a team's briefing (cited from the article) and the lobby's QR codes.</summary>
public sealed class PagesApiTests
{
    [Fact]
    public async Task A_team_reads_its_briefing_with_the_article_lines_cited_and_no_other_team_may()
    {
        await using var w = await TestWorkshop.StartAsync("bytedance", "alibaba");

        var briefing = await w.Team("alibaba").GetAsync("/api/teams/alibaba/briefing").Ok();
        var other = await w.Team("bytedance").GetAsync("/api/teams/alibaba/briefing");
        var anonymous = await w.Anonymous.GetAsync("/api/teams/alibaba/briefing");
        var facilitator = await w.Facilitator.GetAsync("/api/teams/bytedance/briefing");
        var nobody = await w.Facilitator.GetAsync("/api/teams/baidu/briefing");

        Assert.Equal("Alibaba (阿里巴巴)", briefing["name"]!.GetValue<string>());
        Assert.Equal(20_000_000_000, briefing["cashUsd"]!.GetValue<double>());
        var facts = briefing["facts"]!.AsArray();
        var filing = Assert.Single(facts, f => f!["id"]!.GetValue<string>() == "zhou-chang-arbitration-filed")!;
        Assert.Equal("seeds/000_3b102c28aee96500.txt:3", filing["source"]!.GetValue<string>());
        Assert.Contains("阿里通义已递交劳动争议仲裁申请书", filing["quote"]!.GetValue<string>());
        var cited = Assert.Single(briefing["figures"]!.AsArray(), f => f!["field"]!.GetValue<string>() == "policy.arbitrationProbability")!;
        Assert.Equal("seeds/000_3b102c28aee96500.txt:4", cited["source"]!.GetValue<string>());
        Assert.Contains("仲裁", cited["line"]!.GetValue<string>());
        Assert.Contains(briefing["events"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "filing" && e["source"]!.GetValue<string>().EndsWith(":3", StringComparison.Ordinal));
        Assert.Contains(briefing["researchers"]!.AsArray(), r => r!["id"]!.GetValue<string>() == "zhou-chang");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, facilitator.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
    }

    [Fact]
    public async Task The_cast_names_every_id_without_a_token()
    {
        await using var w = await TestWorkshop.StartAsync("bytedance");

        var cast = await w.Anonymous.GetAsync("/api/cast").Ok();

        Assert.Contains(cast["companies"]!.AsArray(), c => c!["id"]!.GetValue<string>() == "bytedance" && c["name"]!.GetValue<string>() == "ByteDance (字节跳动)");
        Assert.Contains(cast["apps"]!.AsArray(), a => a!["id"]!.GetValue<string>() == "doubao" && a["of"]!.GetValue<string>() == "bytedance");
        Assert.Contains(cast["researchers"]!.AsArray(), r => r!["id"]!.GetValue<string>() == "zhou-chang");
        // A researcher without a name is named by the id.
        Assert.Contains(cast["researchers"]!.AsArray(), r => r!["id"]!.GetValue<string>() == "alibaba-lead-a" && r["name"]!.GetValue<string>() == "alibaba-lead-a");
    }

    [Fact]
    public async Task Only_the_facilitator_gets_a_join_link_as_a_QR_code()
    {
        await using var w = await TestWorkshop.StartAsync("bytedance", "alibaba");

        var qr = await w.Facilitator.GetAsync("/api/teams/bytedance/qr.svg");
        var team = await w.Team("bytedance").GetAsync("/api/teams/bytedance/qr.svg");
        var anonymous = await w.Anonymous.GetAsync("/api/teams/bytedance/qr.svg");
        var nobody = await w.Facilitator.GetAsync("/api/teams/baidu/qr.svg");

        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);
        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<svg", (await qr.Content.ReadAsStringAsync()).TrimStart()[..4]);
        Assert.Equal(HttpStatusCode.Forbidden, team.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, nobody.StatusCode);
    }

    [Fact]
    public async Task The_pages_write_data_as_text_only()
    {
        // Every name in the API's answers is data: the pages build the DOM with text nodes and attributes only.
        var root = Path.Combine(Simulation.Tests.Support.Repo.Root, "src", "Simulation.Workshop.Web", "wwwroot");
        foreach (var file in Directory.EnumerateFiles(root, "*.js"))
        {
            var text = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain("innerHTML", text);
            Assert.DoesNotContain("outerHTML", text);
            Assert.DoesNotContain("insertAdjacentHTML", text);
            Assert.DoesNotContain("document.write", text);
        }
        foreach (var file in Directory.EnumerateFiles(root, "*.html"))
        {
            var text = await File.ReadAllTextAsync(file);
            Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)", text); // no inline script (the CSP forbids it anyway)
            Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", text); // nothing from another origin
        }
    }
}
