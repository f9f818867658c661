using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Simulation.Exports;
using Simulation.Workshop;

namespace Simulation.Workshop.Web;

/// <summary>
/// A part of the exported zip besides the journal and the tables: register one as a service and
/// <c>GET /api/export</c> adds what it renders (the hook for the self-contained HTML report of the debrief).
/// </summary>
public interface IExportPart
{
    /// <summary>Files to add to the zip: name (a path inside the zip) and content.</summary>
    IEnumerable<(string Name, byte[] Content)> Render(WorkshopSession session);
}

/// <summary>The workshop's JSON API, as minimal APIs.</summary>
public static class WorkshopApi
{
    /// <summary>How long <c>GET /api/state?after=</c> waits for a change before answering with the state as it is.</summary>
    public static TimeSpan LongPollTimeout { get; set; } = TimeSpan.FromSeconds(25);

    private static readonly JsonSerializerOptions RequestJson = new(SessionFolder.Json)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("workshop");

        api.MapGet("/state", GetState)
            .WithName("GetState")
            .WithSummary("The session's state: round, status, simulated date, deadline, public figures, news, who has submitted, stateHash")
            .WithDescription("No token needed. With a team's token, also that team's own figures and decision (`you`). With `?after=VERSION`, waits (up to 25 s) until the state's version is above VERSION: a long-poll for live pages. 401 for a token that is not the session's.")
            .Produces<StateView>().Produces<ProblemView>(401);

        api.MapGet("/events/stream", Stream)
            .WithName("StreamEvents")
            .WithSummary("Server-sent events: a `state` event with {version, round, status, stateHash} now and on every change")
            .WithDescription("No token needed (EventSource cannot send headers); it carries nothing private. Pages then read GET /api/state. A comment line every 15 s keeps the connection open.")
            .Produces(200, contentType: "text/event-stream");

        api.MapGet("/scorecard", (WorkshopRuntime rt) => Results.Json(rt.Current.Scorecard, SessionFolder.Json))
            .WithName("GetScorecard")
            .WithSummary("Each team's balanced score (users, share, retention, cash, talent; 100 = the computer's play), the leaderboard and the trajectory per round")
            .Produces<Scorecard>();

        api.MapGet("/teams/{company}", GetDashboard)
            .WithName("GetTeamDashboard")
            .WithSummary("A team's dashboard: figures, trajectory, named researchers, the decision form with meaning, unit, range and current value of each field, who it may make offers to or file against")
            .WithDescription("The team's token (or the facilitator's). 401 without a token, 403 for another team's token, 404 for a company no team plays.")
            .Produces<DashboardView>().Produces<ProblemView>(401).Produces<ProblemView>(403).Produces<ProblemView>(404);

        api.MapGet("/rounds/{n:int}/decisions/{company}", GetDecision)
            .WithName("GetDecision")
            .WithSummary("The decision stored for round n and the company (404 if none)")
            .Produces<DecisionView>().Produces<ProblemView>(401).Produces<ProblemView>(403).Produces<ProblemView>(404);

        api.MapPut("/rounds/{n:int}/decisions/{company}", PutDecision)
            .WithName("PutDecision")
            .WithSummary("Submit (team) or alter (facilitator, recorded as the facilitator's) the company's decision for round n")
            .WithDescription("200 with the stored decision (and ETag \"VERSION\"); resubmitting the stored version with the same values changes nothing and answers 200. 400 for malformed JSON or a wrong type (field path in errors), 422 for invalid values (one error per field), 401 without a token, 403 for another company's token, 404 for a company no team plays, 409 when round n is not open (or its deadline passed) or the version is older than the stored one, 413 for a body over 64 KB.")
            .Accepts<DecisionBody>("application/json")
            .Produces<DecisionView>().Produces<ProblemView>(400).Produces<ProblemView>(401).Produces<ProblemView>(403)
            .Produces<ProblemView>(404).Produces<ProblemView>(409).Produces<ProblemView>(413).Produces<ProblemView>(422);

