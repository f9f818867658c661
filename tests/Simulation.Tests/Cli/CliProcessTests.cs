using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Simulation.Exports;
using Simulation.Scenarios;

namespace Simulation.Tests.Cli;

/// <summary>What one <c>dotnet sim.dll ...</c> process did.</summary>
public sealed record SimResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs the built <c>sim</c> CLI as a separate process.</summary>
public static class SimProcess
{
    /// <summary>Only a safety net against a hung process; no test asserts on time.</summary>
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(120);

    /// <summary>The CLI, copied to the test output folder because the test project references it.</summary>
    public static string SimDll { get; } = Path.Combine(AppContext.BaseDirectory, "sim.dll");

    /// <summary>The repository root: the first folder at or above the test output holding Simulation.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Baseline { get; } = Path.Combine(RepoRoot, "scenarios", "baseline.yaml");

    /// <summary>Starts <c>dotnet sim.dll args</c> in <paramref name="workingDirectory"/> and waits for it to exit.</summary>
    public static async Task<SimResult> RunAsync(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        return await WaitAsync(process, args);
    }

    /// <summary>Starts <c>dotnet sim.dll args</c> (its process id is the CLI's own) with stdin closed; see <see cref="WaitAsync"/>.</summary>
    public static Process Start(string workingDirectory, params string[] args)
    {
        Assert.True(File.Exists(SimDll), $"{SimDll} not found: the test project should reference the CLI project");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(SimDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Reads a started process's output and waits for it to exit.</summary>
    public static async Task<SimResult> WaitAsync(Process process, params string[] args)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(KillAfter))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"sim {string.Join(' ', args)} was still running after {KillAfter.TotalSeconds} s and was killed\n" +
                    $"--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
            }
        }
        return new SimResult(process.ExitCode, await stdout, await stderr);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Simulation.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Simulation.sln at or above {AppContext.BaseDirectory}");
    }
}

/// <summary>
/// A temporary folder for the class, and the reference-engine run of the baseline that several
/// tests compare against (one process, shared).
/// </summary>
public sealed class BaselineReferenceRun : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "sim-cli-tests-" + Guid.NewGuid().ToString("N"));

    public string OutDir => Path.Combine(Root, "reference");

    public SimResult Result { get; private set; } = new(-1, "", "");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        Result = await SimProcess.RunAsync(Root, "run", SimProcess.Baseline, "--out", OutDir, "--engine", "reference");
    }

    /// <summary>A new empty folder under <see cref="Root"/>.</summary>
    public string NewFolder(string name)
    {
        var path = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
        return Task.CompletedTask;
    }
}

public class CliProcessTests(BaselineReferenceRun reference) : IClassFixture<BaselineReferenceRun>
{
    private static readonly string[] OutputFiles = ["events.csv", "monthly.csv", "summary.json", "ticks.csv"];
    private static readonly string[] CompareFiles = ["monthly.csv", "ticks.csv", "events.csv"];

    private static readonly string[] RequiredMonthlyColumns =
    [
        "run", "seed", "month", "market", "company", "app", "mau", "wau", "new_users", "retention_d30",
        "market_share", "quality", "headcount", "stars", "cash_usd",
    ];

    private static string[] Lines(string path) => File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string[] WithoutRunAndSeed(string path) => [.. Lines(path).Skip(1).Select(l => string.Join(',', l.Split(',').Skip(2)))];

    private static void AssertNoStackTrace(SimResult result) =>
        Assert.DoesNotContain(result.Stderr.Split('\n'), line => line.StartsWith("   at ", StringComparison.Ordinal));

