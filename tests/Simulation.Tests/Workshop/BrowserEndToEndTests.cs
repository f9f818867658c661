using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Simulation.Scenarios;
using Simulation.Tests.Support;
using Simulation.Workshop;
using Simulation.Workshop.Web;
using static Microsoft.Playwright.Assertions;

namespace Simulation.Tests.Workshop;

/// <summary>
/// A facilitator and two teams play two rounds through the pages, in a real headless Chromium (Debian's
/// <c>chromium</c>, driven by Microsoft.Playwright) against the workshop server on a real Kestrel port. Screenshots of
/// the team page, the facilitator page, the room screen and the debrief go to <c>out/workshop-screenshots/</c>
/// (README's copies are in docs/workshop/).
/// </summary>
public sealed class BrowserEndToEndTests
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private static readonly string Screenshots = Path.Combine(Repo.Root, "out", "workshop-screenshots");

    [Fact]
    public async Task A_facilitator_and_two_teams_play_two_rounds_in_the_browser()
    {
        Assert.True(File.Exists(ChromiumPath),
            $"Chromium is missing ({ChromiumPath}): this end-to-end test needs a real browser. Install it with `sudo apt-get install -y chromium` (.ci/run does).");

        // Generous waits: the whole suite runs beside this test on two cores.
        SetDefaultExpectTimeout(20_000);
        await using var server = await PagesServer.StartAsync(["bytedance", "alibaba"], rounds: 3, roundMonths: 6);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
        Directory.CreateDirectory(Screenshots);
        var errors = new List<string>();

        async Task<IPage> Open(string url)
        {
            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
            context.SetDefaultTimeout(20_000);
            var page = await context.NewPageAsync();
            page.PageError += (_, e) => errors.Add($"{url.Split('#')[0]}: {e}");
            page.Console += (_, m) =>
            {
                if (m.Type == "error" && !m.Text.Contains("status of 4", StringComparison.Ordinal))
                {
                    errors.Add($"{url.Split('#')[0]}: console: {m.Text}");
                }
            };
            await page.GotoAsync(url);
            return page;
        }

        var file = server.File;
        var facilitator = await Open(file.FacilitatorUrl);
        await Expect(facilitator.Locator(".lobby-team")).ToHaveCountAsync(2);
        await Expect(facilitator.Locator(".lobby-team img.qr")).ToHaveCountAsync(2);
        var bytedance = await Open(file.TeamUrls["bytedance"]);
        var alibaba = await Open(file.TeamUrls["alibaba"]);
        var room = await Open(file.RoomUrl);

        // The briefing cites the article; the dashboard shows the company; the lobby sees both teams join.
        await Expect(bytedance.Locator("#title")).ToContainTextAsync("ByteDance");
        await Expect(bytedance.Locator("#briefing")).ToContainTextAsync("What the article says about you");
        await Expect(bytedance.Locator("#briefing")).ToContainTextAsync("seeds/000_3b102c28aee96500.txt:");
        await Expect(alibaba.Locator("#briefing")).ToContainTextAsync("Zhou Chang");
        await Expect(facilitator.Locator(".lobby-team .joined")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await Expect(bytedance.Locator("#submit-decision")).ToBeDisabledAsync();

        for (var round = 1; round <= 2; round++)
        {
            // The facilitator opens the round with a deadline; every page shows it open with a countdown.
            await facilitator.Locator("#deadline-minutes").FillAsync("30");
            await facilitator.Locator("#open-round").ClickAsync();
            foreach (var page in new[] { facilitator, bytedance, alibaba, room })
            {
                await Expect(page.Locator("#status-label")).ToHaveTextAsync("open");
                await Expect(page.Locator("#countdown")).ToContainTextAsync("deadline in");
            }
            await Expect(bytedance.Locator("#submit-decision")).ToBeEnabledAsync();
            await Expect(bytedance.Locator("#decision-title")).ToContainTextAsync($"round {round}");

            if (round == 1)
            {
                // An invalid value: the field says what is wrong; fixed, the decision is stored, with an offer to a named researcher.
                await bytedance.Locator("#f-aiBudgetShare").FillAsync("1.5");
                await bytedance.Locator("#submit-decision").ClickAsync();
                await Expect(bytedance.Locator("[data-error-for='policy.aiBudgetShare']")).ToContainTextAsync("expected a number in [0, 1]");
                await Expect(bytedance.Locator("#f-aiBudgetShare")).ToHaveClassAsync("invalid");
                await Expect(bytedance.Locator("#form-status")).ToContainTextAsync("Not saved (HTTP 422)");
                await bytedance.Locator("#f-aiBudgetShare").FillAsync("0.05");
                await bytedance.Locator("#add-offer").ClickAsync();
                await bytedance.Locator(".offer-row select").SelectOptionAsync("alibaba-lead-a");
                await bytedance.Locator(".offer-row .offer-amount").FillAsync("90000");
                await bytedance.Locator("#submit-decision").ClickAsync();
                await Expect(bytedance.Locator("#form-status")).ToContainTextAsync("version 1");
                await Expect(bytedance.Locator("[data-error-for='policy.aiBudgetShare']")).ToBeEmptyAsync();

                // A split that does not sum to 1 is refused on the split; fixed, it is stored.
                await alibaba.Locator("#f-computeShare").FillAsync("0.5");
                await alibaba.Locator("#submit-decision").ClickAsync();
                await Expect(alibaba.Locator("[data-error-for='policy']")).ToContainTextAsync("= 1");
                await alibaba.Locator("#f-marketingShare").FillAsync("0.1");
                await alibaba.Locator("#submit-decision").ClickAsync();
                await Expect(alibaba.Locator("#form-status")).ToContainTextAsync("version 1");
            }
            else
            {
                await bytedance.Locator("#f-marketingShare").FillAsync("0.3");
                await bytedance.Locator("#f-computeShare").FillAsync("0.4");
                await bytedance.Locator("#submit-decision").ClickAsync();
                await Expect(bytedance.Locator("#form-status")).ToContainTextAsync("version 1");
                // Resubmission before the deadline: a new version replaces the first.
                await alibaba.Locator("#f-poolPremium").FillAsync("0.2");
                await alibaba.Locator("#submit-decision").ClickAsync();
                await Expect(alibaba.Locator("#form-status")).ToContainTextAsync("version 1");
                await Expect(alibaba.Locator("#submit-decision")).ToContainTextAsync("version 2");
                await alibaba.Locator("#f-poolPremium").FillAsync("0.3");
                await alibaba.Locator("#submit-decision").ClickAsync();
                await Expect(alibaba.Locator("#form-status")).ToContainTextAsync("version 2");

                // The facilitator alters ByteDance's decision (recorded as the facilitator's: the team sees it) and injects a shock.
                await Expect(facilitator.Locator("#alter-form #submit-decision")).ToContainTextAsync("version 2");
                await facilitator.Locator("#alter-form #f-poolPremium").FillAsync("0.1");
                await facilitator.Locator("#alter-form #submit-decision").ClickAsync();
                await Expect(bytedance.Locator("#form-status")).ToContainTextAsync("altered by the facilitator");
                await facilitator.Locator("#event-kind").SelectOptionAsync("qualityBoost");
                await facilitator.Locator("#inject-button").ClickAsync();
                await Expect(facilitator.Locator("[data-error-for='event.company']")).Not.ToBeEmptyAsync();
                await facilitator.Locator("#event-company").SelectOptionAsync("alibaba");
                await facilitator.Locator("#event-multiplier").FillAsync("1.1");
                await facilitator.Locator("#event-note").FillAsync("A <b>breakthrough</b> & a test of escaping");
                await facilitator.Locator("#inject-button").ClickAsync();
                await Expect(facilitator.Locator("#log")).ToContainTextAsync("Inject qualityBoost: done");
            }

            // The facilitator sees both submitted and advances; the teams see the next round, their results and the news.
            await Expect(facilitator.Locator("#submitted-count")).ToHaveTextAsync($"2 of 2 teams submitted for round {round}");
            await Expect(facilitator.Locator(".submission[data-submitted='yes']")).ToHaveCountAsync(2);
            await facilitator.Locator("#advance").ClickAsync();
            foreach (var page in new[] { facilitator, bytedance, alibaba, room })
            {
                await Expect(page.Locator("#round-label")).ToHaveTextAsync($"Round {round + 1} of 3");
            }
            foreach (var team in new[] { bytedance, alibaba })
            {
                await Expect(team.Locator("#round-table tbody tr")).ToHaveCountAsync(round + 1);
                await Expect(team.Locator("#news ul.news li").First).ToBeVisibleAsync();
                await Expect(team.Locator("#status-label")).ToHaveTextAsync("lobby");
                await Expect(team.Locator("#submit-decision")).ToBeDisabledAsync();
            }
        }

        // The stored decisions are the ones the pages sent.
        var s = server.Runtime.Current;
        Assert.Equal(0.05, s.DecisionOf(1, "bytedance")!.Decision.Policy["aiBudgetShare"]);
        Assert.Equal("alibaba-lead-a", Assert.Single(s.DecisionOf(1, "bytedance")!.Decision.Offers).Researcher);
        Assert.Equal(2, s.DecisionOf(2, "alibaba")!.Version);
        Assert.Equal(0.3, s.DecisionOf(2, "alibaba")!.Decision.Policy["poolPremium"]);
        Assert.Equal(2, s.RoundsPlayed);
        Assert.True(s.DecisionOf(2, "bytedance")!.Altered);
        Assert.Equal(0.1, s.DecisionOf(2, "bytedance")!.Decision.Policy["poolPremium"]);
        Assert.Single(s.Injected);

        // The room screen shows the leaderboard; the debrief shows the scorecard and the trajectories.
        await Expect(room.Locator("#leaderboard tbody tr")).ToHaveCountAsync(2);
        await Expect(room.Locator("#room-date")).ToHaveTextAsync(s.Played.Latest.End.ToString("yyyy-MM-dd"));
        await Expect(facilitator.Locator("#leaderboard tbody tr")).ToHaveCountAsync(2);
        var debrief = await Open($"{server.BaseUrl}/debrief.html#token={file.FacilitatorToken}");
        await Expect(debrief.Locator("#debrief-leaderboard tbody tr")).ToHaveCountAsync(2);
        await Expect(debrief.Locator("#teams svg.chart")).ToHaveCountAsync(6);
        await Expect(bytedance.Locator("#debrief-link")).ToBeVisibleAsync();
        // Skill or luck for round 1 (the server's ensemble), then a fork with an invalid and a valid changed decision.
        await debrief.Locator("#luck-team").SelectOptionAsync("bytedance");
        await debrief.Locator("#luck-round").SelectOptionAsync("1");
        await debrief.Locator("#luck-runs").FillAsync("4");
        await debrief.Locator("#skill-or-luck").ClickAsync();
        await Expect(debrief.Locator(".debrief-view[data-kind='skill-or-luck'] #verdict")).Not.ToBeEmptyAsync(new() { Timeout = 60_000 });
        await Expect(debrief.Locator(".debrief-view table.chain").First).ToContainTextAsync("monthly actives");
        await debrief.Locator("#fork-field").SelectOptionAsync("marketingShare");
        await debrief.Locator("#fork-value").FillAsync("-3");
        await debrief.Locator("#fork").ClickAsync();
        await Expect(debrief.Locator("#fork-error")).Not.ToBeEmptyAsync(new() { Timeout = 60_000 });
        await debrief.Locator("#fork-field").SelectOptionAsync("poolPremium");
        await debrief.Locator("#fork-value").FillAsync("0.5");
        await debrief.Locator("#fork").ClickAsync();
        await Expect(debrief.Locator(".debrief-view[data-kind='fork'] #verdict")).Not.ToBeEmptyAsync(new() { Timeout = 60_000 });
        await debrief.Locator("#luck-round").SelectOptionAsync("2");
        await debrief.Locator("#skill-or-luck").ClickAsync();
        await Expect(debrief.Locator(".debrief-view[data-kind='skill-or-luck'] .hint").First).ToContainTextAsync("round 2", new() { Timeout = 60_000 });
        Assert.Equal(s.Version, server.Runtime.Current.Version); // the debrief journals nothing

        await bytedance.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "team.png"), FullPage = true });
        await facilitator.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "facilitator.png"), FullPage = true });
        await room.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "room.png"), FullPage = true });
        await debrief.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "debrief.png"), FullPage = true });

        Assert.Empty(errors);
    }

    /// <summary>The workshop server as <c>sim workshop</c> starts it (links with the real port and tokens), without the silo.</summary>
    private sealed class PagesServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private PagesServer(WebApplication app, WorkshopRuntime runtime, string directory, string baseUrl)
        {
            _app = app;
            Runtime = runtime;
            Directory = directory;
            BaseUrl = baseUrl;
        }

        public WorkshopRuntime Runtime { get; }

        public SessionFile File => Runtime.File;

        public string Directory { get; }

        public string BaseUrl { get; }

        public static async Task<PagesServer> StartAsync(string[] teams, int rounds, int roundMonths)
        {
            var directory = Path.Combine(Path.GetTempPath(), "sim-pages-" + Guid.NewGuid().ToString("N")[..12]);
            var loaded = ScenarioLoader.Load(Repo.Baseline);
            var setup = WorkshopSetup.Create(loaded, teams, rounds, roundMonths);
            var port = FreePort();
            var baseUrl = $"http://127.0.0.1:{port}";
            var file = SessionFile.Create(loaded.File, loaded.Info.Name, loaded.Sha256, setup.Teams, setup.Plan.Length, roundMonths,
                "127.0.0.1", port, DateTimeOffset.UtcNow).WithLinks(baseUrl);
            System.IO.Directory.CreateDirectory(directory);
            SessionFolder.WriteSession(directory, file);
            var runtime = WorkshopRuntime.Open(setup, file, directory, TimeProvider.System);
            var app = WorkshopServer.Build(WorkshopServer.CreateBuilder(runtime, IPAddress.Loopback, port));
            await app.StartAsync();
            return new PagesServer(app, runtime, directory, baseUrl);
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            Runtime.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