        api.MapGet("/debrief/{company}/rounds/{n:int}", GetSkillOrLuck)
            .WithName("GetDebrief")
            .WithSummary("Skill or luck: for a round played, the ensemble (runs seeds, common random numbers) of what the team's decisions led to against the computer's play of that round from the same state, along the causal chain, with the session's own run placed in its band")
            .WithDescription("The team's token (or the facilitator's). `?runs=N` (2 to 200, default 10). 401 without a token, 403 for another team's token, 404 for a company no team plays, 409 for a round not played, 422 for a bad runs. Changes nothing.")
            .Produces<DebriefView>().Produces<ProblemView>(401).Produces<ProblemView>(403).Produces<ProblemView>(404).Produces<ProblemView>(409).Produces<ProblemView>(422);

        api.MapPost("/debrief/{company}/rounds/{n:int}/fork", PostFork)
            .WithName("ForkRound")
            .WithSummary("Replay from round n with this decision changed: the forked session beside the real one to the last round played, along the causal chain, with bands")
            .WithDescription("Body: a decision as for PUT /api/rounds/{n}/decisions/{company} (its version is ignored), checked against the state at the start of round n (422 with one error per field). `?runs=N` as for GET /api/debrief. Journals nothing: a what-if of the session.")
            .Accepts<DecisionBody>("application/json")
            .Produces<DebriefView>().Produces<ProblemView>(400).Produces<ProblemView>(401).Produces<ProblemView>(403).Produces<ProblemView>(404)
            .Produces<ProblemView>(409).Produces<ProblemView>(413).Produces<ProblemView>(422);

        var facilitator = api.MapGroup("").WithTags("facilitator");
        facilitator.MapGet("/session", (HttpContext http, WorkshopRuntime rt) =>
                Authorize(http, rt, facilitatorOnly: true) is { } refused ? refused : Results.Json(Projections.Session(rt.Current, rt.File), SessionFolder.Json))
            .WithName("GetSession")
            .WithSummary("The session's set-up and every team's join link (with its token), for the lobby and its QR codes")
            .Produces<SessionView>().Produces<ProblemView>(401).Produces<ProblemView>(403);

        facilitator.MapPost("/rounds/{n:int}/open", Open)
            .WithName("OpenRound")
            .WithSummary("Open round n for decisions, with an optional deadline (`deadline` ISO 8601 or `deadlineSeconds` from now); again while open: a new deadline")
            .Accepts<OpenBody>("application/json")
            .Produces<ActionView>().Produces<ProblemView>(401).Produces<ProblemView>(403).Produces<ProblemView>(404).Produces<ProblemView>(409).Produces<ProblemView>(422);

        facilitator.MapPost("/rounds/{n:int}/advance", (int n, HttpContext http, WorkshopRuntime rt, CancellationToken ct) =>
                Act(http, rt, Actions.Advance, now => new JournalEntry { At = now, By = "", Action = Actions.Advance, Round = n }, ct))
            .WithName("AdvanceRound")
            .WithSummary("Play round n: companies without a team or without a decision play their policy in force")
            .Produces<ActionView>().Produces<ProblemView>(401).Produces<ProblemView>(403).Produces<ProblemView>(404).Produces<ProblemView>(409);

        facilitator.MapPost("/rounds/undo", (HttpContext http, WorkshopRuntime rt, CancellationToken ct) =>
                Act(http, rt, Actions.Undo, now => new JournalEntry { At = now, By = "", Action = Actions.Undo }, ct))
            .WithName("UndoRound")
            .WithSummary("Undo the last round played: the state is the replay without it; the round opens again with its decisions")
            .Produces<ActionView>().Produces<ProblemView>(401).Produces<ProblemView>(403).Produces<ProblemView>(409);

        facilitator.MapPost("/pause", (HttpContext http, WorkshopRuntime rt, CancellationToken ct) =>
                Act(http, rt, Actions.Pause, now => new JournalEntry { At = now, By = "", Action = Actions.Pause }, ct))
            .WithName("Pause").WithSummary("Pause the open round: no decisions, the deadline's countdown stops")
            .Produces<ActionView>().Produces<ProblemView>(401).Produces<ProblemView>(403).Produces<ProblemView>(409);

        facilitator.MapPost("/resume", (HttpContext http, WorkshopRuntime rt, CancellationToken ct) =>
                Act(http, rt, Actions.Resume, now => new JournalEntry { At = now, By = "", Action = Actions.Resume }, ct))
            .WithName("Resume").WithSummary("Resume the paused round; the deadline moves by the pause")
            .Produces<ActionView>().Produces<ProblemView>(401).Produces<ProblemView>(403).Produces<ProblemView>(409);

