using System.CommandLine;
using System.Globalization;
using System.Text;
using Simulation.Calibration;
using Simulation.Calibration.Posterior;
using Simulation.Experiments;

namespace Simulation.Cli.Commands;

/// <summary><c>sim posterior FILE</c>: draws the free parameters from their posterior and saves the draws beside the scenario.</summary>
public static class PosteriorCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "The scenario file; its fit: numbers are the free parameters, its series' error models the likelihood." };
        var sampling = new PosteriorOptionSet(new PosteriorOptions { Chains = 4, Warmup = 6000, Draws = 500, Thin = 50 });
        var seeds = new Option<int>("--seeds") { Description = "Common random numbers: seeds each density evaluation averages over.", DefaultValueFactory = _ => 1 };
        var cluster = new ClusterOption();
        var command = new Command("posterior", "Draw the free parameters from their posterior (differential-evolution Markov chains, DE-MCzs) and save the draws beside the scenario, keyed by its hash.")
        {
            file, seeds,
        };
        cluster.AddTo(command);
        foreach (var option in sampling.All)
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!.ToString();
            var clusterTarget = cluster.Target(parse);
            var options = sampling.Read(parse, NumericOptions.AtLeast(parse.GetValue(seeds), 1, "--seeds"));
            ScenarioText text;
            PosteriorSampler sampler;
            try
            {
                text = ScenarioText.Load(path);
                sampler = new PosteriorSampler(text, options);
            }
            catch (CalibrationInputException e)
            {
                throw new UsageException(e.Message);
            }
            var folder = PosteriorDraws.FolderOf(path);
            Simulation.Exports.OutputFolder.CheckFile(Path.Combine(folder, "check.csv"));
            // The cluster, connected before any work (one that cannot be used costs none); its silos evaluate the density.
            await using var host = clusterTarget is null ? null : await Hosting.GrainHost.StartAsync(clusterTarget, _ => { }, stderr, ct);
            var cores = host?.Silos?.Cores ?? Environment.ProcessorCount;
            if (host?.Evaluator(options.Seeds) is { } evaluator)
            {
                sampler = new PosteriorSampler(text, options, evaluator);
            }
            var total = sampler.Steps;
            var blocks = sampler.Blocks.Count == 1 ? "" : $" in {sampler.Blocks.Count} independent blocks ({string.Join("; ", sampler.Blocks.Select((b, i) => $"{b.Name}: {b.Parameters.Count}, {sampler.OptionsOf(i).Warmup} + {sampler.OptionsOf(i).Draws} x {sampler.OptionsOf(i).Thin} generations"))}), the largest";
            await stderr.WriteLineAsync(
                $"Drawing {text.Parameters.Count} parameters of {path}{blocks}: {PosteriorOptionSet.Describe(options)}, " +
                $"seeds {string.Join(", ", sampler.Seeds)}" +
                (clusterTarget is null ? "" : $", on the {host!.Silos!.Count} silo(s) of {clusterTarget}, {cores} cores (each chain evaluates one proposal at a time: more chains use more of them)") + " ...");
            var evaluation = sampler.EstimateEvaluation();
            var parallel = Math.Min(options.Chains, cores);
            var each = evaluation.PerCell * options.Seeds;
            await stderr.WriteLineAsync($"estimate: at most {total:N0} evaluations (a proposal outside the bounds costs none) of about {Estimate.Duration(each)} each, {parallel} at a time: about {Estimate.Duration(each * total / parallel)} at most{Estimates.DebugNote}");
            var last = 0;
            var progress = new SaidProgress<PosteriorProgress>(p =>
            {
                if (p.Steps - last >= total / 20)
                {
                    last = p.Steps;
                    stderr.WriteLine($"  {p.Steps:N0} of {total:N0} steps");
                }
            });
            PosteriorResult result;
            try
            {
                result = await Task.Run(() => sampler.Run(progress, ct), CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                await stderr.WriteLineAsync("interrupted: no draws written");
                return ExitCodes.Cancelled;
            }
            var report = Report(path, result, where: clusterTarget is null ? null : $"{cores} cores of {host!.Silos!.Count} silo(s)");
            result.Draws.Save(path, report);
            await stdout.WriteAsync(report);
            await stdout.WriteLineAsync($"Wrote {result.Draws.Count:N0} draws to {PosteriorDraws.CsvPath(path, result.Draws.Key)} (and the report beside them, .txt)");
            return ExitCodes.Success;
        });
        return command;
    }


    /// <param name="timings">Whether to say how long it took (on a screen); without, the report is the same bytes for the same draws (a file).</param>
    /// <param name="where">Where the evaluations ran, for the timings (default: this machine's cores).</param>
    public static string Report(string path, PosteriorResult result, bool timings = true, string? where = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var o = result.Options;
        var sb = new StringBuilder();
        var every = o.Thin == 1 ? "every generation" : $"one every {o.Thin} generations";
        sb.AppendLine(inv, $"Posterior of {path} (key {result.Draws.Key}): DE-MCzs, {o.Chains} chains x {o.Draws} draws ({every}) after {o.Warmup} warm-up generations = {result.Draws.Count:N0} draws");
        var took = timings
            ? $" in {result.Elapsed.TotalSeconds.ToString("0", inv)} s ({(result.Evaluations / Math.Max(result.Elapsed.TotalSeconds, 1e-9)).ToString("0.0", inv)} per second on {where ?? $"{Environment.ProcessorCount} cores"})"
            : "";
        string Shares(BlockResult b) => string.Join(", ", b.Acceptance.Select(a => a.ToString("0.00", inv)));
        if (result.Blocks.Count == 1)
        {
            sb.AppendLine(inv, $"{result.Evaluations:N0} evaluations{took}; acceptance per chain after the warm-up {Shares(result.Blocks[0])}");
        }
        else
        {
            // Each block's chains drew its parameters on their own: the likelihood is a sum over the blocks' markets.
            sb.AppendLine(inv, $"The likelihood factorizes: while the supply side replays, the markets of each block share nothing with the others'; each block was drawn by chains of its own, a smaller one with generations in proportion to its parameters.");
            sb.AppendLine(inv, $"{result.Evaluations:N0} evaluations{took}");
            foreach (var b in result.Blocks)
            {
                sb.AppendLine(inv, $"  block {b.Block.Name}: {Count(b.Block.Parameters.Count, "parameter")}, {Count(b.Block.Targets!.Count, "target")}; {b.Options.Warmup} warm-up generations, {(b.Options.Thin == 1 ? "a draw every generation" : $"a draw every {b.Options.Thin}")}; {b.Evaluations:N0} evaluations, acceptance per chain after the warm-up {Shares(b)}");
            }
        }
        var played = result.Blocks.Sum(b => b.Replayed + b.PlayedWhole);
        // Which evaluation of a seed comes first, and so plays whole, depends on the cores' timing: a screen's figure only.
        if (timings && played > 0)
        {
            var whole = result.Blocks.Sum(b => b.PlayedWhole);
            sb.AppendLine(inv, $"Runs: {played:N0}, of which {whole:N0} played whole (the first of each seed, which records the supply side, and any where cash binds) and the rest replayed against the record.");
        }
        var rows = new List<string[]> { new[] { "parameter", "mean", "sd", "5%", "50%", "95%", "R-hat", "ESS bulk", "ESS tail" } };
        foreach (var p in result.Parameters)
        {
            rows.Add([p.Path, G(p.Mean), G(p.Sd), G(p.Q05), G(p.Q50), G(p.Q95), p.RHat.ToString("0.000", inv), p.EssBulk.ToString("0", inv), p.EssTail.ToString("0", inv)]);
        }
        SummaryTable.AppendTable(sb, rows, leftColumns: 1);
        var worst = result.Parameters.MaxBy(p => p.RHat)!;
        sb.AppendLine(result.Converged()
            ? $"Converged: every R-hat is below 1.05 (largest {worst.RHat.ToString("0.000", inv)}, {worst.Path}); smallest bulk ESS {result.Parameters.Min(p => p.EssBulk).ToString("0", inv)}."
            : $"NOT CONVERGED: R-hat {worst.RHat.ToString("0.000", inv)} for {worst.Path} (1.05 or more): run longer (--warmup, --draws, --thin) before using these draws.");
        sb.AppendLine("R-hat: rank-normalised split R-hat, the larger of bulk and folded (Vehtari et al. 2021); ESS: effective sample size (Geyer's initial sequence).");
        return sb.ToString();
    }

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
