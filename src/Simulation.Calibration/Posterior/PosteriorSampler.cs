using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Differentiation;
using Simulation.Model.Randomness;

namespace Simulation.Calibration.Posterior;

public sealed record PosteriorOptions
{
    /// <summary>Chains (R-hat compares them); a generation's chains run in parallel.</summary>
    public int Chains { get; init; } = 4;
    /// <summary>Warm-up generations: every chain steps once per generation; their states are discarded.</summary>
    public int Warmup { get; init; } = 2000;
    /// <summary>Kept draws per chain, one every <see cref="Thin"/> generations after the warm-up.</summary>
    public int Draws { get; init; } = 1500;
    /// <summary>Generations per kept draw.</summary>
    public int Thin { get; init; } = 1;
    /// <summary>Common random numbers: the seeds each density evaluation averages over.</summary>
    public int Seeds { get; init; } = 1;
    /// <summary>Proposals at most: every chain, every generation.</summary>
    public static int StepsOf(PosteriorOptions o) => o.Chains * (o.Warmup + o.Draws * o.Thin);
    /// <summary>How far apart the chains and the initial archive start: a normal jitter about the file's values, in units of the Laplace approximation's spread.</summary>
    public double Dispersion { get; init; } = 2;

}

/// <summary>Progress of the sampler: steps done over all chains, of the total.</summary>
public sealed record PosteriorProgress(int Steps, int Total);

/// <summary>
/// How one block of the posterior was drawn (<see cref="LikelihoodBlocks"/>): its share of accepted proposals per chain after
/// the warm-up, its evaluations, and how many runs of them replayed the supply side and how many were played whole.
/// </summary>
public sealed record BlockResult(ParameterBlock Block, PosteriorOptions Options, IReadOnlyList<double> Acceptance, int Evaluations, int Replayed, int PlayedWhole);

public sealed record PosteriorResult
{
    public required PosteriorDraws Draws { get; init; }
    public required IReadOnlyList<ParameterDiagnostics> Parameters { get; init; }
    /// <summary>The blocks the posterior was drawn in, in order: one, unless the likelihood factorizes.</summary>
    public required IReadOnlyList<BlockResult> Blocks { get; init; }
    public required int Evaluations { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required PosteriorOptions Options { get; init; }
    public bool Converged(double threshold = 1.05) => Parameters.All(p => p.RHat < threshold);
}

/// <summary>
/// Draws the free parameters from their posterior, likelihood x prior (<see cref="Calibrator.Objective"/> is -2 ln of it),
/// with <see cref="DeMczs"/> in <see cref="UnitSpace"/> (each parameter on [0, 1], wide positive ones on the log scale,
/// the density times the Jacobian); a point outside the bounds has density zero. Where the likelihood factorizes
/// (<see cref="LikelihoodBlocks"/>: the markets' groups share nothing while the supply side replays) each block is drawn on
/// its own, by chains of its own, its likelihood its targets' terms, the other parameters at the file's values; a draw is
/// then the blocks' draws of the same chain and index side by side. The largest block runs the options' generations and a
/// smaller one fewer, in proportion to its parameters (<see cref="OptionsOf"/>). In a block the archive of past
/// states starts from draws about the mode (the file's values: the Laplace approximation, widened by
/// <see cref="PosteriorOptions.Dispersion"/>), and so do the chains. Each chain has its own seeded random stream: the draws
/// are the same on any number of cores.
/// </summary>
public sealed class PosteriorSampler
{
    private readonly ScenarioText _text;
    private readonly PosteriorOptions _options;
    private readonly IReadOnlyList<ParameterBlock> _blocks;
    /// <summary>Each block's objective: its targets' likelihood and the prior.</summary>
    private readonly Calibrator[] _calibrators;
    private readonly UnitSpace _space;
    private readonly ulong _seed;
    /// <summary>The file's values in unit coordinates: where a block's density holds the other blocks' parameters.</summary>
    private readonly double[] _mode;

    /// <param name="evaluator">Where the density's objective is evaluated (<see cref="Calibrator"/>); null: in this process.</param>
    public PosteriorSampler(ScenarioText text, PosteriorOptions? options = null, IObjectiveEvaluator? evaluator = null)
    {
        _text = text;
        _options = options ?? new PosteriorOptions();
        var whole = new Calibrator(text, new CalibrationOptions { Seeds = _options.Seeds }, evaluator);
        var info = text.Bind([.. text.Parameters.Select(p => p.Start)]).Info;
        _seed = info.Seed;
        _space = new UnitSpace(text.Parameters);
        _mode = _space.ToUnit([.. text.Parameters.Select(p => p.Start)]);
        _blocks = LikelihoodBlocks.Of(text, info, whole.Replays);
        _calibrators = _blocks.Count == 1
            ? [whole]
            : [.. _blocks.Select(b => new Calibrator(text, new CalibrationOptions { Seeds = _options.Seeds, Targets = b.Targets }, evaluator))];
    }

