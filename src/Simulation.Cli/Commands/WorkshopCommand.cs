using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Simulation.Cli.Hosting;
using Simulation.Scenarios;
using Simulation.Workshop;
using Simulation.Workshop.Web;

namespace Simulation.Cli.Commands;

/// <summary>
/// <c>sim workshop FILE</c>: a strategy workshop's server (ASP.NET Core on Kestrel, co-hosted with the embedded silo).
/// Every input is checked before anything is written; started again on the same folder it resumes the session by
/// replaying its journal.
/// </summary>
public static class WorkshopCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "The scenario file (YAML)." };
        var teams = new Option<string?>("--teams") { Description = "The companies teams play, comma-separated (default: every company of the scenario)." };
        var rounds = new Option<int?>("--rounds") { Description = "Number of rounds (default: as many as cover the scenario)." };
        var roundMonths = new Option<int?>("--round-months") { Description = $"Months per round (default {RoundPlan.DefaultMonths})." };
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "The session folder: session.json (links and tokens), journal.jsonl, audit.jsonl (default: out/workshop-<scenario-name>). An existing session there is resumed." };
        var bind = new Option<string?>("--bind") { Description = "The address to listen on (default 127.0.0.1, loopback only; another address is reachable from the network: a warning is printed)." };
        var port = new Option<int?>("--port") { Description = "The port (default: a free one, or the session's when resuming; 0: a free one)." };
        var command = new Command("workshop", "Run a strategy workshop: teams play companies round by round in the browser, a facilitator runs the room.")
        {
            file, teams, rounds, roundMonths, dir, bind, port,
        };
        var cluster = new ClusterOption();
        cluster.AddTo(command);
        command.SetAction(async (parse, ct) => await RunAsync(new Request(
            parse.GetValue(file)!.ToString(), parse.GetValue(teams), parse.GetValue(rounds), parse.GetValue(roundMonths),
            parse.GetValue(dir)?.ToString(), parse.GetValue(bind), parse.GetValue(port)) { Cluster = cluster.Target(parse) }, stdout, stderr, ct));
        return command;
    }

    private sealed record Request(string File, string? Teams, int? Rounds, int? RoundMonths, string? Dir, string? Bind, int? Port)
    {
        /// <summary>With <c>--cluster</c>: the session file and journal are kept in its Redis too (<see cref="RedisJournal"/>).</summary>
        public ClusterTarget? Cluster { get; init; }
    }

    private static async Task<int> RunAsync(Request request, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        // Everything is checked before anything is written.
        var bindText = request.Bind ?? "127.0.0.1";
        var address = ParseAddress(bindText);
        if (request.Port is < 0 or > 65535)
        {
            throw new UsageException($"--port: expected a port in 0..65535, got {request.Port}");
        }
        if (request.RoundMonths is < 1)
        {
            throw new UsageException($"--round-months: expected a whole number of months >= 1, got {request.RoundMonths}");
        }
        if (request.Rounds is < 1)
        {
            throw new UsageException($"--rounds: expected a whole number >= 1, got {request.Rounds}");
        }
        var teamList = request.Teams?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (request.Teams is not null && teamList!.Length == 0)
        {
            throw new UsageException("--teams: expected company ids separated by commas, got nothing");
        }
        var loaded = ScenarioLoader.Load(request.File);
        var directory = Path.GetFullPath(request.Dir ?? Path.Combine("out", "workshop-" + loaded.Info.Name));
        using var mirror = request.Cluster is null ? null : await RedisJournal.OpenAsync(request.Cluster, Path.GetFileName(directory));
        var restored = mirror?.Restore(directory) ?? 0;
        var existing = Directory.Exists(directory) ? SessionFolder.ReadSession(directory) : null;
        if (existing is null && Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new UsageException($"--dir: {directory} exists and holds no workshop session (no {SessionFolder.SessionFileName}); choose a new or empty folder");
        }
        if (File.Exists(directory))
        {
            throw new UsageException($"--dir: {directory} is a file");
        }

        WorkshopSetup setup;
        WorkshopSession? resumed = null;
        try
        {
            if (existing is not null)
            {
                CheckResume(existing, loaded, request, teamList, directory);
                setup = WorkshopSetup.Create(loaded, existing.Teams, existing.Rounds, existing.RoundMonths);
                resumed = WorkshopRuntime.Replay(setup, SessionFolder.ReadJournal(directory));
                _ = resumed.StateHash; // play the rounds now, not on the first request
            }
            else
            {
                setup = WorkshopSetup.Create(loaded, teamList, request.Rounds, request.RoundMonths ?? RoundPlan.DefaultMonths);
            }
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"--dir: the session in {directory} cannot be resumed: {e.Message}");
        }

        var listenPort = request.Port is { } p and > 0 ? p : request.Port is null && existing is not null ? existing.Port : FreePort(address);
        var baseUrl = $"http://{UrlHost(address)}:{listenPort}";
        var created = existing is null;
        var session = (existing ?? SessionFile.Create(Path.GetFullPath(request.File), loaded.Info.Name, loaded.Sha256, setup.Teams,
                setup.Plan.Length, request.RoundMonths ?? RoundPlan.DefaultMonths, bindText, listenPort, DateTimeOffset.UtcNow))
            with { Bind = bindText, Port = listenPort };
        session = session.WithLinks(baseUrl);

        var folderExisted = Directory.Exists(directory);
        using var folderLock = SessionFolder.TryLock(directory)
            ?? throw new UsageException($"--dir: {directory} is being served by another sim workshop; stop that one first (two servers on one journal would lose each other's actions)");
        if (request.Port is { } asked and > 0 || (request.Port is null && existing is not null))
        {
            // Kestrel would log a stack trace on a taken port before failing: say it plainly instead.
            if (!PortFree(address, listenPort))
            {
                ReleaseNew(directory, folderLock, folderExisted);
                throw new UsageException($"--port: {bindText}:{listenPort} is in use{(existing is not null && request.Port is null ? " (the port this session was last served on)" : "")}; start with --port 0 for a free one, or name another");
            }
        }
        SessionFolder.WriteSession(directory, session);
        mirror?.SaveSession(directory);
        using var runtime = WorkshopRuntime.Open(setup, session, directory, TimeProvider.System, mirror);

        var builder = WorkshopServer.CreateBuilder(runtime, address, listenPort);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedSilo.NoOpHostLifetime>();
        // Found besides the page's port: a port just released may be the next one the kernel hands out.
        var siloPort = EmbeddedSilo.FindFreePorts(IPAddress.Loopback, 1, [listenPort])[0];
        var clusterId = EmbeddedSilo.NewClusterId();
        builder.UseOrleans(silo =>
        {
            EmbeddedSilo.ConfigureSilo(silo, siloPort, clusterId);
            silo.AddCheckpointStorage();
        });
        await using var app = WorkshopServer.Build(builder);
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e)
        {
            if (created)
            {
                runtime.Dispose();
                Directory.Delete(directory, recursive: true);
            }
            throw new UsageException($"--port: cannot listen on {bindText}:{listenPort}: {e.Message}");
        }

        var ready = DateTime.Now - Process.GetCurrentProcess().StartTime;
        if (!IPAddress.IsLoopback(address))
        {
            await stderr.WriteLineAsync($"warning: listening on {bindText}, reachable from the network: anyone who can reach {baseUrl} sees the room screen, and a leaked link acts for its team");
        }
        var s = runtime.Current;
        await stdout.WriteLineAsync(
            $"Workshop '{setup.Info.Name}' ({loaded.File}): {setup.Plan.Length} rounds of {session.RoundMonths} month(s) from {setup.Info.Start:yyyy-MM-dd}, teams {string.Join(", ", setup.Teams)}" +
            (resumed is null ? "" : $"; resumed at round {s.Round} ({s.StatusWord}, {s.RoundsPlayed} played, {s.Version} journal entries), stateHash {s.StateHash}"));
        await stdout.WriteLineAsync($"Facilitator: {session.FacilitatorUrl}");
        foreach (var (team, url) in session.TeamUrls)
        {
            await stdout.WriteLineAsync($"Team {team}: {url}");
        }
        await stdout.WriteLineAsync($"Room screen: {session.RoomUrl}");
        await stdout.WriteLineAsync($"API: {baseUrl}/openapi/v1.json");
        await stdout.WriteLineAsync($"Session folder: {directory} ({SessionFolder.SessionFileName} holds these links and their tokens: keep it private)");
        if (mirror is not null)
        {
            await stdout.WriteLineAsync($"Journal and session kept in Redis too: {request.Cluster!.Address} {mirror.Prefix}" +
                (restored > 0 ? $" ({restored} journal entries restored from it)" : ""));
        }
        await stdout.WriteLineAsync($"Ready in {ready.TotalSeconds:0.0} s. Ctrl+C stops the server; run the same command with --dir {directory} to resume.");
        await stdout.FlushAsync(CancellationToken.None);

        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await stdout.WriteLineAsync($"Stopped; the session is saved in {directory}.");
        return ExitCodes.Success;
    }

    private static void CheckResume(SessionFile existing, LoadedScenario loaded, Request request, string[]? teams, string directory)
    {
        if (existing.ScenarioSha256 != loaded.Sha256)
        {
            throw new UsageException(
                $"--dir: the session in {directory} was started with another scenario ({existing.ScenarioFile}, SHA-256 {existing.ScenarioSha256[..12]}...; " +
                $"{request.File} is {loaded.Sha256[..12]}...): resume it with that file, or choose another --dir");
        }
        if (teams is not null && !teams.SequenceEqual(existing.Teams))
        {
            throw new UsageException($"--teams: the session in {directory} has teams {string.Join(",", existing.Teams)}; leave --teams out to resume it");
        }
        if (request.Rounds is { } r && r != existing.Rounds)
        {
            throw new UsageException($"--rounds: the session in {directory} has {existing.Rounds} rounds; leave --rounds out to resume it");
        }
        if (request.RoundMonths is { } m && m != existing.RoundMonths)
        {
            throw new UsageException($"--round-months: the session in {directory} has rounds of {existing.RoundMonths} months; leave --round-months out to resume it");
        }
    }

    private static IPAddress ParseAddress(string text) =>
        text == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(text, out var address) ? address
        : throw new UsageException($"--bind: expected an IP address such as 127.0.0.1 or 0.0.0.0, got '{text}'");

    /// <summary>Whether <paramref name="port"/> on <paramref name="address"/> can be listened on now.</summary>
    private static bool PortFree(IPAddress address, int port)
    {
        try
        {
            var probe = new System.Net.Sockets.TcpListener(address, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>Undoes the folder a refused start created (it holds only the lock file); an existing folder is left as it was.</summary>
    private static void ReleaseNew(string directory, FileStream folderLock, bool existed)
    {
        folderLock.Dispose();
        if (!existed)
        {
            Directory.Delete(directory, recursive: true);
        }
        else
        {
            File.Delete(Path.Combine(directory, SessionFolder.LockFileName));
        }
    }

    /// <summary>A free port on <paramref name="address"/> (<see cref="EmbeddedSilo.FindFreePort"/>); an address this machine cannot listen on is the user's --bind.</summary>
    private static int FreePort(IPAddress address)
    {
        try
        {
            return EmbeddedSilo.FindFreePort(address);
        }
        catch (SocketException e)
        {
            throw new UsageException($"--bind: cannot listen on {address}: {e.Message}");
        }
    }

    private static string UrlHost(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? Dns.GetHostName()
        : address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]"
        : address.ToString();
}
