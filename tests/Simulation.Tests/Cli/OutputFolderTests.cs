using System.Diagnostics;
using System.Runtime.InteropServices;
using Simulation.Cli.Commands;
using Simulation.Exports;

namespace Simulation.Tests.Cli;

/// <summary>
/// Output folders as a user meets them, through the <c>sim</c> process: refused before any work when they
/// cannot be used, replaced whole when they can, never a user's files lost, no staging folder left behind.
/// </summary>
public sealed class OutputFolderTests : IDisposable
{
    /// <summary>One market, one company, month ticks over a year: a run takes a fraction of a second.</summary>
    private const string Tiny = """
        name: tiny
        start: 2023-01-01
        end: 2023-12-31
        tick: month
        seed: 11
        talent:
          tiers: [{id: staff, monthlySalaryUsd: 10000}]
        markets:
          - {id: m, potential: 10000000, innovation: 0.02, imitation: 1.0}
        companies:
          - id: a
            cashUsd: 1000000000
            workforce: {staff: 20}
            policy: {aiBudgetFloorUsd: 2000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2}
            apps: [{id: app-a, market: m, retention: {d30: 0.3}}]
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("sim-output-folder-tests-").FullName;

    private readonly string _scenario;

    public OutputFolderTests()
    {
        _scenario = Path.Combine(_dir, "tiny.yaml");
        File.WriteAllText(_scenario, Tiny);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<SimResult> Sim(params string[] args) => SimProcess.RunAsync(_dir, args);

    private static string[] Entries(string folder) =>
        [.. Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(e => Path.GetRelativePath(folder, e)).Order(StringComparer.Ordinal)];

    private static void AssertBadInputInOneParagraph(SimResult result)
    {
        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    private void AssertNoStagingFolder() =>
        Assert.DoesNotContain(Directory.GetDirectories(_dir), d => Path.GetFileName(d).StartsWith('.'));

    [Fact]
    public async Task An_out_that_names_an_existing_file_exits_2_naming_it_and_writes_nothing()
    {
        var file = Path.Combine(_dir, "results");
        File.WriteAllText(file, "mine");
        var before = Entries(_dir);

        var result = await Sim("run", _scenario, "--out", file, "--engine", "reference", "--no-charts");

        AssertBadInputInOneParagraph(result);
        Assert.Contains(file, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("existing file", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Entries(_dir));
        Assert.Equal("mine", File.ReadAllText(file));
    }

    [Fact]
    public async Task Running_again_into_the_same_folder_leaves_only_the_second_runs_files()
    {
        var outDir = Path.Combine(_dir, "out", "X");

        var first = await Sim("run", _scenario, "--out", outDir, "--engine", "reference", "--no-charts");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("ticks.csv", Entries(outDir));
        var second = await Sim("run", _scenario, "--runs", "20", "--seed", "5", "--no-charts", "--engine", "reference", "--fresh", "--out", outDir);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal([OutputFolder.MarkerName, "monthly.csv", "summary.json"], Entries(outDir));
        Assert.Contains("\"runs\": 20", File.ReadAllText(Path.Combine(outDir, "summary.json")), StringComparison.Ordinal);
        Assert.Equal(["X"], Directory.GetFileSystemEntries(Path.Combine(_dir, "out")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("compare")]
    public async Task An_out_folder_holding_someone_elses_files_exits_2_and_every_file_is_still_there(string command)
    {
        var folder = Path.Combine(_dir, "project");
        Directory.CreateDirectory(Path.Combine(folder, "src"));
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "keep me");
        File.WriteAllText(Path.Combine(folder, "src", "main.cs"), "// keep me");
        var before = Entries(_dir);
        string[] args = command == "run" ? ["run", _scenario] : ["compare", _scenario, _scenario, "--runs", "2", "--no-charts"];

        var result = await Sim([.. args, "--out", folder, "--engine", "reference"]);

        AssertBadInputInOneParagraph(result);
        Assert.Contains(OutputFolder.MarkerName, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Entries(_dir));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(folder, "notes.txt")));
    }

    [Fact]
    public async Task The_current_folder_is_refused_even_when_an_earlier_run_wrote_it()
    {
        var outDir = Path.Combine(_dir, "here");
        Assert.Equal(0, (await Sim("run", _scenario, "--out", outDir, "--engine", "reference", "--no-charts")).ExitCode);
        var before = Entries(outDir);

        var result = await SimProcess.RunAsync(outDir, "run", _scenario, "--out", ".", "--engine", "reference", "--no-charts");

        AssertBadInputInOneParagraph(result);
        Assert.Contains("current folder", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Entries(outDir));
    }

    [Fact]
    public async Task A_staging_folder_left_by_a_killed_process_is_removed_by_the_next_run_and_others_are_left_alone()
    {
        var outDir = Path.Combine(_dir, "X");
        var abandoned = Path.Combine(_dir, $".X.staging-{DeadProcessId()}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(abandoned);
        File.WriteAllText(Path.Combine(abandoned, OutputFolder.MarkerName), "written by sim");
        File.WriteAllText(Path.Combine(abandoned, "runs.csv"), "run,seed\n0,1\n");
        var unmarked = Path.Combine(_dir, $".X.staging-{DeadProcessId()}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(unmarked);

        var result = await Sim("run", _scenario, "--out", outDir, "--engine", "reference", "--no-charts");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(Directory.Exists(abandoned));
        Assert.True(Directory.Exists(unmarked), "a folder without our marker is not ours to remove");
    }

    [Fact]
    public async Task SIGTERM_during_a_batch_with_keep_runs_writes_the_finished_runs_and_leaves_no_staging_folder()
    {
        var outDir = Path.Combine(_dir, "mc");
        string[] args = ["run", _scenario, "--runs", "1000000", "--keep-runs", "--engine", "reference", "--no-charts", "--out", outDir];
        using var process = SimProcess.Start(_dir, args);
        var output = SimProcess.WaitAsync(process, args);
        var deadline = Stopwatch.StartNew();
        bool Streaming() => Directory.GetDirectories(_dir).Any(d => Path.GetFileName(d).StartsWith(".mc.staging-", StringComparison.Ordinal)
            && new FileInfo(Path.Combine(d, "runs.csv")) is { Exists: true, Length: > 0 });
        while (!Streaming() && !process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }
        Assert.False(process.HasExited, "sim ended before it was signalled");

        Assert.Equal(0, Kill(process.Id, SigTerm));
        var result = await output;

        Assert.True(result.ExitCode == ExitCodes.Cancelled, result.ToString());
        Assert.Contains("cancelled after", result.Stderr, StringComparison.Ordinal);
        Assert.Equal([OutputFolder.MarkerName, "monthly.csv", "runs.csv", "summary.json"], Entries(outDir));
        AssertNoStagingFolder();
    }

    [Fact]
    public async Task A_seed_that_is_not_a_number_is_refused_in_words_without_a_type_name()
    {
        var result = await Sim("run", _scenario, "--seed", "abc", "--out", Path.Combine(_dir, "seed"));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("--seed: expected a whole number >= 0, got 'abc'", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("`", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "seed")));
    }

    [Fact]
    public async Task Dates_past_the_end_of_the_calendar_are_a_bad_input_not_a_stack_trace()
    {
        var result = await Sim("run", _scenario, "--set", "end=9999-12-31", "--engine", "reference", "--out", Path.Combine(_dir, "far"));

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.Contains("end: expected a date in the years 1900 to 2200, got 9999-12-31", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "far")));
        AssertNoStagingFolder();
    }

    [Fact]
    public void An_internal_error_is_one_line_naming_its_type_and_message_and_the_trace_comes_only_with_verbose()
    {
        Exception error;
        try
        {
            throw new InvalidOperationException("the fold lost a replicate\nsecond line");
        }
        catch (InvalidOperationException e)
        {
            error = e;
        }

        var line = SimCommand.InternalError(error, verbose: false);
        var verbose = SimCommand.InternalError(error, verbose: true);

        Assert.Equal("sim: internal error: System.InvalidOperationException: the fold lost a replicate second line; run with --verbose for the trace", line);
        Assert.Contains("\n   at ", verbose, StringComparison.Ordinal);
    }

    private const int SigTerm = 15;

    /// <summary>kill(2): what <c>kill -TERM PID</c> does.</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>A process id no process has now.</summary>
    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