    public IReadOnlyList<ulong> Seeds => _calibrators[0].Seeds;

    /// <summary>The blocks the posterior is drawn in (<see cref="LikelihoodBlocks"/>): one, unless the likelihood factorizes.</summary>
    public IReadOnlyList<ParameterBlock> Blocks => _blocks;

    /// <summary>Proposals at most, over every block's chains and generations.</summary>
    public int Steps => Enumerable.Range(0, _blocks.Count).Sum(b => PosteriorOptions.StepsOf(OptionsOf(b)));

    /// <summary>
    /// The options block <paramref name="b"/> runs: the largest block the options as given; a block of d parameters, d/D of
    /// the largest's D in warm-up generations and in generations per draw (at least one), the same draws. A random-walk
    /// sampler needs generations in proportion to the dimension to cross a posterior of a given shape (Roberts, Gelman and
    /// Gilks 1997), so the blocks come out about equally mixed and a small block costs what it needs.
    /// </summary>
    public PosteriorOptions OptionsOf(int b)
    {
        var share = (double)_blocks[b].Parameters.Count / _blocks.Max(x => x.Parameters.Count);
        return share >= 1 ? _options : _options with
        {
            Warmup = Math.Max(1, (int)Math.Ceiling(_options.Warmup * share)),
            Thin = Math.Max(1, (int)Math.Round(_options.Thin * share, MidpointRounding.AwayFromZero)),
        };
    }

    /// <summary>How long one density evaluation takes, from a timed pilot.</summary>
    public Experiments.Estimate EstimateEvaluation() => _calibrators[0].EstimateEvaluation();

    /// <summary>
    /// ln of block <paramref name="b"/>'s posterior density over its unit coordinates <paramref name="ub"/>, up to a
    /// constant (the other parameters at the file's values); minus infinity outside the bounds.
    /// </summary>
    private double LogDensity(int b, double[] ub, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (ub.Any(v => v is < 0 or > 1))
        {
            return double.NegativeInfinity;
        }
        var u = (double[])_mode.Clone();
        var block = _blocks[b].Parameters;
        for (var i = 0; i < block.Count; i++)
        {
            u[block[i]] = ub[i];
        }
        var x = _space.FromUnit(u);
        var objective = _calibrators[b].Objective(x, ct);
        return double.IsFinite(objective) ? -0.5 * objective + _space.LogJacobian(x) : double.NegativeInfinity;
    }

    /// <summary>
    /// The Cholesky factor of the Laplace approximation's covariance of block <paramref name="b"/> at the mode, in unit
    /// coordinates: the inverse of the Hessian of -ln density (MathNet's numerical Hessian, points beyond a bound taken at the
    /// bound), its eigenvalues floored so that a flat or bent direction gets the spread of a tenth of its range, at most.
    /// </summary>
    private Matrix<double> Laplace(int b, double[] mode, CancellationToken ct)
    {
        var d = mode.Length;
        double MinusLog(double[] u) => -LogDensity(b, [.. u.Select(v => Math.Clamp(v, 0, 1))], ct);
        var hessian = Matrix<double>.Build.DenseOfArray(new NumericalHessian().Evaluate(MinusLog, mode));
        var evd = ((hessian + hessian.Transpose()) / 2).Evd(Symmetricity.Symmetric);
        var floor = 1 / (0.1 * 0.1);
        var inverse = Matrix<double>.Build.DenseOfDiagonalArray([.. evd.EigenValues.Select(e => 1 / Math.Max(e.Real, floor))]);
        var covariance = evd.EigenVectors * inverse * evd.EigenVectors.Transpose();
        return ((covariance + covariance.Transpose()) / 2 + Matrix<double>.Build.DenseIdentity(d) * 1e-12).Cholesky().Factor;
    }

