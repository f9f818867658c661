using System.Diagnostics;
using Simulation.Tests.Cli;
using Simulation.Tests.Support;
using Simulation.Tests.Workshop;
using Simulation.Workshop.Web;

namespace Simulation.Tests.Cluster;

/// <summary>
/// <c>sim workshop --cluster</c>: the journal and session file kept in Redis outlive the server and its folder. It starts
/// no <c>sim silo</c> (the server hosts its own silo), so it runs beside the other tests rather than in
/// <see cref="ClusterProcessCollection"/>.
/// </summary>
public sealed class WorkshopOnClusterTests : IDisposable
{
    private readonly TempDir _dir = new("sim-workshop-cluster-");

    [Fact]
    public async Task A_workshop_whose_server_and_folder_are_lost_resumes_from_redis_with_the_same_links_state_and_journal()
    {
        var dir = Path.Combine(_dir.Path, "session");
        string[] args = [SimProcess.Baseline, "--teams", "bytedance,alibaba", "--dir", dir, "--port", "0",
            "--cluster", TestRedis.Url, "--cluster-id", TestRedis.NewClusterId("workshop")];
        var (first, lines) = await StartAsync(args);
        SessionFile session;
        string stateHash;
        int version;
        byte[] journal;
        try
        {
            Assert.Contains(lines, l => l.StartsWith("Journal and session kept in Redis too", StringComparison.Ordinal));
            session = SessionFolder.ReadSession(dir)!;
            using var facilitator = WorkshopProcessTests.Client(session, session.FacilitatorToken);
            using var bytedance = WorkshopProcessTests.Client(session, session.TeamTokens["bytedance"]);
            await facilitator.Post("/api/rounds/1/open").Ok();
            await bytedance.Decide(1, "bytedance", new { version = 1, policy = new { poachRate = 4.0 } }).Ok();
            await facilitator.Post("/api/rounds/1/advance").Ok();
            var state = await WorkshopProcessTests.Client(session, null).State();
            (stateHash, version) = (state["stateHash"]!.GetValue<string>(), state["version"]!.GetValue<int>());
            journal = File.ReadAllBytes(Path.Combine(dir, SessionFolder.JournalFileName));
        }
        finally
        {
            first.Kill();
            first.WaitForExit();
        }

        // The machine is gone with its folder: only Redis remembers the session.
        Directory.Delete(dir, recursive: true);
        var (second, relines) = await StartAsync(args);
        try
        {
            Assert.Contains(relines, l => l.Contains($"({version} journal entries restored from it)", StringComparison.Ordinal));
            var again = SessionFolder.ReadSession(dir)!;
            Assert.Equal(session.FacilitatorToken, again.FacilitatorToken);
            Assert.Equal(session.TeamTokens, again.TeamTokens);
            Assert.Equal(journal, File.ReadAllBytes(Path.Combine(dir, SessionFolder.JournalFileName)));
            var after = await WorkshopProcessTests.Client(again, null).State();
            Assert.Equal(stateHash, after["stateHash"]!.GetValue<string>());
            Assert.Equal(version, after["version"]!.GetValue<int>());
            Assert.Equal(1, after["roundsPlayed"]!.GetValue<int>());
        }
        finally
        {
            second.Kill();
            second.WaitForExit();
        }
    }

    /// <summary>Starts <c>sim workshop</c> and reads its output up to the "Ready" line.</summary>
    private static async Task<(Process Process, List<string> Lines)> StartAsync(string[] args)
    {
        var process = SimProcess.Start(SimProcess.RepoRoot, ["workshop", .. args]);
        var lines = new List<string>();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (line.StartsWith("Ready in ", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return (process, lines);
            }
        }
        throw new InvalidOperationException($"sim workshop exited before it was ready:\n{string.Join('\n', lines)}\n{await stderr}");
    }

    public void Dispose() => _dir.Dispose();
}