        facilitator.MapPost("/events", Inject)
            .WithName("InjectEvent")
            .WithSummary("Inject an event into the current round, written as a scenario file writes one (kind, company, person, multiplier, amountUsd, ...; date: the round's first day unless given)")
            .WithDescription("Judged by the scenario loader's rules: 422 with one error per field (`event.kind`, `event.company`, ...). The kinds are in GET /api/session's eventKinds.")
            .Accepts<JsonObject>("application/json")
            .Produces<ActionView>().Produces<ProblemView>(400).Produces<ProblemView>(401).Produces<ProblemView>(403).Produces<ProblemView>(409).Produces<ProblemView>(413).Produces<ProblemView>(422);

        facilitator.MapPost("/end", (HttpContext http, WorkshopRuntime rt, CancellationToken ct) =>
                Act(http, rt, Actions.End, now => new JournalEntry { At = now, By = "", Action = Actions.End }, ct))
            .WithName("EndSession").WithSummary("End the session: nothing changes any more (reading and export still work)")
            .Produces<ActionView>().Produces<ProblemView>(401).Produces<ProblemView>(403).Produces<ProblemView>(409);

        facilitator.MapGet("/export", Export)
            .WithName("Export")
            .WithSummary("A zip of the session so far: journal.jsonl, monthly.csv, events.csv, scorecard.json and session.json without tokens (plus any registered IExportPart, e.g. the HTML report)")
            .Produces(200, contentType: "application/zip").Produces<ProblemView>(401).Produces<ProblemView>(403);
    }

    private static async Task<IResult> GetState(HttpContext http, WorkshopRuntime rt, int? after, CancellationToken ct)
    {
        var viewer = Viewer(http, rt, out var refused);
        if (refused is not null)
        {
            return refused;
        }
        var session = after is { } v ? await rt.WaitForChangeAsync(v, LongPollTimeout, ct) : rt.Current;
        return Results.Json(Projections.State(rt, session, viewer), SessionFolder.Json);
    }

    private static async Task Stream(HttpContext http, WorkshopRuntime rt, CancellationToken ct)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        var sent = -1;
        while (!ct.IsCancellationRequested)
        {
            var next = rt.NextChange;
            var s = rt.Current;
            if (s.Version != sent)
            {
                var data = JsonSerializer.Serialize(new { s.Version, s.Round, Status = s.StatusWord, s.StateHash }, SessionFolder.Json);
                await http.Response.WriteAsync($"event: state\ndata: {data}\n\n", ct);
                sent = s.Version;
            }
            else
            {
                await http.Response.WriteAsync(": keep-alive\n\n", ct);
            }
            await http.Response.Body.FlushAsync(ct);
            try
            {
                await next.WaitAsync(TimeSpan.FromSeconds(15), ct);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static IResult GetDashboard(string company, HttpContext http, WorkshopRuntime rt)
    {
        if (AuthorizeFor(http, rt, company) is { } refused)
        {
            return refused;
        }
        var s = rt.Current;
        return !s.IsTeam(company)
            ? Problem(http, rt, 404, $"no team plays '{company}'")
            : Results.Json(Projections.Dashboard(s, company), SessionFolder.Json);
    }

    private static IResult GetDecision(int n, string company, HttpContext http, WorkshopRuntime rt)
    {
        if (AuthorizeFor(http, rt, company) is { } refused)
        {
            return refused;
        }
        return Projections.Decision(rt.Current.DecisionOf(n, company)) is { } d
            ? Results.Json(d, SessionFolder.Json)
            : Problem(http, rt, 404, $"no decision stored for {company} in round {n}");
    }

    private static async Task<IResult> GetSkillOrLuck(int n, string company, int? runs, HttpContext http, WorkshopRuntime rt, CancellationToken ct)
    {
        if (AuthorizeFor(http, rt, company) is { } refused)
        {
            return refused;
        }
        var session = rt.Current;
        return await Debriefed(http, rt, () => Debrief.SkillOrLuck(session, company, n, runs ?? Debrief.DefaultRuns, ct));
    }

    private static async Task<IResult> PostFork(int n, string company, int? runs, HttpContext http, WorkshopRuntime rt, CancellationToken ct)
    {
        if (AuthorizeFor(http, rt, company) is { } refused)
        {
            return refused;
        }
        var (body, bad) = await ReadBody<DecisionBody>(http, rt, ct);
        if (bad is not null)
        {
            return bad;
        }
        var session = rt.Current;
        return await Debriefed(http, rt, () => Debrief.Fork(session, company, n, body!.ToInput(), runs ?? Debrief.DefaultRuns, ct));
    }

    private static int StatusOf(RefusalKind kind) => kind switch
    {
        RefusalKind.BadRequest => 400,
        RefusalKind.Forbidden => 403,
        RefusalKind.NotFound => 404,
        RefusalKind.Conflict => 409,
        _ => 422,
    };

    /// <summary>Runs a debrief off the request thread (it plays ensembles) and answers its view, or the refusal's status.</summary>
    private static async Task<IResult> Debriefed(HttpContext http, WorkshopRuntime rt, Func<Task<DebriefView>> debrief)
    {
        try
        {
            var view = await Task.Run(debrief);
            return Results.Json(view, SessionFolder.Json);
        }
        catch (WorkshopRefusal e)
        {
            return Problem(http, rt, StatusOf(e.Kind), e.Message, e.Errors);
        }
    }

    private static async Task<IResult> PutDecision(int n, string company, HttpContext http, WorkshopRuntime rt, CancellationToken ct)
    {
        if (AuthorizeFor(http, rt, company) is { } refused)
        {
            return refused;
        }
        var (body, bad) = await ReadBody<DecisionBody>(http, rt, ct);
        if (bad is not null)
        {
            return bad;
        }
        var actor = ActorOf(http)!.Value;
        return await Run(http, rt, Actions.Decide, actor, now => new JournalEntry
        {
            At = now, By = "", Action = Actions.Decide, Round = n, Company = company, Decision = body!.ToInput(),
        }, (s, _) =>
        {
            var stored = s.DecisionOf(n, company)!;
            http.Response.Headers.ETag = $"\"{stored.Version}\"";
            return Results.Json(Projections.Decision(stored), SessionFolder.Json);
        }, ct);
    }

    private static async Task<IResult> Open(int n, HttpContext http, WorkshopRuntime rt, CancellationToken ct)
    {
        if (Authorize(http, rt, facilitatorOnly: true) is { } refused)
        {
            return refused;
        }
        var body = new OpenBody();
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var (read, bad) = await ReadBody<OpenBody>(http, rt, ct);
            if (bad is not null)
            {
                return bad;
            }
            body = read!;
        }
        if (body.DeadlineSeconds is { } secs && (!double.IsFinite(secs) || secs <= 0 || secs > 7 * 86400))
        {
            return Problem(http, rt, 422, "invalid deadline", [new FieldError("deadlineSeconds", $"expected seconds in (0, 604800], got {secs}")]);
        }
        return await Act(http, rt, Actions.Open, now => new JournalEntry
        {
            At = now, By = "", Action = Actions.Open, Round = n,
            Deadline = body.Deadline ?? (body.DeadlineSeconds is { } s ? now.AddSeconds(s) : null),
        }, ct);
    }

    private static async Task<IResult> Inject(HttpContext http, WorkshopRuntime rt, CancellationToken ct)
    {
        if (Authorize(http, rt, facilitatorOnly: true) is { } refused)
        {
            return refused;
        }
        var (body, bad) = await ReadBody<JsonObject>(http, rt, ct);
        if (bad is not null)
        {
            return bad;
        }
        return await Act(http, rt, Actions.Inject, now => new JournalEntry { At = now, By = "", Action = Actions.Inject, Round = rt.Current.Round, Event = body }, ct);
    }

    private static IResult Export(HttpContext http, WorkshopRuntime rt)
    {
        if (Authorize(http, rt, facilitatorOnly: true) is { } refused)
        {
            return refused;
        }
        var s = rt.Current;
        var played = s.Played;
        var output = new RunOutput(s.Setup.Info.Name, s.Setup.Scenario.Sha256, s.Setup.Info.Seed, 0, "reference (workshop)",
            typeof(WorkshopApi).Assembly.GetName().Version?.ToString() ?? "0", [], played.Collector.MonthRows, played.Collector.Events,
            [.. played.Collector.FinalCompanies]);
        var info = rt.File;
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] content)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                using var stream = entry.Open();
                stream.Write(content);
            }
            Add(SessionFolder.JournalFileName, rt.Folder.JournalBytes());
            Add("monthly.csv", Encoding.UTF8.GetBytes(RunExport.Monthly(output)));
            Add("events.csv", Encoding.UTF8.GetBytes(RunExport.Events(output)));
            Add("scorecard.json", JsonSerializer.SerializeToUtf8Bytes(s.Scorecard, SessionFolder.Json));
            Add("session.json", JsonSerializer.SerializeToUtf8Bytes(new
            {
                info.ScenarioFile, info.ScenarioName, info.ScenarioSha256, info.Teams, info.Rounds, info.RoundMonths, info.Created,
                s.Round, s.RoundsPlayed, Status = s.StatusWord, s.StateHash,
            }, SessionFolder.Json));
            foreach (var part in http.RequestServices.GetServices<IExportPart>())
            {
                foreach (var (name, content) in part.Render(s))
                {
                    Add(name, content);
                }
            }
        }
        Audit(http, rt, 200, "export");
        return Results.File(zip.ToArray(), "application/zip", $"workshop-{s.Setup.Info.Name}-round-{s.RoundsPlayed}.zip");
    }

    /// <summary>A facilitator's action: authorize, apply, answer with the state after it.</summary>
    private static async Task<IResult> Act(HttpContext http, WorkshopRuntime rt, string action, Func<DateTimeOffset, JournalEntry> make, CancellationToken ct)
    {
        if (Authorize(http, rt, facilitatorOnly: true) is { } refused)
        {
            return refused;
        }
        var watch = Stopwatch.StartNew();
        return await Run(http, rt, action, Actor.Facilitator, make,
            (s, changed) => Results.Json(Projections.Action(action, s, changed, watch.Elapsed.TotalMilliseconds), SessionFolder.Json), ct);
    }

    private static async Task<IResult> Run(HttpContext http, WorkshopRuntime rt, string action, Actor actor, Func<DateTimeOffset, JournalEntry> make,
        Func<WorkshopSession, bool, IResult> answer, CancellationToken ct)
    {
        try
        {
            var (session, changed) = await rt.ExecuteAsync(actor, make, CancellationToken.None);
            Audit(http, rt, 200, changed ? action : action + " (unchanged)");
            return answer(session, changed);
        }
        catch (WorkshopRefusal e)
        {
            return Problem(http, rt, StatusOf(e.Kind), e.Message, e.Errors);
        }
        catch (Simulation.Model.Rules.ScenarioValueException e)
        {
            return Problem(http, rt, 422, $"the round cannot be played: {e.Message}");
        }
    }

    /// <summary>Reads a JSON body within the size limit: 413 past it, 400 with the field's path for malformed JSON or a wrong type.</summary>
    private static async Task<(T? Body, IResult? Refused)> ReadBody<T>(HttpContext http, WorkshopRuntime rt, CancellationToken ct) where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, RequestJson, ct);
            return body is null ? (null, Problem(http, rt, 400, "expected a JSON body", [new FieldError("body", "expected a JSON object, got null")])) : (body, null);
        }
        catch (BadHttpRequestException e)
        {
            return (null, Problem(http, rt, e.StatusCode, e.StatusCode == 413 ? $"the body is larger than {WorkshopServer.MaxBodyBytes / 1024} KB" : e.Message));
        }
        catch (JsonException e)
        {
            var field = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            var message = Plain(e.Message.Split(" Path:", 2)[0]);
            return (null, Problem(http, rt, 400, "malformed JSON", [new FieldError(field.Length == 0 ? "body" : field, message)]));
        }
    }

    /// <summary>A JSON error in the API's words: "could not be converted to System.Double" becomes "expected a number", never a .NET type's name.</summary>
    private static string Plain(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, @"could not be converted to ([\w.`\[\], ]+?)\.?$");
        if (!match.Success)
        {
            return message;
        }
        var type = match.Groups[1].Value;
        var expected = type switch
        {
            _ when type.EndsWith("Double", StringComparison.Ordinal) => "a number",
            _ when type.EndsWith("Int32", StringComparison.Ordinal) || type.EndsWith("Int64", StringComparison.Ordinal) => "a whole number",
            _ when type.EndsWith("String", StringComparison.Ordinal) => "text",
            _ when type.Contains("List", StringComparison.Ordinal) || type.Contains("Array", StringComparison.Ordinal) => "a list",
            _ when type.Contains("Dictionary", StringComparison.Ordinal) || type.EndsWith("Object", StringComparison.Ordinal) => "a mapping",
            _ when type.EndsWith("DecisionBody", StringComparison.Ordinal) => "a decision: {version, policy: {field: number}, offers: [...], filings: [...]}",
            _ when type.EndsWith("OpenBody", StringComparison.Ordinal) => "{deadline} or {deadlineSeconds}",
            _ => "a value of another type",
        };
        return $"the value has the wrong type: expected {expected}";
    }

    /// <summary>The bearer token's actor, or null without one; <paramref name="refused"/> is 401 for a token that is not the session's.</summary>
    private static Actor? Viewer(HttpContext http, WorkshopRuntime rt, out IResult? refused)
    {
        refused = null;
        var token = BearerToken(http);
        if (token is null)
        {
            return null;
        }
        if (Resolve(rt.File, token) is { } actor)
        {
            http.Items[typeof(Actor)] = actor;
            if (actor.Company is { } company)
            {
                rt.Seen(company);
            }
            return actor;
        }
        refused = Problem(http, rt, 401, "the token is not this session's");
        return null;
    }

    private static Actor? ActorOf(HttpContext http) => http.Items.TryGetValue(typeof(Actor), out var a) ? (Actor)a! : null;

    /// <summary>401 without a valid token; 403 for a team's token when <paramref name="facilitatorOnly"/>.</summary>
    private static IResult? Authorize(HttpContext http, WorkshopRuntime rt, bool facilitatorOnly)
    {
        var actor = Viewer(http, rt, out var refused);
        if (refused is not null)
        {
            return refused;
        }
        if (actor is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problem(http, rt, 401, "a token is needed: Authorization: Bearer <token>");
        }
        return facilitatorOnly && !actor.Value.IsFacilitator ? Problem(http, rt, 403, "only the facilitator may do this") : null;
    }

    /// <summary>401 without a valid token; 403 for a team's token of another company.</summary>
    private static IResult? AuthorizeFor(HttpContext http, WorkshopRuntime rt, string company)
    {
        if (Authorize(http, rt, facilitatorOnly: false) is { } refused)
        {
            return refused;
        }
        var actor = ActorOf(http)!.Value;
        return actor.IsFacilitator || actor.Company == company ? null : Problem(http, rt, 403, $"this token acts for {actor.Company} only");
    }

    /// <summary>The actor whose token this is; every token is compared (in constant time), so the time taken does not tell which one matched.</summary>
    public static Actor? Resolve(SessionFile file, string token)
    {
        Actor? found = null;
        if (Tokens.Same(file.FacilitatorToken, token))
        {
            found = Actor.Facilitator;
        }
        foreach (var (company, teamToken) in file.TeamTokens)
        {
            if (Tokens.Same(teamToken, token))
            {
                found = Actor.Team(company);
            }
        }
        return found;
    }

    private static string? BearerToken(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && header.Length > prefix.Length ? header[prefix.Length..].Trim() : null;
    }

    private static IResult Problem(HttpContext http, WorkshopRuntime rt, int status, string title, IEnumerable<FieldError>? errors = null)
    {
        Audit(http, rt, status, title);
        return Results.Json(new ProblemView(status, title, [.. errors ?? []]), SessionFolder.Json, "application/problem+json", status);
    }

    /// <summary>Audits actions (anything but reads) and every refusal: who, what, when, from where. Never a token.</summary>
    private static void Audit(HttpContext http, WorkshopRuntime rt, int status, string detail)
    {
        if (HttpMethods.IsGet(http.Request.Method) && status < 400)
        {
            return;
        }
        var who = ActorOf(http)?.ToString() ?? "anonymous";
        rt.Folder.Audit(new AuditRecord(rt.Clock.GetUtcNow(), who, http.Request.Method, http.Request.Path.Value ?? "", status,
            http.Connection.RemoteIpAddress?.ToString(), detail));
    }
}