    public PosteriorResult Run(IProgress<PosteriorProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var d = _text.Parameters.Count;
        var total = Steps;
        // The blocks are drawn side by side (each block's draws depend on its own chains and streams alone, so the draws
        // are the same however their steps interleave): the cores stay busy while one block's chains wait for each other.
        var stepsOf = new int[_blocks.Count];
        var stepsDone = 0;
        void Report(int b, int steps)
        {
            var now = Interlocked.Add(ref stepsDone, steps - Interlocked.Exchange(ref stepsOf[b], steps));
            progress?.Report(new PosteriorProgress(now, total));
        }
        var drawn = new (IReadOnlyList<double[]>[] Draws, BlockResult Result)[_blocks.Count];
        Task.WhenAll(_blocks.Select((block, b) => Task.Run(() =>
        {
            var (archive, state, density) = AboutTheMode(b, ct);
            var options = OptionsOf(b);
            var sampler = new DeMczs((u, c) => LogDensity(b, u, c), _seed, options, StreamOf("steps", b));
            var (draws, acceptance) = sampler.Run(archive, state, density, steps => Report(b, steps), ct);
            var (replayed, whole) = _calibrators[b].Runs;
            drawn[b] = (draws, new BlockResult(block, options, acceptance, _calibrators[b].Evaluations, replayed, whole));
        }, ct))).GetAwaiter().GetResult();

        // Each chain's kept draws in unit coordinates, every block's coordinates written in turn.
        var unit = Enumerable.Range(0, _options.Chains).Select(_ => Enumerable.Range(0, _options.Draws).Select(_ => (double[])_mode.Clone()).ToArray()).ToArray();
        for (var b = 0; b < _blocks.Count; b++)
        {
            var coordinates = _blocks[b].Parameters;
            for (var c = 0; c < unit.Length; c++)
            {
                for (var k = 0; k < unit[c].Length; k++)
                {
                    for (var i = 0; i < coordinates.Count; i++)
                    {
                        unit[c][k][coordinates[i]] = drawn[b].Draws[c][k][i];
                    }
                }
            }
        }
        var blocks = drawn.Select(x => x.Result).ToList();
        var kept = unit.Select(ch => ch.Select(_space.FromUnit).ToList()).ToArray();

        var parameters = new List<ParameterDiagnostics>();
        for (var i = 0; i < d; i++)
        {
            var perChain = kept.Select(ch => ch.Select(x => x[i]).ToArray()).ToArray();
            var all = perChain.SelectMany(x => x).Order().ToArray();
            parameters.Add(new ParameterDiagnostics(
                _text.Parameters[i].Path,
                all.Average(),
                MathNet.Numerics.Statistics.Statistics.StandardDeviation(all),
                MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(all, 0.05),
                MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(all, 0.5),
                MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(all, 0.95),
                Diagnostics.RankNormalizedRHat(perChain),
                Diagnostics.EssBulk(perChain),
                Diagnostics.EssTail(perChain)));
        }
        var key = PosteriorDraws.KeyOf(_text.Bind([.. _text.Parameters.Select(p => p.Start)]));
        return new PosteriorResult
        {
            Draws = new PosteriorDraws
            {
                Key = key,
                Paths = [.. _text.Parameters.Select(p => p.Path)],
                Chain = [.. kept.SelectMany((ch, c) => ch.Select(_ => c + 1))],
                Draws = [.. kept.SelectMany(ch => ch)],
            },
            Parameters = parameters,
            Blocks = blocks,
            Evaluations = blocks.Sum(x => x.Evaluations),
            Elapsed = clock.Elapsed,
            Options = _options,
        };
    }

    /// <summary>A random stream's name for block <paramref name="b"/>: the first block's (the whole posterior's) as it always was.</summary>
    private static string StreamOf(string name, int b) => b == 0 ? name : $"{name}-block{b + 1}";

    /// <summary>
    /// Starts block <paramref name="b"/> about the mode (the file's values): the archive and the chains are draws from the
    /// Laplace approximation, widened by the dispersion, within the bounds; a chain's start is redrawn (up to 20 times) until
    /// its density is positive.
    /// </summary>
    private (List<double[]> Archive, double[][] States, double[] Densities) AboutTheMode(int b, CancellationToken ct)
    {
        var block = _blocks[b].Parameters;
        var d = block.Count;
        var chains = _options.Chains;
        var mode = block.Select(i => _mode[i]).ToArray();
        var laplace = Laplace(b, mode, ct);
        var startRng = RandomStreams.For(_seed, "posterior", 0, StreamOf("archive", b));
        double[] Scatter() => [.. Around(mode, laplace, _options.Dispersion, startRng).Select(v => Math.Clamp(v, 0, 1))];
        var archive = new List<double[]>();
        for (var i = 0; i < Math.Max(10 * d, 2 * chains); i++)
        {
            archive.Add(Scatter());
        }
        var state = new double[chains][];
        var density = new double[chains];
        for (var c = 0; c < chains; c++)
        {
            var tries = 0;
            do
            {
                state[c] = Scatter();
                density[c] = LogDensity(b, state[c], ct);
            }
            while (!double.IsFinite(density[c]) && ++tries < 20);
        }
        return (archive, state, density);
    }

    /// <summary>x plus a normal deviate with Cholesky factor <paramref name="cholesky"/>, times <paramref name="scale"/>.</summary>
    private static double[] Around(double[] x, Matrix<double> cholesky, double scale, System.Random rng)
    {
        var d = x.Length;
        var e = new double[d];
        for (var i = 0; i < d; i++)
        {
            e[i] = DeMczs.Normal(rng);
        }
        var y = new double[d];
        for (var i = 0; i < d; i++)
        {
            var sum = 0.0;
            for (var k = 0; k <= i; k++)
            {
                sum += cholesky[i, k] * e[k];
            }
            y[i] = x[i] + scale * sum;
        }
        return y;
    }
}
