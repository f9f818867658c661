using System.Globalization;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using Simulation.Experiments;
using Simulation.Cli.Commands;
using Simulation.Cli.Engines;
using Simulation.Exports;
using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Metrics;
using Simulation.Model.Randomness;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;
using Simulation.Tests.Support;

namespace Simulation.Tests.Engine;

[Collection(ClusterCollection.Name)]
public sealed class MonteCarloTests(ClusterFixture fixture)
{
    private static readonly ScenarioInfo Rivals = TestScenarios.Rivals();

    private static readonly LoadedScenario LoadedRivals = new(Rivals, "rivals.yaml", "sha", new ProvenanceLog());

    [Fact]
    public async Task Replicate_placement_company_placement_and_the_reference_engine_give_identical_bands()
    {
        var reference = await BandsAsync(new ReferenceReplicates(), runs: 20, parallel: 4);
        var replicate = await BandsAsync(new GrainReplicates(fixture.Grains), runs: 20, parallel: 4);
        var company = await BandsAsync(new CompanyGrainReplicates(fixture.Grains), runs: 20, parallel: 4);

        Assert.Equal(reference, replicate);
        Assert.Equal(reference, company);
    }

    [Fact]
    public async Task The_same_base_seed_gives_identical_bands_and_another_base_seed_different_ones()
    {
        var first = await BandsAsync(new ReferenceReplicates(), runs: 30, parallel: 2, baseSeed: 11);
        var again = await BandsAsync(new ReferenceReplicates(), runs: 30, parallel: 2, baseSeed: 11);
        var other = await BandsAsync(new ReferenceReplicates(), runs: 30, parallel: 2, baseSeed: 12);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task Bands_do_not_depend_on_how_many_replicates_run_at_once_or_which_finishes_first()
    {
        var one = await BandsAsync(new ReferenceReplicates(), runs: 40, parallel: 1);
        var four = await BandsAsync(new ShuffledReplicates(), runs: 40, parallel: 4);
        var eight = await BandsAsync(new ShuffledReplicates(), runs: 40, parallel: 8);

        Assert.Equal(one, four);
        Assert.Equal(one, eight);
    }

    [Fact]
    public async Task Replicate_zero_plays_the_base_seed_so_its_rows_in_runs_csv_are_the_single_runs_monthly_rows()
    {
        var runsCsv = new StringWriter { NewLine = "\n" };
        var writer = new RunsCsv(runsCsv);
        await MonteCarlo.RunAsync(new ReferenceReplicates(), Rivals, 7, runs: 3, parallel: 2, folded: writer.Append);
        var single = RunExport.Render(await SimulationRun.RunAsync(new ReferenceEngine(), LoadedRivals, 7))["monthly.csv"];

        var lines = runsCsv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(RunExport.MonthlyHeader, lines[0]);
        Assert.Equal(single.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..], lines.Where(l => l.StartsWith("0,", StringComparison.Ordinal)));
        Assert.Equal(["0", "1", "2"], lines[1..].Select(l => l.Split(',')[0]).Distinct());
        Assert.Equal(Seeds.For(7, 2).ToString(CultureInfo.InvariantCulture), lines[^1].Split(',')[1]);
    }

    [Fact]
    public async Task The_band_export_has_mean_p5_p50_p95_columns_with_p5_at_most_p50_at_most_p95()
    {
        var csv = await BandsAsync(new ReferenceReplicates(), runs: 25, parallel: 2);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');

        Assert.Equal(["run", "seed", "month", "market", "company", "app", "runs"], header[..7]);
        foreach (var metric in BandExport.Metrics)
        {
            Assert.Contains($"{metric}_mean", header);
            var p5 = Array.IndexOf(header, $"{metric}_p5");
            Assert.Equal([$"{metric}_p5", $"{metric}_p50", $"{metric}_p95"], header[p5..(p5 + 3)]);
            foreach (var row in lines[1..].Select(l => l.Split(',')).Where(r => r[p5] != ""))
            {
                Assert.Equal(["all", "7", "25"], new[] { row[0], row[1], row[6] });
                var (low, mid, high) = (Parse(row[p5]), Parse(row[p5 + 1]), Parse(row[p5 + 2]));
                Assert.True(low <= mid && mid <= high, $"{metric}: {low} <= {mid} <= {high} in {string.Join(',', row)}");
            }
        }
        Assert.Contains(lines[1..], l => l.Split(',') is var r && Parse(r[Array.IndexOf(header, "mau_p5")]) < Parse(r[Array.IndexOf(header, "mau_p95")]));
    }

    [Fact]
    public async Task The_aggregator_keeps_as_many_values_after_sixty_runs_as_after_twenty()
    {
        var twenty = await MonteCarlo.RunAsync(new ReferenceReplicates(), Rivals, 7, runs: 20, parallel: 2, exactCapacity: 12);
        var sixty = await MonteCarlo.RunAsync(new ReferenceReplicates(), Rivals, 7, runs: 60, parallel: 2, exactCapacity: 12);

        Assert.Equal(60, sixty.Runs);
        Assert.Equal(twenty.Bands.RetainedValues, sixty.Bands.RetainedValues);
    }

    [Fact]
    public async Task Cancelling_stops_launching_and_keeps_the_bands_of_every_replicate_that_finished()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new Callback(done =>
        {
            if (done == 5)
            {
                cancel.Cancel();
            }
        });
        var stopped = await MonteCarlo.RunAsync(new ReferenceReplicates(), Rivals, 7, runs: 200, parallel: 2, progress: progress, ct: cancel.Token);
        var complete = await MonteCarlo.RunAsync(new ReferenceReplicates(), Rivals, 7, runs: stopped.Runs, parallel: 2);

