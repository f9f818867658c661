using Simulation.Calibration.Posterior;
using Simulation.Cli.Engines;
using Simulation.Experiments;
using Simulation.Cli.Hosting;
using Orleans.Runtime.Hosting;
using Simulation.Contracts;
using Simulation.Exports;
using Simulation.Scenarios;
using System.CommandLine;

namespace Simulation.Cli.Commands;

/// <summary>What <c>sim run FILE --runs N</c> was asked to do.</summary>
public sealed record MonteCarloRequest(
    LoadedScenario Scenario,
    ulong BaseSeed,
    int Runs,
    int? Parallel,
    string Engine,
    string Placement,
    bool KeepRuns,
    bool Fresh,
    string OutDir,
    bool Charts = true)
{
    /// <summary>What makes the replicates differ (<c>--uncertainty</c>): seeds by default.</summary>
    public ReplicateUncertainty Uncertainty { get; init; } = ReplicateUncertainty.Seed;

    /// <summary>The cluster whose silos play the replicates (<c>--cluster</c>); null: an embedded silo.</summary>
    public ClusterTarget? Cluster { get; init; }
}

/// <summary>
/// <c>sim run FILE --runs N</c>: N replicates, bands written to monthly.csv and summary.json, a table of
/// p50 [p5–p95] per company. Reuses cached bands unless <c>--fresh</c>; on Ctrl+C writes the bands of the
/// replicates that finished and exits 130.
/// </summary>
public static class MonteCarloCommand
{
    /// <summary>The placement <c>--runs</c> uses unless told: chosen by measurement (README, "Monte Carlo").</summary>
    public const string DefaultPlacement = "replicate";

    /// <summary>The band charts (MAU, share and cash with their p5-p95 bands), unless the request skips charts.</summary>
    private static IReadOnlyDictionary<string, byte[]>? Charts(MonteCarloRequest request, MonteCarloOutput output) =>
        request.Charts ? Simulation.Exports.Charts.BandCharts.Render(output) : null;

    private static string ChartNote(MonteCarloRequest request) => request.Charts ? " and band charts (PNG and SVG) in charts/" : "";

    public static async Task<int> RunAsync(MonteCarloRequest request, TextWriter stdout, TextWriter stderr, ResultsCache? cache, bool showProgress, CancellationToken ct)
    {
        // A cluster is reached first: one that cannot be costs no work and writes nothing.
        await using var clusterHost = request.Cluster is null ? null : await GrainHost.StartAsync(request.Cluster, _ => { }, stderr, ct);
        var key = ResultsCache.Key(request.Scenario, request.BaseSeed, request.Runs, request.Uncertainty);
        if (cache is not null && !request.Fresh && !request.KeepRuns && cache.TryGet(key) is { } hit && hit.Runs == request.Runs)
        {
            var cached = Output(request, hit.Runs, hit.Bands, hit.Companies, Describe(request));
            using (var staged = new StagedDirectory(request.OutDir))
            {
                BandExport.Write(cached, staged, Charts(request, cached));
            }
            await stdout.WriteAsync(BandTable.Render(cached));
            await stdout.WriteLineAsync($"cached: bands of {hit.Runs} runs reused from {cache.Directory} (--fresh recomputes)");
            await stdout.WriteLineAsync($"Wrote {string.Join(", ", BandExport.Render(cached).Keys)}{ChartNote(request)} to {request.OutDir}");
            return ExitCodes.Success;
        }

        using var target = new StagedDirectory(request.OutDir);
        MonteCarloResult result;
        await using (var runsFile = request.KeepRuns ? target.CreateText(RunsCsv.FileName) : null)
        {
            var runsCsv = runsFile is null ? null : new RunsCsv(runsFile);
            await using var embedded = request.Engine == "reference" || clusterHost is not null
                ? null
                : await GrainHost.StartAsync(null, s => s.AddTransientStorage(), stderr, ct);
            var grains = clusterHost ?? embedded;
            IReplicateRunner runner = grains is null ? new ReferenceReplicates() : grains.Replicates(request.Placement, stderr);
            var parallel = request.Parallel ?? grains?.Parallel(null) ?? Environment.ProcessorCount;
            await Estimates.SayAsync(stderr, Estimate.FromPilot(request.Scenario.Info, request.Runs, parallel), "runs", keepsWhatFinished: true);
            result = await ProgressBar.RunAsync($"{request.Runs} runs", showProgress, progress =>
                MonteCarlo.RunAsync(runner, request.Scenario.Info, request.BaseSeed, request.Runs, parallel, runsCsv is null ? null : runsCsv.Append, progress, ct,
                    uncertainty: request.Uncertainty));
        }
        if (result.Runs == 0)
        {
            throw new OperationCanceledException(ct);
        }

        var (engine, placement) = Describe(request);
        var output = Output(request, result.Runs, result.Bands.Rows(), result.Bands.Companies(), (engine, placement));
        BandExport.Write(output, target, Charts(request, output));
        if (cache is not null && !result.Cancelled)
        {
            try
            {
                cache.Put(key, new CachedBands(result.Runs, output.Bands, output.Companies));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"sim: warning: could not write the results cache in {cache.Directory}: {e.Message}");
            }
        }

