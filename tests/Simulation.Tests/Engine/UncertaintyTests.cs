using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Simulation.Calibration.Posterior;
using Simulation.Cli.Commands;
using Simulation.Experiments;
using Simulation.Scenarios;
using Simulation.Tests.Support;
using static Simulation.Tests.Support.SimCli;

namespace Simulation.Tests.Engine;

/// <summary>
/// A copy of the baseline (with the seeds/ it cites and one what-if extending it) in a temporary folder, and 50 synthetic
/// posterior draws of its fit parameters, spread around the file's values within their fit bounds, saved beside it.
/// </summary>
public sealed class PosteriorFolder : IDisposable
{
    public const int DrawCount = 50;

    public PosteriorFolder()
    {
        Root = Directory.CreateTempSubdirectory("sim-uncertainty-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, "scenarios", "what-if"));
        Directory.CreateDirectory(Path.Combine(Root, "seeds"));
        foreach (var seed in Directory.GetFiles(Path.Combine(Repo.Root, "seeds")))
        {
            File.Copy(seed, Path.Combine(Root, "seeds", Path.GetFileName(seed)));
        }
        File.Copy(Repo.Baseline, Baseline);
        File.Copy(Path.Combine(Repo.Scenarios, "what-if", "doubao-retention-like-kimi.yaml"), WhatIf);
        Scenario = ScenarioLoader.Load(Baseline);
        Draws = Synthetic(Scenario, DrawCount);
        Draws.Save(Baseline, "50 synthetic draws for tests");
    }

    public string Root { get; }

    public string Baseline => Path.Combine(Root, "scenarios", "baseline.yaml");

    /// <summary>Extends the baseline and sets Doubao's d30 (one of the baseline's fit parameters) to 0.28.</summary>
    public string WhatIf => Path.Combine(Root, "scenarios", "what-if", "doubao-retention-like-kimi.yaml");

    public LoadedScenario Scenario { get; }

    public PosteriorDraws Draws { get; }

    /// <summary>Each fit parameter within +-15 % of its value (clamped to its fit bounds), two chains.</summary>
    public static PosteriorDraws Synthetic(LoadedScenario scenario, int count, int salt = 1)
    {
        var fits = scenario.Provenance.Where(p => p.FitMin is not null && p.FitMax is not null).ToList();
        var random = new Random(salt);
        var draws = Enumerable.Range(0, count)
            .Select(_ => fits.Select(f => Math.Clamp(f.Value * (1 + 0.15 * (2 * random.NextDouble() - 1)), f.FitMin!.Value, f.FitMax!.Value)).ToArray())
            .ToList();
        return new PosteriorDraws
        {
            Key = PosteriorDraws.KeyOf(scenario),
            Paths = [.. fits.Select(f => f.Path)],
            Chain = [.. Enumerable.Range(0, count).Select(i => i * 2 / count)],
            Draws = draws,
        };
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public sealed class UncertaintyTests(PosteriorFolder folder) : IClassFixture<PosteriorFolder>, IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("sim-uncertainty-out-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task Posterior_bands_of_doubaos_mau_are_wider_than_seed_bands_and_every_replicate_plays_its_own_draw_on_one_seed()
    {
        const int runs = 16;
        var posterior = PosteriorSource.Resolve(UncertaintyMode.Posterior, [folder.Scenario], runs);

        var (seedExit, _) = await RunAsync(ReplicateUncertainty.Seed, runs, "seed");
        var (posteriorExit, stdout) = await RunAsync(posterior, runs, "posterior", keepRuns: true);

        Assert.Equal(0, seedExit + posteriorExit);
        var seedWidth = Width(Path.Combine(_out, "seed", "monthly.csv"), "doubao", "2025-12");
        var posteriorWidth = Width(Path.Combine(_out, "posterior", "monthly.csv"), "doubao", "2025-12");
        Assert.True(posteriorWidth > seedWidth, $"posterior p5-p95 {posteriorWidth} should be wider than seed {seedWidth}");
        Assert.Contains($"bands: posterior (50 draws, key {folder.Draws.Key})", stdout);
        // Parameter uncertainty alone: every replicate plays the base seed.
        var seeds = File.ReadLines(Path.Combine(_out, "posterior", "runs.csv")).Skip(1).Select(l => l.Split(',')[1]).Distinct();
        Assert.Equal([folder.Scenario.Info.Seed.ToString(CultureInfo.InvariantCulture)], seeds);

        var paths = folder.Draws.Paths.ToList();
        for (var r = 0; r < runs; r++)
        {
            var draw = folder.Draws.ForReplicate(r, runs);
            var played = posterior.ScenarioOf!(0, r);
            var bound = ScenarioOverrides.Apply(folder.Scenario, [.. paths.Select((p, i) => ScenarioOverrides.SetText(p, draw[i]))]);
            Assert.Equal(bound.Info.Fingerprint(), played.Fingerprint());
            Assert.Equal(draw[paths.IndexOf("markets.china-aigc.potential")], played.Market("china-aigc").Potential);
            Assert.Equal(draw[paths.IndexOf("companies.bytedance.apps.doubao.retention.d30")], played.Company("bytedance").Apps.Single(a => a.Id == "doubao").Retention.D30);
        }
        Assert.Equal(runs, Enumerable.Range(0, runs).Select(r => folder.Draws.ForReplicate(r, runs)).Distinct().Count());
    }

    [Fact]
    public async Task Compare_with_posterior_draws_is_paired_so_a_scenario_against_itself_differs_by_exactly_zero()
    {
        var dir = Path.Combine(_out, "compare");
        var (code, stdout, stderr) = await Sim("compare", folder.Baseline, folder.Baseline, "--runs", "8", "--uncertainty", "both",
            "--engine", "reference", "--months", "2025-12", "--apps", "doubao,ALL", "--no-charts", "--out", dir);

        Assert.True(code == 0, stderr);
        Assert.Contains("bands: seed and posterior (50 draws", stdout);
        var lines = File.ReadAllLines(Path.Combine(dir, "compare.csv"));
        var header = lines[0].Split(',');
        var rows = lines[1..].Select(l => l.Split(',')).ToList();
        Assert.NotEmpty(rows);
        foreach (var column in new[] { "diff_mean", "diff_p5", "diff_p50", "diff_p95" })
        {
            Assert.All(rows, r => Assert.Equal(0, double.Parse(r[Array.IndexOf(header, column)], CultureInfo.InvariantCulture)));
        }
        var summary = File.ReadAllText(Path.Combine(dir, "summary.json"));
        Assert.Contains("\"mode\": \"both\"", summary);
        Assert.Contains($"\"draws_key\": \"{folder.Draws.Key}\"", summary);
    }

    [Fact]
    public void A_what_if_without_draws_of_its_own_plays_its_bases_draws_except_on_the_paths_it_sets_itself()
    {
        const int runs = 10;
        var whatIf = ScenarioLoader.Load(folder.WhatIf);
        var paired = PosteriorSource.Resolve(UncertaintyMode.Posterior, [folder.Scenario, whatIf], runs);
        var alone = PosteriorSource.Resolve(UncertaintyMode.Posterior, [whatIf], runs);
        var potential = folder.Draws.Paths.ToList().IndexOf("markets.china-aigc.potential");

        Assert.Equal(folder.Draws.Key, alone.DrawsKey);
        for (var r = 0; r < runs; r++)
        {
            var draw = folder.Draws.ForReplicate(r, runs);
            foreach (var played in new[] { paired.ScenarioOf!(1, r), alone.ScenarioOf!(0, r) })
            {
                Assert.Equal(0.28, played.Company("bytedance").Apps.Single(a => a.Id == "doubao").Retention.D30);
                Assert.Equal(draw[potential], played.Market("china-aigc").Potential);
            }
            Assert.Equal(draw[potential], paired.ScenarioOf!(0, r).Market("china-aigc").Potential);
        }
    }

    [Theory]
    [InlineData("run")]
    [InlineData("compare")]
    [InlineData("sweep")]
    public async Task Without_saved_draws_each_command_exits_2_naming_the_csv_it_looked_for_and_sim_posterior(string command)
    {
        var bare = Path.Combine(_out, "bare", "baseline.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(bare)!);
        File.Copy(folder.Baseline, bare);
        var dir = Path.Combine(_out, "never");
        string[] args = command switch
        {
            "run" => ["run", bare, "--runs", "4", "--uncertainty", "posterior", "--engine", "reference", "--out", dir],
            "compare" => ["compare", bare, bare, "--runs", "4", "--uncertainty", "both", "--engine", "reference", "--out", dir],
            _ => ["sweep", bare, "--param", "markets.china-aigc.imitation=0.2:0.3:2", "--uncertainty", "posterior", "--out", dir],
        };

        var (code, _, stderr) = await Sim(args);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(PosteriorDraws.CsvPath(bare, folder.Draws.Key), stderr);
        Assert.Contains($"`sim posterior {bare}`", stderr);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task Draws_whose_report_says_not_converged_are_played_with_a_warning_and_the_summary_says_so()
    {
        using var own = new PosteriorFolder();
        File.WriteAllText(PosteriorDraws.ReportPath(own.Baseline, own.Draws.Key), "NOT CONVERGED: R-hat 1.300 for markets.global.potential (1.05 or more)\n");
        var dir = Path.Combine(_out, "unconverged");

        var (code, _, stderr) = await Sim("run", own.Baseline, "--runs", "4", "--uncertainty", "posterior", "--engine", "reference", "--no-charts", "--out", dir);

        Assert.True(code == 0, stderr);
        Assert.Contains("says NOT CONVERGED: the bands show where the chains went, not yet the posterior", stderr, StringComparison.Ordinal);
        Assert.Contains("\"draws_converged\": false", File.ReadAllText(Path.Combine(dir, "summary.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Draws_saved_before_the_scenario_changed_are_stale_and_not_used()
    {
        var stale = Path.Combine(_out, "stale", "baseline.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        File.Copy(folder.Baseline, stale);
        folder.Draws.Save(stale, "draws of the version before the edit");
        var text = File.ReadAllText(stale);
        File.WriteAllText(stale, text.Replace("\nseed: ", "\nseed: 1", StringComparison.Ordinal));
        Assert.NotEqual(text, File.ReadAllText(stale));

        var (code, _, stderr) = await Sim("run", stale, "--runs", "4", "--uncertainty", "posterior", "--engine", "reference", "--out", Path.Combine(_out, "never"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"{folder.Draws.Key}.csv) are for an earlier version", stderr);
        Assert.Contains("sim posterior", stderr);
    }

    [Fact]
    public async Task Draws_naming_a_value_the_scenario_does_not_have_exit_2_naming_the_path()
    {
        var odd = Path.Combine(_out, "odd", "baseline.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(odd)!);
        File.Copy(folder.Baseline, odd);
        (folder.Draws with { Paths = [.. folder.Draws.Paths.Select(p => p.Replace("china-aigc", "china-agi", StringComparison.Ordinal))] })
            .Save(odd, "draws for another scenario");

        var (code, _, stderr) = await Sim("run", odd, "--runs", "4", "--uncertainty", "posterior", "--engine", "reference", "--out", Path.Combine(_out, "never"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("markets.china-agi.potential", stderr);
    }

    [Fact]
    public async Task The_same_draws_seed_and_runs_give_byte_identical_files_at_any_parallelism()
    {
        const int runs = 12;
        var both = PosteriorSource.Resolve(UncertaintyMode.Both, [folder.Scenario], runs);
        await RunAsync(both, runs, "one", parallel: 1, keepRuns: true);
        await RunAsync(PosteriorSource.Resolve(UncertaintyMode.Both, [folder.Scenario], runs), runs, "three", parallel: 3, keepRuns: true);
        Assert.Equal(ReadAll(Path.Combine(_out, "one")), ReadAll(Path.Combine(_out, "three")));

        string[] sweep = ["sweep", folder.Baseline, "--param", "markets.china-aigc.imitation=0.2:0.3:2", "--outputs", "mau:doubao:2025-12", "--runs", "4", "--uncertainty", "posterior"];
        var first = await Sim([.. sweep, "--parallel", "1", "--out", Path.Combine(_out, "sweep-1")]);
        var second = await Sim([.. sweep, "--parallel", "2", "--out", Path.Combine(_out, "sweep-2")]);
        Assert.True(first.Code == 0 && second.Code == 0, first.Stderr + second.Stderr);
        Assert.Equal(ReadAll(Path.Combine(_out, "sweep-1")), ReadAll(Path.Combine(_out, "sweep-2")));
        // The swept value wins over the draw at every point: the two points differ.
        var points = File.ReadAllLines(Path.Combine(_out, "sweep-1", "sweep.csv"))[1..].Select(l => l.Split(',')[2]).ToList();
        Assert.Equal(2, points.Distinct().Count());
        Assert.Contains("\"mode\": \"posterior\"", File.ReadAllText(Path.Combine(_out, "sweep-1", "summary.json")));
    }

    [Fact]
    public void The_cache_key_of_seed_batches_is_unchanged_and_posterior_batches_have_keys_of_their_own()
    {
        var scenario = folder.Scenario;
        var model = typeof(Simulation.Model.Engine.ReferenceRunner).Assembly.ManifestModule.ModuleVersionId;
        var before = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join("\n", "bands-v1", scenario.Sha256, scenario.Info.Fingerprint(), 7UL, 20, ProgramInfo.Version, model))));
        var posterior = PosteriorSource.Resolve(UncertaintyMode.Posterior, [scenario], 20);
        var both = PosteriorSource.Resolve(UncertaintyMode.Both, [scenario], 20);
        var otherDraws = both with { DrawsDigest = "0000000000000000" };

        Assert.Equal(before, ResultsCache.Key(scenario, 7, 20));
        Assert.Equal(before, ResultsCache.Key(scenario, 7, 20, ReplicateUncertainty.Seed));
        string[] keys = [before, ResultsCache.Key(scenario, 7, 20, posterior), ResultsCache.Key(scenario, 7, 20, both), ResultsCache.Key(scenario, 7, 20, otherDraws)];
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    private async Task<(int ExitCode, string Stdout)> RunAsync(ReplicateUncertainty uncertainty, int runs, string name, int parallel = 2, bool keepRuns = false)
    {
        var request = new MonteCarloRequest(folder.Scenario, folder.Scenario.Info.Seed, runs, parallel, "reference", MonteCarloCommand.DefaultPlacement,
            keepRuns, Fresh: true, Path.Combine(_out, name), Charts: false) { Uncertainty = uncertainty };
        var stdout = new StringWriter();
        var code = await MonteCarloCommand.RunAsync(request, stdout, new StringWriter(), cache: null, showProgress: false, CancellationToken.None);
        return (code, stdout.ToString());
    }

    /// <summary>mau_p95 - mau_p5 of an app in a month of monthly.csv.</summary>
    private static double Width(string monthlyCsv, string app, string month)
    {
        var lines = File.ReadAllLines(monthlyCsv);
        var header = lines[0].Split(',');
        var row = lines[1..].Select(l => l.Split(',')).Single(r => r[Array.IndexOf(header, "app")] == app && r[Array.IndexOf(header, "month")] == month);
        double At(string column) => double.Parse(row[Array.IndexOf(header, column)], CultureInfo.InvariantCulture);
        return At("mau_p95") - At("mau_p5");
    }

    private static Dictionary<string, string> ReadAll(string directory) =>
        Directory.GetFiles(directory).Order(StringComparer.Ordinal).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f));
}