        Assert.True(stopped.Cancelled);
        Assert.InRange(stopped.Runs, 5, 5 + 2 * MonteCarlo.WindowPerSlot);
        Assert.Equal(Render(complete), Render(stopped));
    }

    [Fact]
    public async Task A_cache_hit_writes_the_same_bytes_without_playing_and_fresh_plays_again()
    {
        var root = Directory.CreateTempSubdirectory("sim-mc-").FullName;
        try
        {
            var cache = new ResultsCache(Path.Combine(root, "cache"));
            var request = new MonteCarloRequest(LoadedRivals, 7, Runs: 12, Parallel: 2, "reference", MonteCarloCommand.DefaultPlacement,
                KeepRuns: false, Fresh: false, Path.Combine(root, "first"));
            var first = await CommandAsync(request, cache);
            var hit = await CommandAsync(request with { OutDir = Path.Combine(root, "second") }, cache);

            Assert.DoesNotContain("cached", first.Stdout);
            Assert.Contains("cached", hit.Stdout);
            Assert.Equal(ReadAll(request.OutDir), ReadAll(Path.Combine(root, "second")));

            // Tamper with the entry: a hit serves it as it is, --fresh plays the replicates again.
            var key = ResultsCache.Key(LoadedRivals, 7, 12);
            var entry = cache.TryGet(key)!;
            cache.Put(key, entry with { Bands = entry.Bands.Skip(1).ToList() });
            var tampered = await CommandAsync(request with { OutDir = Path.Combine(root, "third") }, cache);
            var fresh = await CommandAsync(request with { OutDir = Path.Combine(root, "fourth"), Fresh = true }, cache);

            Assert.NotEqual(ReadAll(request.OutDir)["monthly.csv"], ReadAll(Path.Combine(root, "third"))["monthly.csv"]);
            Assert.DoesNotContain("cached", fresh.Stdout);
            Assert.Equal(ReadAll(request.OutDir), ReadAll(Path.Combine(root, "fourth")));
            Assert.Equal(0, first.ExitCode + hit.ExitCode + tampered.ExitCode + fresh.ExitCode);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_quantile_sketch_is_exact_while_it_holds_every_value()
    {
        var draws = Draws(new Normal(10, 2, new StreamRandom(1)), 200);
        var sketch = Fill(draws, exactCapacity: 256);

        Assert.Equal(Statistics.QuantileCustom(draws, 0.05, QuantileDefinition.R7), sketch.Quantile(0), 12);
        Assert.Equal(Statistics.QuantileCustom(draws, 0.50, QuantileDefinition.R7), sketch.Quantile(1), 12);
        Assert.Equal(Statistics.QuantileCustom(draws, 0.95, QuantileDefinition.R7), sketch.Quantile(2), 12);
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("lognormal")]
    public void Past_its_exact_buffer_the_quantile_sketch_stays_close_to_MathNets_exact_quantiles(string shape)
    {
        var random = new StreamRandom(20241205);
        IContinuousDistribution distribution = shape == "normal" ? new Normal(10, 2, random) : new LogNormal(0, 0.5, random);
        var draws = Draws(distribution, 5000);
        var sketch = Fill(draws, QuantileSketch.DefaultExactCapacity);
        var sorted = draws.Order().ToArray();
        var spread = SortedArrayStatistics.QuantileCustom(sorted, 0.95, QuantileDefinition.R7) - SortedArrayStatistics.QuantileCustom(sorted, 0.05, QuantileDefinition.R7);

        double[] probabilities = [0.05, 0.50, 0.95];
        for (var k = 0; k < probabilities.Length; k++)
        {
            var exact = SortedArrayStatistics.QuantileCustom(sorted, probabilities[k], QuantileDefinition.R7);
            Assert.InRange(sketch.Quantile(k), exact - 0.03 * spread, exact + 0.03 * spread);
            Assert.InRange(SortedArrayStatistics.EmpiricalCDF(sorted, sketch.Quantile(k)), probabilities[k] - 0.01, probabilities[k] + 0.01);
        }
        Assert.Equal(27, sketch.RetainedValues);
    }

    private static async Task<string> BandsAsync(IReplicateRunner runner, int runs, int parallel, ulong baseSeed = 7) =>
        Render(await MonteCarlo.RunAsync(runner, Rivals, baseSeed, runs, parallel));

    private static string Render(MonteCarloResult result) => BandExport.Monthly(new MonteCarloOutput(
        "rivals", "sha", 7, result.RunsRequested, result.Runs, "test", null, "0", result.Bands.Rows(), result.Bands.Companies()));

    private static async Task<(int ExitCode, string Stdout)> CommandAsync(MonteCarloRequest request, ResultsCache cache)
    {
        var stdout = new StringWriter();
        var exitCode = await MonteCarloCommand.RunAsync(request, stdout, new StringWriter(), cache, showProgress: false, CancellationToken.None);
        return (exitCode, stdout.ToString());
    }

    private static Dictionary<string, string> ReadAll(string directory) =>
        Directory.GetFiles(directory).Order(StringComparer.Ordinal).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f));

    private static double Parse(string field) => double.Parse(field, CultureInfo.InvariantCulture);

    private static double[] Draws(IContinuousDistribution distribution, int count) => [.. Enumerable.Range(0, count).Select(_ => distribution.Sample())];

    private static QuantileSketch Fill(double[] draws, int exactCapacity)
    {
        var sketch = new QuantileSketch([0.05, 0.50, 0.95], exactCapacity);
        foreach (var x in draws)
        {
            sketch.Add(x);
        }
        return sketch;
    }

    private sealed class Callback(Action<int> report) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => report(value.Done);
    }
}
