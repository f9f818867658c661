using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Simulation.Scenarios;
using Simulation.Tests.Support;
using Simulation.Workshop;
using Simulation.Workshop.Web;

namespace Simulation.Tests.Workshop;

/// <summary>
/// A workshop server on a real Kestrel on loopback (port 0) with its session folder in a temporary directory, and a
/// client per role. Without the silo: the API is the same, and the process tests start the real <c>sim workshop</c>.
/// </summary>
public sealed class TestWorkshop : IAsyncDisposable
{
    private static readonly Lazy<LoadedScenario> Baseline = new(() => ScenarioLoader.Load(Repo.Baseline));

    private readonly WebApplication _app;

    private TestWorkshop(WebApplication app, WorkshopRuntime runtime, string directory, Uri address)
    {
        _app = app;
        Runtime = runtime;
        Directory = directory;
        Address = address;
        Anonymous = Client(null);
        Facilitator = Client(runtime.File.FacilitatorToken);
    }

    public WorkshopRuntime Runtime { get; }

    public string Directory { get; }

    public Uri Address { get; }

    public HttpClient Anonymous { get; }

    public HttpClient Facilitator { get; }

    public HttpClient Team(string company) => Client(Runtime.File.TeamTokens[company]);

    public static async Task<TestWorkshop> StartAsync(params string[] teams)
    {
        var directory = Path.Combine(Path.GetTempPath(), "sim-workshop-" + Guid.NewGuid().ToString("N")[..12]);
        var loaded = Baseline.Value;
        var setup = WorkshopSetup.Create(loaded, teams, rounds: null, RoundPlan.DefaultMonths);
        var file = SessionFile.Create(loaded.File, loaded.Info.Name, loaded.Sha256, setup.Teams, setup.Plan.Length, RoundPlan.DefaultMonths, "127.0.0.1", 0, DateTimeOffset.UtcNow);
        System.IO.Directory.CreateDirectory(directory);
        SessionFolder.WriteSession(directory, file);
        var runtime = WorkshopRuntime.Open(setup, file, directory, TimeProvider.System);
        var app = WorkshopServer.Build(WorkshopServer.CreateBuilder(runtime, IPAddress.Loopback, 0));
        await app.StartAsync();
        return new TestWorkshop(app, runtime, directory, WorkshopServer.Address(app));
    }

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public string[] JournalLines() => File.ReadAllLines(Path.Combine(Directory, SessionFolder.JournalFileName));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Runtime.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>Small helpers for the API's JSON.</summary>
public static class Api
{
    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    public static async Task<JsonNode> ReadJson(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    public static async Task<JsonNode> Ok(this Task<HttpResponseMessage> request)
    {
        var response = await request;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public static Task<HttpResponseMessage> Post(this HttpClient client, string path, object? body = null) =>
        client.PostAsync(path, body is null ? null : Json(body));

    public static Task<HttpResponseMessage> Decide(this HttpClient client, int round, string company, object body) =>
        client.PutAsync($"/api/rounds/{round}/decisions/{company}", Json(body));

    public static async Task<JsonNode> State(this HttpClient client) => await client.GetAsync("/api/state").Ok();
}
