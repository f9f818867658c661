using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using QRCoder;
using Simulation.Model.Config;
using Simulation.Scenarios;
using Simulation.Workshop;
using YamlDotNet.RepresentationModel;

namespace Simulation.Workshop.Web;

/// <summary>
/// What the pages read besides the workshop API: the public cast (names for ids), a team's briefing drawn from the
/// scenario and the article, and each team's join link as a QR code for the facilitator's lobby.
/// </summary>
public static partial class PagesApi
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("pages");

        api.MapGet("/cast", (WorkshopRuntime rt) => Results.Json(Cast(rt.Current.Setup), SessionFolder.Json))
            .WithName("GetCast")
            .WithSummary("The scenario's public cast: companies, apps, markets and named researchers with their names (for pages to name ids)")
            .Produces<CastView>();

        api.MapGet("/teams/{company}/briefing", (string company, HttpContext http, WorkshopRuntime rt) =>
            {
                if (Refuse(http, rt, company, facilitatorOnly: false) is { } refused)
                {
                    return refused;
                }
                return !rt.Current.IsTeam(company)
                    ? Problem(404, $"no team plays '{company}'")
                    : Results.Json(Briefing(rt.Current.Setup, company), SessionFolder.Json);
            })
            .WithName("GetTeamBriefing")
            .WithSummary("A team's briefing: its situation at the scenario's start, the scenario's figures and events about it that cite the article (with the line), and the article's facts about it")
            .WithDescription("The team's token (or the facilitator's). 401 without a token, 403 for another team's token, 404 for a company no team plays.")
            .Produces<BriefingView>().Produces<ProblemView>(401).Produces<ProblemView>(403).Produces<ProblemView>(404);

        api.MapGet("/teams/{company}/qr.svg", (string company, HttpContext http, WorkshopRuntime rt) =>
            {
                if (Refuse(http, rt, company, facilitatorOnly: true) is { } refused)
                {
                    return refused;
                }
                if (!rt.File.TeamTokens.TryGetValue(company, out var token))
                {
                    return Problem(404, $"no team plays '{company}'");
                }
                // The printed link; a session file without links (built in code) gets one on the address asked.
                var url = rt.File.TeamUrls.TryGetValue(company, out var printed) ? printed
                    : $"{http.Request.Scheme}://{http.Request.Host}/team.html#company={Uri.EscapeDataString(company)}&token={token}";
                return Results.Text(QrSvg(url), "image/svg+xml");
            })
            .WithName("GetTeamQrCode")
            .WithSummary("The team's join link (with its token) as a QR code, an SVG image: facilitator only")
            .Produces(200, contentType: "image/svg+xml").Produces<ProblemView>(401).Produces<ProblemView>(403).Produces<ProblemView>(404);
    }

    /// <summary>An SVG QR code of <paramref name="text"/>.</summary>
    public static string QrSvg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }

    private static IResult? Refuse(HttpContext http, WorkshopRuntime rt, string company, bool facilitatorOnly)
    {
        var header = http.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        var token = header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : "";
        if (token.Length == 0)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problem(401, "a token is needed: Authorization: Bearer <token>");
        }
        if (WorkshopApi.Resolve(rt.File, token) is not { } actor)
        {
            return Problem(401, "the token is not this session's");
        }
        if (facilitatorOnly && !actor.IsFacilitator)
        {
            return Problem(403, "only the facilitator may do this");
        }
        return actor.IsFacilitator || actor.Company == company ? null : Problem(403, $"this token acts for {actor.Company} only");
    }

    private static IResult Problem(int status, string title) =>
        Results.Json(new ProblemView(status, title, []), SessionFolder.Json, "application/problem+json", status);

    public static CastView Cast(WorkshopSetup setup)
    {
        var info = setup.Info;
        return new CastView(
            info.Name, info.Description, info.Start, info.End,
            [.. info.Markets.Select(m => new CastEntry(m.Id, Named(m.Name, m.Id), null))],
            [.. info.Companies.Select(c => new CastEntry(c.Id, Named(c.Name, c.Id), null))],
            [.. info.Apps.Select(x => new CastEntry(x.App.Id, Named(x.App.Name, x.App.Id), x.Company.Id))],
            [.. info.Talent.Researchers.Select(r => new CastEntry(r.Id, Named(r.Name, r.Id), r.Employer))]);
    }

    private static string Named(string name, string id) => string.IsNullOrWhiteSpace(name) ? id : name;

    public static BriefingView Briefing(WorkshopSetup setup, string company)
    {
        var info = setup.Info;
        var c = info.Company(company);
        var article = Article.For(setup.Scenario);
        var researcherIds = info.Talent.Researchers.Where(r => r.Employer == company).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var appIds = c.Apps.Select(a => a.Id).ToList();

        var cited = setup.Scenario.Provenance
            .Where(p => p.Kind == Scenarios.Yaml.Provenance.Source && p.Text is not null && p.Path.StartsWith($"companies.{company}.", StringComparison.Ordinal))
            .Select(p => new CitedFigure(p.Path[$"companies.{company}.".Length..], p.Value, p.Text!, article.Line(p.Text!)))
            .ToImmutableArray();

        var events = info.Events
            .Where(e => e.Company == company || e.To == company || (e.Person is { } person && researcherIds.Contains(person)) || (e.App is { } app && appIds.Contains(app)))
            .OrderBy(e => e.Date).ThenBy(e => e.Order)
            .Select(e => new CitedEvent(e.Date, ParamReflection.Word(e.Kind), e.Person, e.To, e.Note, e.Source, e.Source is { } s ? article.Line(s) : null))
            .ToImmutableArray();

        var words = new List<string> { company };
        words.AddRange(appIds);
        words.AddRange(researcherIds);
        var english = c.Name.Split(" (", 2)[0].Trim();
        if (english.Length > 0)
        {
            words.Add(english);
        }
        var facts = article.Facts.Where(f => words.Any(w => Mentions(f.Model + " " + f.Claim, w))).ToImmutableArray();

        var start = info.Start;
        return new BriefingView
        {
            Company = company,
            Name = Named(c.Name, company),
            Scenario = info.Name,
            Description = info.Description,
            Start = start,
            End = info.End,
            CashUsd = c.CashUsd,
            MonthlyRevenueUsd = c.MonthlyRevenueAt(start),
            Ecosystem = c.Ecosystem,
            Workforce = [.. c.Workforce.Select((n, i) => new TierCount(i < info.Talent.Tiers.Length ? info.Talent.Tiers[i].Id : $"tier {i + 1}", n))],
            Apps = [.. c.Apps.Select(a => new BriefingApp(a.Id, Named(a.Name, a.Id), a.Market, a.Launch))],
            Researchers = [.. info.Talent.Researchers.Where(r => r.Employer == company)
                .Select(r => new BriefingResearcher(r.Id, Named(r.Name, r.Id), r.Skill, r.MonthlySalaryUsd, r.InAi, r.Source, r.Source is { } s ? article.Line(s) : null))],
            Rivals = [.. info.Companies.Where(o => o.Id != company).Select(o => new CastEntry(o.Id, Named(o.Name, o.Id), null))],
            ArticleTitle = article.Title,
            ArticleSource = article.SourceFile,
            Figures = cited,
            Events = events,
            Facts = facts,
        };
    }

    private static bool Mentions(string text, string word) =>
        Regex.IsMatch(text, $@"(?<![\w-]){Regex.Escape(word)}(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The article behind the scenario: its lines (for citations) and the facts table in the seeds folder, when there is one.</summary>
    private sealed record Article(string? Title, string? SourceFile, IReadOnlyDictionary<string, string[]> Files, ImmutableArray<ArticleFact> Facts)
    {
        private static readonly Lock Gate = new();
        private static readonly Dictionary<string, Article> Cache = new(StringComparer.Ordinal);

        public static Article For(LoadedScenario scenario)
        {
            var seeds = scenario.SeedsDirectory ?? ScenarioLoader.SeedsDirectory(scenario.File);
            if (seeds is null || !Directory.Exists(seeds))
            {
                return new Article(null, null, new Dictionary<string, string[]>(), []);
            }
            lock (Gate)
            {
                if (!Cache.TryGetValue(seeds, out var article))
                {
                    article = Read(seeds);
                    Cache[seeds] = article;
                }
                return article;
            }
        }

        private static Article Read(string seeds)
        {
            var files = Directory.EnumerateFiles(seeds, "*.txt").ToDictionary(f => "seeds/" + Path.GetFileName(f), File.ReadAllLines, StringComparer.Ordinal);
            var factsPath = Path.Combine(seeds, "facts.yaml");
            if (!File.Exists(factsPath))
            {
                return new Article(null, null, files, []);
            }
            var stream = new YamlStream();
            using (var reader = new StreamReader(factsPath))
            {
                stream.Load(reader);
            }
            var root = (YamlMappingNode)stream.Documents[0].RootNode;
            string? Scalar(YamlMappingNode node, string key) =>
                node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
            var source = Scalar(root, "source");
            var title = root.Children.TryGetValue(new YamlScalarNode("article"), out var a) && a is YamlMappingNode am ? Scalar(am, "title") : null;
            var facts = root.Children.TryGetValue(new YamlScalarNode("facts"), out var f) && f is YamlSequenceNode seq
                ? seq.Children.OfType<YamlMappingNode>().Select(n => new ArticleFact(
                    Scalar(n, "id") ?? "", int.TryParse(Scalar(n, "line"), out var line) ? line : 0, Scalar(n, "quote") ?? "",
                    Scalar(n, "claim") ?? "", Scalar(n, "date"), Scalar(n, "model") ?? "", source is null ? null : $"{source}:{Scalar(n, "line")}")).ToImmutableArray()
                : [];
            return new Article(title, source, files, facts);
        }

        /// <summary>The text of a cited line, <c>seeds/&lt;file&gt;:&lt;line&gt;</c> (the first line of a range), or null.</summary>
        public string? Line(string source)
        {
            var m = SourceRef().Match(source);
            if (!m.Success || !Files.TryGetValue(m.Groups["file"].Value, out var lines))
            {
                return null;
            }
            var n = int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            return n >= 1 && n <= lines.Length ? lines[n - 1] : null;
        }
    }

    [GeneratedRegex(@"^(?<file>seeds/[^:\s]+):(?<line>[0-9]+)")]
    private static partial Regex SourceRef();
}