        await stdout.WriteAsync(BandTable.Render(output));
        var written = BandExport.Render(output).Keys.Concat(request.KeepRuns ? [RunsCsv.FileName] : []).Order(StringComparer.Ordinal);
        await stdout.WriteLineAsync($"Wrote {string.Join(", ", written)}{ChartNote(request)} to {request.OutDir}");
        if (result.Cancelled)
        {
            await stderr.WriteLineAsync($"sim: cancelled after {result.Runs} of {request.Runs} runs; wrote bands of {result.Runs} to {request.OutDir}");
            return ExitCodes.Cancelled;
        }
        return ExitCodes.Success;
    }

    private static (string Engine, string? Placement) Describe(MonteCarloRequest request) =>
        request.Engine == "reference" ? ("reference", null) : ("orleans", request.Placement);

    private static MonteCarloOutput Output(MonteCarloRequest request, int runs, IReadOnlyList<Model.Metrics.BandRow> bands,
        IReadOnlyList<Model.Metrics.CompanyBands> companies, (string Engine, string? Placement) how) =>
        new(request.Scenario.Info.Name, request.Scenario.Sha256, request.BaseSeed, request.Runs, runs, how.Engine, how.Placement,
            SimulationRun.ProgramVersion, bands, companies)
        {
            Uncertainty = request.Uncertainty,
        };
}

/// <summary>The options of <c>sim run</c> that turn a run into a Monte Carlo batch.</summary>
public sealed class MonteCarloOptions
{
    private readonly Option<int> _runs = new("--runs")
    {
        Description = "Play N replicates (seeds derived from the base seed) and write bands: mean, p5, p50, p95 per month and metric.",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<int?> _parallel = new("--parallel") { Description = "Replicates in flight at once (default: the number of cores; with --cluster, of every silo's cores)." };

    private readonly Option<string?> _placement = new("--placement")
    {
        Description = $"With --runs on Orleans: replicate (one grain plays a whole replicate; default) or company (one grain per company, as a single run).",
    };

    private readonly Option<bool> _keepRuns = new("--keep-runs") { Description = "With --runs: also write runs.csv, every replicate's monthly rows." };

    private readonly Option<bool> _fresh = new("--fresh") { Description = "With --runs: ignore cached results and play every replicate again." };

    private readonly Option<string?> _uncertainty = UncertaintyOption.Create();

    public MonteCarloOptions()
    {
        _placement.AcceptOnlyFromAmong("replicate", "company");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_runs);
        command.Options.Add(_parallel);
        command.Options.Add(_placement);
        command.Options.Add(_keepRuns);
        command.Options.Add(_fresh);
        command.Options.Add(_uncertainty);
    }

    /// <summary>Runs the batch if <c>--runs</c> asks for more than one run and returns the exit code; null for a single run.</summary>
    public async Task<int?> TryRunAsync(ParseResult parse, LoadedScenario scenario, ulong baseSeed, string engine, ClusterTarget? cluster, string outDir, ExportOptions export, TextWriter stdout, CancellationToken ct)
    {
        var runs = parse.GetValue(_runs);
        var parallel = parse.GetValue(_parallel);
        var placement = parse.GetValue(_placement);
        if (runs < 1)
        {
            throw new UsageException($"--runs must be at least 1 (got {runs})");
        }
        if (parallel is < 1)
        {
            throw new UsageException($"--parallel must be at least 1 (got {parallel})");
        }
        if (runs == 1)
        {
            if (parallel is not null || placement is not null || parse.GetValue(_keepRuns) || parse.GetValue(_fresh) || parse.GetValue(_uncertainty) is not null)
            {
                throw new UsageException("--parallel, --placement, --keep-runs, --fresh and --uncertainty apply only with --runs N (N > 1)");
            }
            return null;
        }
        if (export.Formats.Any(f => f != ExportFormat.Csv))
        {
            throw new UsageException("--format parquet and json apply to a single run; a batch (--runs N) writes its bands as CSV");
        }
        if (engine == "reference" && placement is not null)
        {
            throw new UsageException("--placement applies to --engine orleans; the reference engine runs replicates in process");
        }
        var uncertainty = PosteriorSource.Resolve(UncertaintyOption.Mode(parse, _uncertainty), [scenario], runs);
        var request = new MonteCarloRequest(scenario, baseSeed, runs, parallel, engine,
            placement ?? MonteCarloCommand.DefaultPlacement, parse.GetValue(_keepRuns), parse.GetValue(_fresh), outDir, export.Charts)
        {
            Uncertainty = uncertainty,
            Cluster = cluster,
        };
        var stderr = parse.InvocationConfiguration.Error;
        await UncertaintyOption.SayAsync(stderr, uncertainty, runs);
        return await MonteCarloCommand.RunAsync(request, stdout, stderr, ResultsCache.Default(), showProgress: true, ct);
    }
}
