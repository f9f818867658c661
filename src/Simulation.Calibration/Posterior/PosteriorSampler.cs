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

public sealed record PosteriorResult
{
    public required PosteriorDraws Draws { get; init; }
    public required IReadOnlyList<ParameterDiagnostics> Parameters { get; init; }
    /// <summary>The share of accepted proposals of each chain after the warm-up.</summary>
    public required IReadOnlyList<double> Acceptance { get; init; }
    public required int Evaluations { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required PosteriorOptions Options { get; init; }
    public bool Converged(double threshold = 1.05) => Parameters.All(p => p.RHat < threshold);
}

/// <summary>
/// Draws the free parameters from their posterior, likelihood x prior (<see cref="Calibrator.Objective"/> is -2 ln of it),
/// with <see cref="DeMczs"/> in <see cref="UnitSpace"/> (each parameter on [0, 1], wide positive ones on the log scale,
/// the density times the Jacobian); a point outside the bounds has density zero. The archive of past states starts from
/// draws about the mode (the file's values: the Laplace approximation, widened by <see cref="PosteriorOptions.Dispersion"/>),
/// and so do the chains. Each chain has its own seeded random stream: the draws are the same on any number of cores.
/// </summary>
public sealed class PosteriorSampler
{
    private readonly ScenarioText _text;
    private readonly PosteriorOptions _options;
    private readonly Calibrator _calibrator;
    private readonly UnitSpace _space;
    private readonly ulong _seed;

    /// <param name="evaluator">Where the density's objective is evaluated (<see cref="Calibrator"/>); null: in this process.</param>
    public PosteriorSampler(ScenarioText text, PosteriorOptions? options = null, IObjectiveEvaluator? evaluator = null)
    {
        _text = text;
        _options = options ?? new PosteriorOptions();
        _calibrator = new Calibrator(text, new CalibrationOptions { Seeds = _options.Seeds }, evaluator);
        _seed = text.Bind([.. text.Parameters.Select(p => p.Start)]).Info.Seed;
        _space = new UnitSpace(text.Parameters);
    }

    public IReadOnlyList<ulong> Seeds => _calibrator.Seeds;

    /// <summary>How long one density evaluation takes, from a timed pilot.</summary>
    public Experiments.Estimate EstimateEvaluation() => _calibrator.EstimateEvaluation();

    /// <summary>ln of the posterior density over the unit coordinates, up to a constant; minus infinity outside the bounds.</summary>
    private double LogDensity(double[] u, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (u.Any(v => v is < 0 or > 1))
        {
            return double.NegativeInfinity;
        }
        var x = _space.FromUnit(u);
        var objective = _calibrator.Objective(x, ct);
        return double.IsFinite(objective) ? -0.5 * objective + _space.LogJacobian(x) : double.NegativeInfinity;
    }

    /// <summary>
    /// The Cholesky factor of the Laplace approximation's covariance at the mode, in unit coordinates: the inverse of the
    /// Hessian of -ln density (MathNet's numerical Hessian, points beyond a bound taken at the bound), its eigenvalues
    /// floored so that a flat or bent direction gets the spread of a tenth of its range, at most.
    /// </summary>
    private Matrix<double> Laplace(double[] mode, CancellationToken ct)
    {
        var d = mode.Length;
        double MinusLog(double[] u) => -LogDensity([.. u.Select(v => Math.Clamp(v, 0, 1))], ct);
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
        var (archive, state, density) = AboutTheMode(ct);

        var sampler = new DeMczs(LogDensity, _seed, _options);
        var total = PosteriorOptions.StepsOf(_options);
        var (chainsDraws, acceptance) = sampler.Run(archive, state, density,
            steps => progress?.Report(new PosteriorProgress(steps, total)), ct);
        var kept = chainsDraws.Select(ch => ch.Select(_space.FromUnit).ToList()).ToArray();

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
            Acceptance = acceptance,
            Evaluations = _calibrator.Evaluations,
            Elapsed = clock.Elapsed,
            Options = _options,
        };
    }

    /// <summary>
    /// Starts about the mode (the file's values): the archive and the chains are draws from the Laplace approximation, widened by
    /// the dispersion, within the bounds; a chain's start is redrawn (up to 20 times) until its density is positive.
    /// </summary>
    private (List<double[]> Archive, double[][] States, double[] Densities) AboutTheMode(CancellationToken ct)
    {
        var d = _text.Parameters.Count;
        var chains = _options.Chains;
        var mode = _space.ToUnit([.. _text.Parameters.Select(p => p.Start)]);
        var laplace = Laplace(mode, ct);
        var startRng = RandomStreams.For(_seed, "posterior", 0, "archive");
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
                density[c] = LogDensity(state[c], ct);
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