/// <summary><c>GET /api/cast</c>: names for the ids the other answers carry. Every name is data: escape it.</summary>
public sealed record CastView(string Scenario, string Description, DateOnly Start, DateOnly End,
    ImmutableArray<CastEntry> Markets, ImmutableArray<CastEntry> Companies, ImmutableArray<CastEntry> Apps, ImmutableArray<CastEntry> Researchers);

/// <summary>An id and its name; <see cref="Of"/> is the owner (an app's company, a researcher's employer at the start).</summary>
public sealed record CastEntry(string Id, string Name, string? Of);

/// <summary><c>GET /api/teams/{company}/briefing</c>.</summary>
public sealed record BriefingView
{
    public required string Company { get; init; }
    public required string Name { get; init; }
    public required string Scenario { get; init; }
    public required string Description { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    public required double CashUsd { get; init; }
    public required double MonthlyRevenueUsd { get; init; }
    public required double Ecosystem { get; init; }
    public required ImmutableArray<TierCount> Workforce { get; init; }
    public required ImmutableArray<BriefingApp> Apps { get; init; }
    public required ImmutableArray<BriefingResearcher> Researchers { get; init; }
    public required ImmutableArray<CastEntry> Rivals { get; init; }
    public string? ArticleTitle { get; init; }
    public string? ArticleSource { get; init; }
    /// <summary>The scenario's figures for the company that cite the article.</summary>
    public required ImmutableArray<CitedFigure> Figures { get; init; }
    /// <summary>The scenario's scripted events about the company, its apps or its people.</summary>
    public required ImmutableArray<CitedEvent> Events { get; init; }
    /// <summary>The article's facts that concern the company (from seeds/facts.yaml).</summary>
    public required ImmutableArray<ArticleFact> Facts { get; init; }
}

public sealed record TierCount(string Tier, double Count);

public sealed record BriefingApp(string Id, string Name, string Market, DateOnly? Launch);

public sealed record BriefingResearcher(string Id, string Name, double Skill, double MonthlySalaryUsd, bool InAi, string? Source, string? Line);

/// <summary>A figure of the scenario with its <c>source:</c> (seeds/&lt;file&gt;:&lt;line&gt;) and that line's text.</summary>
public sealed record CitedFigure(string Field, double Value, string Source, string? Line);

public sealed record CitedEvent(DateOnly Date, string Kind, string? Person, string? To, string Note, string? Source, string? Line);

/// <summary>A fact of the article: the line, the verbatim quote, the claim in English.</summary>
public sealed record ArticleFact(string Id, int Line, string Quote, string Claim, string? Date, string Model, string? Source);