    private static void AssertSameBytes(string expectedDir, string actualDir, string file) =>
        Assert.True(
            File.ReadAllBytes(Path.Combine(expectedDir, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actualDir, file))),
            $"{file} differs between {expectedDir} and {actualDir}");

    // ---- (a) a reference run writes the four files ----

    [Fact]
    public void Run_with_the_reference_engine_exits_0_and_writes_exactly_the_four_files()
    {
        Assert.True(reference.Result.ExitCode == 0, reference.Result.ToString());
        AssertNoStackTrace(reference.Result);

        Assert.Equal([OutputFolder.MarkerName, .. OutputFiles], Directory.GetFiles(reference.OutDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // The staging folder beside the output is gone.
        Assert.DoesNotContain(Directory.GetDirectories(reference.Root), d => Path.GetFileName(d).Contains("staging", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_writes_csv_headers_exactly_as_the_exporter_defines_them()
    {
        Assert.Equal(0, reference.Result.ExitCode);

        Assert.Equal(RunExport.MonthlyHeader, Lines(Path.Combine(reference.OutDir, "monthly.csv"))[0]);
        Assert.Equal(RunExport.TicksHeader, Lines(Path.Combine(reference.OutDir, "ticks.csv"))[0]);
        Assert.Equal(RunExport.EventsHeader, Lines(Path.Combine(reference.OutDir, "events.csv"))[0]);
        Assert.Subset(RunExport.MonthlyHeader.Split(',').ToHashSet(), RequiredMonthlyColumns.ToHashSet());
    }

    [Fact]
    public void Monthly_csv_has_a_row_per_app_and_month_plus_market_totals_under_company_and_app_ALL()
    {
        Assert.Equal(0, reference.Result.ExitCode);
        var scenario = ScenarioLoader.Load(SimProcess.Baseline).Info;
        var lines = Lines(Path.Combine(reference.OutDir, "monthly.csv"));
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        int Col(string name) => Array.IndexOf(header, name);

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        Assert.All(rows, r => Assert.Matches(@"^[0-9]{4}-(0[1-9]|1[0-2])$", r[Col("month")]));
        Assert.All(rows, r => Assert.Equal(scenario.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), r[Col("seed")]));
        var months = rows.Select(r => r[Col("month")]).Distinct().ToList();
        Assert.Equal(months.Order(StringComparer.Ordinal), months);
        Assert.Equal($"{scenario.Start:yyyy-MM}", months[0]);
        Assert.Equal($"{scenario.End:yyyy-MM}", months[^1]);
        foreach (var market in scenario.Markets)
        {
            var totals = rows.Where(r => r[Col("market")] == market.Id && r[Col("company")] == "ALL" && r[Col("app")] == "ALL").ToList();
            Assert.Equal(months.Count, totals.Count);
        }
        Assert.Equal(
            scenario.Apps.Select(a => (a.Company.Id, a.App.Id)).Order(),
            rows.Where(r => r[Col("company")] != "ALL").Select(r => (r[Col("company")], r[Col("app")])).Distinct().Order());
    }

    [Fact]
    public void Ticks_and_events_csv_carry_dates_and_months_in_iso_form()
    {
        Assert.Equal(0, reference.Result.ExitCode);

        var ticks = Lines(Path.Combine(reference.OutDir, "ticks.csv"));
        var tickHeader = ticks[0].Split(',');
        Assert.All(ticks.Skip(1).Take(500), line =>
        {
            var r = line.Split(',');
            Assert.Matches(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", r[Array.IndexOf(tickHeader, "date")]);
            Assert.Matches(@"^[0-9]{4}-[0-9]{2}$", r[Array.IndexOf(tickHeader, "month")]);
        });
        var events = Lines(Path.Combine(reference.OutDir, "events.csv"));
        Assert.True(events.Length > 1, "the baseline's scripted events should appear in events.csv");
        Assert.All(events.Skip(1), line => Assert.Matches(@"^[0-9]+,[0-9]+,[0-9]+,[0-9]{4}-[0-9]{2}-[0-9]{2},", line));
    }

    [Fact]
    public void Run_prints_a_summary_table_listing_every_company_and_summary_json_agrees()
    {
        Assert.Equal(0, reference.Result.ExitCode);
        var scenario = ScenarioLoader.Load(SimProcess.Baseline).Info;
        var stdout = reference.Result.Stdout.Split('\n');

        Assert.Contains(stdout, l => l.StartsWith("Scenario baseline, seed 20241205, engine reference", StringComparison.Ordinal));
        Assert.Contains(stdout, l => Regex.IsMatch(l, @"^company\s+apps\s+MAU"));
        foreach (var company in scenario.Companies)
        {
            var app = company.Apps[0].Id;
            Assert.Contains(stdout, l => Regex.IsMatch(l, $@"^{Regex.Escape(company.Id)}\s+{Regex.Escape(app)}\s"));
        }
        Assert.Contains(stdout, l => l.StartsWith("Wrote ", StringComparison.Ordinal) && l.Contains(reference.OutDir, StringComparison.Ordinal));

        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(reference.OutDir, "summary.json")))!;
        Assert.Equal("baseline", (string?)summary["scenario"]);
        Assert.Equal("reference", (string?)summary["engine"]);
        Assert.Equal(20241205UL, (ulong?)summary["seed"]);
        Assert.Equal(64, ((string?)summary["scenario_sha256"])?.Length);
        Assert.Equal(
            scenario.Companies.Select(c => c.Id).Order(StringComparer.Ordinal),
            summary["companies"]!.AsArray().Select(c => (string)c!["company"]!).Order(StringComparer.Ordinal));
    }

    // ---- (b) the embedded silo gives the same files ----

    [Fact]
    public async Task Run_with_the_default_orleans_engine_writes_byte_identical_csv_files_to_the_reference_engine()
    {
        Assert.Equal(0, reference.Result.ExitCode);
        var work = reference.NewFolder("orleans");
        var outDir = Path.Combine(work, "out");

        var result = await SimProcess.RunAsync(work, "run", SimProcess.Baseline, "--out", outDir);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("engine orleans", result.Stdout, StringComparison.Ordinal);
        foreach (var file in CompareFiles)
        {
            AssertSameBytes(reference.OutDir, outDir, file);
        }
        // summary.json differs only in naming the engine.
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(reference.OutDir, "summary.json")))!.AsObject();
        var actual = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!.AsObject();
        Assert.Equal("orleans", (string?)actual["engine"]);
        expected.Remove("engine");
        actual.Remove("engine");
        Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
    }

    // ---- (c) a broken scenario: exit 2, a located message, nothing written ----

    [Fact]
    public async Task Broken_scenario_fails_validate_and_run_with_exit_code_2_naming_file_line_and_field_and_writes_nothing()
    {
        var work = reference.NewFolder("broken");
        var text = File.ReadAllText(SimProcess.Baseline);
        // Alibaba (companies.alibaba): a negative cash and a misspelt key on the next line.
        const string cash = "\n    cashUsd: {value: 20000000000, ";
        Assert.Equal(text.IndexOf(cash, StringComparison.Ordinal), text.LastIndexOf(cash, StringComparison.Ordinal));
        Assert.True(text.Contains(cash, StringComparison.Ordinal));
        var cashEnd = text.IndexOf('\n', text.IndexOf(cash, StringComparison.Ordinal) + 1);
        text = string.Concat(text.AsSpan(0, text.IndexOf(cash, StringComparison.Ordinal)), "\n    cashUsd: -20000000000\n    ecosystm: 0.5", text.AsSpan(cashEnd));
        var broken = Path.Combine(work, "broken.yaml");
        File.WriteAllText(broken, text);
        var cashLine = 1 + text[..text.IndexOf("cashUsd: -2", StringComparison.Ordinal)].Count(c => c == '\n');
        var typoLine = cashLine + 1;

        var validate = await SimProcess.RunAsync(work, "validate", broken);

        Assert.True(validate.ExitCode == 2, validate.ToString());
        Assert.Contains($"{broken}:{cashLine}:14: companies.alibaba.cashUsd: expected a number in [0, 1e15], got -2e10", validate.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{broken}:{typoLine}:5: companies.alibaba.ecosystm: unknown field 'ecosystm'; did you mean 'ecosystem'?", validate.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 error(s)", validate.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(validate);

        var outDir = Path.Combine(work, "out");
        var run = await SimProcess.RunAsync(work, "run", broken, "--out", outDir, "--engine", "reference");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"{broken}:{cashLine}:14: companies.alibaba.cashUsd:", run.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(run);
        Assert.False(Directory.Exists(outDir), "a failed run must not create its output folder");
        Assert.Equal([broken], Directory.GetFileSystemEntries(work));
    }

    [Fact]
    public async Task Validate_accepts_the_baseline_and_summarises_it()
    {
        var result = await SimProcess.RunAsync(reference.Root, "validate", SimProcess.Baseline);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{SimProcess.Baseline}: ok: scenario 'baseline'", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("11 companies, 2 markets", result.Stdout, StringComparison.Ordinal);
    }

    // ---- (d) two silos at once ----

    [Fact]
    public async Task Two_orleans_runs_started_together_each_match_the_reference_run_of_their_own_seed()
    {
        var work = reference.NewFolder("concurrent");
        string Out(string name) => Path.Combine(work, name);

        var references = await Task.WhenAll(
            SimProcess.RunAsync(work, "run", SimProcess.Baseline, "--seed", "1", "--out", Out("ref-1"), "--engine", "reference"),
            SimProcess.RunAsync(work, "run", SimProcess.Baseline, "--seed", "2", "--out", Out("ref-2"), "--engine", "reference"));
        Assert.All(references, r => Assert.True(r.ExitCode == 0, r.ToString()));

        var first = SimProcess.RunAsync(work, "run", SimProcess.Baseline, "--seed", "1", "--out", Out("orleans-1"));
        var second = SimProcess.RunAsync(work, "run", SimProcess.Baseline, "--seed", "2", "--out", Out("orleans-2"));
        var results = await Task.WhenAll(first, second);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Contains("seed 1, engine orleans", results[0].Stdout, StringComparison.Ordinal);
        Assert.Contains("seed 2, engine orleans", results[1].Stdout, StringComparison.Ordinal);
        AssertSameBytes(Out("ref-1"), Out("orleans-1"), "monthly.csv");
        AssertSameBytes(Out("ref-2"), Out("orleans-2"), "monthly.csv");
        AssertSameBytes(Out("ref-1"), Out("orleans-1"), "events.csv");
        AssertSameBytes(Out("ref-2"), Out("orleans-2"), "events.csv");
        // The seeds really differ: beyond the run and seed columns, the two histories are not the same.
        Assert.NotEqual(WithoutRunAndSeed(Path.Combine(Out("ref-1"), "events.csv")), WithoutRunAndSeed(Path.Combine(Out("ref-2"), "events.csv")));
    }

    // ---- (e) usage and bad command lines ----

    [Theory]
    [InlineData(new[] { "--help" }, new[] { "Usage:", "sim [command] [options]", "run <file>", "validate <file>" })]
    [InlineData(new[] { "run", "--help" }, new[] { "Usage:", "sim run <file> [options]", "--seed", "--out", "--engine <orleans|reference>" })]
    [InlineData(new[] { "validate", "--help" }, new[] { "Usage:", "sim validate <file> [options]" })]
    public async Task Help_exits_0_and_prints_usage(string[] args, string[] expected)
    {
        var result = await SimProcess.RunAsync(reference.Root, args);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var text in expected)
        {
            Assert.Contains(text, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "run", "BASELINE", "--bogus" }, "Unrecognized command or argument '--bogus'")]
    [InlineData(new[] { "run", "BASELINE", "--engine", "quantum" }, "'quantum'")]
    [InlineData(new[] { "run" }, "Required argument missing")]
    public async Task Bad_command_line_exits_2_pointing_to_help(string[] args, string expected)
    {
        var outDir = Path.Combine(reference.Root, "never-" + Guid.NewGuid().ToString("N")[..8]);
        var result = await SimProcess.RunAsync(reference.Root, [.. args.Select(a => a == "BASELINE" ? SimProcess.Baseline : a), "--out", outDir]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("sim --help", result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("run")]
    public async Task Missing_scenario_file_exits_2_with_a_clear_message_and_no_stack_trace(string command)
    {
        var missing = Path.Combine(reference.Root, "no-such-scenario.yaml");

        var result = await SimProcess.RunAsync(reference.Root, command, missing);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{missing}:0:0: (file): file not found", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
        AssertNoStackTrace(result);
    }
}
