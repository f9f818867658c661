using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Simulation.Tests.Cli;
using Simulation.Workshop.Web;
using Xunit.Abstractions;

namespace Simulation.Tests.Workshop;

/// <summary><c>sim workshop</c> as a real process: bad input, a start, a kill -9 and a restart on the same folder.</summary>
public sealed class WorkshopProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sim-workshop-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Starts <c>sim workshop</c> and reads its output up to the "Ready" line.</summary>
    private static async Task<(Process Process, List<string> Lines, Task<string> Stderr)> StartAsync(params string[] args)
    {
        var process = SimProcess.Start(SimProcess.RepoRoot, ["workshop", .. args]);
        var lines = new List<string>();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (line.StartsWith("Ready in ", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return (process, lines, stderr);
            }
        }
        throw new InvalidOperationException($"sim workshop exited before it was ready:\n{string.Join('\n', lines)}\n{await stderr}");
    }

    /// <summary>A client of the served session, with the bearer token when given.</summary>
    internal static HttpClient Client(SessionFile session, string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{session.Port}"), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    private static void Kill(Process process)
    {
        process.Kill(); // SIGKILL: no shutdown code runs
        process.WaitForExit();
    }

    [Fact]
    public async Task A_server_killed_with_kill_9_and_started_again_on_its_folder_resumes_the_same_round_state_hash_and_decisions()
    {
        var dir = Path.Combine(_root, "session");
        string[] args = [SimProcess.Baseline, "--teams", "bytedance,alibaba", "--dir", dir, "--port", "0"];
        var (first, lines, _) = await StartAsync(args);
        JsonNode before;
        JsonNode[] decisionsBefore;
        SessionFile session;
        try
        {
            output.WriteLine(string.Join('\n', lines));
            session = SessionFolder.ReadSession(dir)!;
            Assert.Contains(lines, l => l == $"Facilitator: {session.FacilitatorUrl}");
            Assert.Contains(lines, l => l == $"Team alibaba: {session.TeamUrls["alibaba"]}");
            using var facilitator = Client(session, session.FacilitatorToken);
            using var bytedance = Client(session, session.TeamTokens["bytedance"]);
            using var alibaba = Client(session, session.TeamTokens["alibaba"]);
            await facilitator.Post("/api/rounds/1/open").Ok();
            await bytedance.Decide(1, "bytedance", new { version = 1, policy = new { poachRate = 4.0 } }).Ok();
            await alibaba.Decide(1, "alibaba", new { version = 1, policy = new { nonCompeteShare = 1.0 } }).Ok();
            await alibaba.Decide(1, "alibaba", new { version = 2, policy = new { nonCompeteShare = 0.5 } }).Ok();
            await facilitator.Post("/api/rounds/1/advance").Ok();
            await facilitator.Post("/api/rounds/2/open").Ok();
            await alibaba.Decide(2, "alibaba", new { version = 1, policy = new { poachRate = 1.0 } }).Ok();
            before = await Client(session, null).State();
            decisionsBefore =
            [
                await facilitator.GetAsync("/api/rounds/1/decisions/bytedance").Ok(),
                await facilitator.GetAsync("/api/rounds/1/decisions/alibaba").Ok(),
                await facilitator.GetAsync("/api/rounds/2/decisions/alibaba").Ok(),
            ];
        }
        finally
        {
            Kill(first);
        }

        var (second, relines, _) = await StartAsync(args);
        try
        {
            output.WriteLine(string.Join('\n', relines));
            var again = SessionFolder.ReadSession(dir)!;
            Assert.Equal(session.FacilitatorToken, again.FacilitatorToken);
            using var facilitator = Client(again, again.FacilitatorToken);
            var after = await Client(again, null).State();
            JsonNode[] decisionsAfter =
            [
                await facilitator.GetAsync("/api/rounds/1/decisions/bytedance").Ok(),
                await facilitator.GetAsync("/api/rounds/1/decisions/alibaba").Ok(),
                await facilitator.GetAsync("/api/rounds/2/decisions/alibaba").Ok(),
            ];

            Assert.Equal((2, 1, "open"), (after["round"]!.GetValue<int>(), after["roundsPlayed"]!.GetValue<int>(), after["status"]!.GetValue<string>()));
            Assert.Equal(before["stateHash"]!.GetValue<string>(), after["stateHash"]!.GetValue<string>());
            Assert.Equal(before["version"]!.GetValue<int>(), after["version"]!.GetValue<int>());
            Assert.Equal(decisionsBefore.Select(d => d.ToJsonString()), decisionsAfter.Select(d => d.ToJsonString()));
            Assert.Contains(relines, l => l.Contains("resumed at round 2"));
        }
        finally
        {
            Kill(second);
        }
    }

    [Theory]
    [InlineData("--teams", "bytedance,tiktok", "unknown company 'tiktok'")]
    [InlineData("--rounds", "0", "--rounds: expected a whole number >= 1")]
    [InlineData("--rounds", "13", "has room for 12 rounds")]
    [InlineData("--round-months", "0", "--round-months")]
    [InlineData("--bind", "not-an-address", "--bind")]
    public async Task Bad_input_exits_with_code_2_and_a_message_before_anything_is_written(string option, string value, string message)
    {
        var dir = Path.Combine(_root, "never");

        var result = await SimProcess.RunAsync(_root, "workshop", SimProcess.Baseline, option, value, "--dir", dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task A_scenario_with_errors_exits_with_code_2_before_anything_is_written()
    {
        var broken = Path.Combine(_root, "broken.yaml");
        File.WriteAllText(broken, "name: broken\nstart: 2024-01-01\n");
        var dir = Path.Combine(_root, "never");

        var result = await SimProcess.RunAsync(_root, "workshop", broken, "--dir", dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error:", result.Stderr);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task A_session_folder_of_another_scenario_is_refused_with_code_2_and_left_untouched()
    {
        var dir = Path.Combine(_root, "other");
        Directory.CreateDirectory(dir);
        SessionFolder.WriteSession(dir, SessionFile.Create("elsewhere.yaml", "elsewhere", new string('0', 64), ["alibaba"], 4, 3, "127.0.0.1", 0, DateTimeOffset.UtcNow));
        var before = File.ReadAllText(Path.Combine(dir, SessionFolder.SessionFileName));

        var result = await SimProcess.RunAsync(_root, "workshop", SimProcess.Baseline, "--dir", dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("another scenario", result.Stderr);
        Assert.Equal(before, File.ReadAllText(Path.Combine(dir, SessionFolder.SessionFileName)));
        Assert.Single(Directory.EnumerateFileSystemEntries(dir));
    }

    [Fact]
    public async Task A_non_loopback_bind_prints_a_warning()
    {
        var dir = Path.Combine(_root, "any");
        var (process, _, stderr) = await StartAsync(SimProcess.Baseline, "--teams", "alibaba", "--dir", dir, "--port", "0", "--bind", "0.0.0.0");
        try
        {
            process.Kill();
            await process.WaitForExitAsync();
            Assert.Contains("warning: listening on 0.0.0.0", await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task A_second_server_on_a_served_folder_is_refused_and_a_taken_port_is_said_plainly()
    {
        var dir = Path.Combine(_root, "shared");
        var (first, _, _) = await StartAsync(SimProcess.Baseline, "--teams", "alibaba", "--dir", dir, "--port", "0");
        try
        {
            var journal = File.ReadAllBytes(Path.Combine(dir, SessionFolder.JournalFileName));
            var port = SessionFolder.ReadSession(dir)!.Port;

            var second = await SimProcess.RunAsync(_root, "workshop", SimProcess.Baseline, "--teams", "alibaba", "--dir", dir, "--port", "0");
            var taken = await SimProcess.RunAsync(_root, "workshop", SimProcess.Baseline, "--teams", "alibaba", "--dir", Path.Combine(_root, "other"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

            Assert.Equal(2, second.ExitCode);
            Assert.Contains("is being served by another sim workshop", second.Stderr);
            Assert.Equal(journal, File.ReadAllBytes(Path.Combine(dir, SessionFolder.JournalFileName)));
            Assert.Equal(2, taken.ExitCode);
            Assert.Contains($"is in use; start with --port 0 for a free one", taken.Stderr);
            Assert.DoesNotContain("   at ", taken.Stderr + taken.Stdout);
            Assert.False(Directory.Exists(Path.Combine(_root, "other")));
        }
        finally
        {
            Kill(first);
        }
    }
}
