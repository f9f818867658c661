using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Statistics.Mcmc;
using Simulation.Model.Randomness;

namespace Simulation.Calibration.Posterior;

public sealed record PosteriorOptions
{
    /// <summary>Independent chains (R-hat compares them); they run in parallel.</summary>
    public int Chains { get; init; } = 4;
    /// <summary>Warm-up steps per chain: the proposal adapts, the draws are discarded.</summary>
    public int Warmup { get; init; } = 2000;
    /// <summary>Kept steps per chain, with the proposal frozen.</summary>
    public int Draws { get; init; } = 1500;
    /// <summary>Common random numbers: the seeds each density evaluation averages over.</summary>
    public int Seeds { get; init; } = 1;
    /// <summary>How far apart the chains start: a normal jitter about the file's values, in units of the Laplace approximation's spread.</summary>
    public double Dispersion { get; init; } = 2;
}

/// <summary>Progress of the sampler: steps done over all chains, of the total.</summary>
public sealed record PosteriorProgress(int Steps, int Total);

public sealed record PosteriorResult
{
    public required PosteriorDraws Draws { get; init; }
    public required IReadOnlyList<ParameterDiagnostics> Parameters { get; init; }
    /// <summary>The share of accepted proposals of each chain in its kept steps.</summary>
    public required IReadOnlyList<double> Acceptance { get; init; }
    public required int Evaluations { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required PosteriorOptions Options { get; init; }
    public bool Converged(double threshold = 1.05) => Parameters.All(p => p.RHat < threshold);
}

/// <summary>
/// Draws the free parameters from their posterior, likelihood x prior (<see cref="Calibrator.Objective"/> is -2 ln of it),
/// by random-walk Metropolis in range units (z = (x - min)/(max - min); a proposal outside the bounds has density zero
/// and is rejected). Each chain warms up with adaptive Metropolis (Haario, Saksman and Tamminen 2001: a Gaussian
/// proposal with covariance 2.38^2/d times the chain's own, scaled towards an acceptance of 0.234, Roberts, Gelman and
/// Gilks 1997), then keeps its draws with the proposal frozen, through MathNet's <see cref="MetropolisSampler{T}"/>, so
/// the kept draws are a Markov chain with the posterior as its stationary law. Chains start dispersed about the file's
/// values, and each has its own seeded random stream: the draws are the same on any number of cores.
/// </summary>
public sealed class PosteriorSampler
{
    private const double TargetAcceptance = 0.234;

    private readonly ScenarioText _text;
    private readonly PosteriorOptions _options;
    private readonly Calibrator _calibrator;
    private readonly ulong _seed;
    private int _steps;

    public PosteriorSampler(ScenarioText text, PosteriorOptions? options = null)
    {
        _text = text;
        _options = options ?? new PosteriorOptions();
        _calibrator = new Calibrator(text, new CalibrationOptions { Seeds = _options.Seeds });
        _seed = text.Bind([.. text.Parameters.Select(p => p.Start)]).Info.Seed;
        _laplace = new Lazy<Matrix<double>>(Laplace);
    }

    public IReadOnlyList<ulong> Seeds => _calibrator.Seeds;

    /// <summary>How long one density evaluation takes, from a timed pilot.</summary>
    public Experiments.Estimate EstimateEvaluation() => _calibrator.EstimateEvaluation();

    /// <summary>
    /// The Cholesky factor of the Laplace approximation's covariance at the mode, in range units: 2 H^-1 of the objective's
    /// Hessian, its eigenvalues floored (a flat or bent direction gets the spread of a tenth of its range, at most).
    /// </summary>
    private Matrix<double> Laplace()
    {
        var d = _text.Parameters.Count;
        var hessian = _calibrator.Hessian([.. _text.Parameters.Select(p => p.Start)]);
        var evd = ((hessian + hessian.Transpose()) / 2).Evd(Symmetricity.Symmetric);
        var floor = 2 / (0.1 * 0.1);
        var inverse = Matrix<double>.Build.DenseOfDiagonalArray([.. evd.EigenValues.Select(e => 2 / Math.Max(e.Real, floor))]);
        var covariance = evd.EigenVectors * inverse * evd.EigenVectors.Transpose();
        return ((covariance + covariance.Transpose()) / 2 + Matrix<double>.Build.DenseIdentity(d) * 1e-12).Cholesky().Factor;
    }

    private readonly Lazy<Matrix<double>> _laplace;

    public PosteriorResult Run(IProgress<PosteriorProgress>? progress = null, CancellationToken ct = default)
    {
        _ = _laplace.Value;
        var clock = Stopwatch.StartNew();
        var chains = new (double[][] Draws, double Acceptance)[_options.Chains];
        var total = _options.Chains * (_options.Warmup + _options.Draws);
        Parallel.For(0, _options.Chains, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            c => chains[c] = Chain(c, () => progress?.Report(new PosteriorProgress(Interlocked.Increment(ref _steps), total)), ct));

        var d = _text.Parameters.Count;
        var parameters = new List<ParameterDiagnostics>();
        for (var i = 0; i < d; i++)
        {
            var perChain = chains.Select(ch => ch.Draws.Select(x => x[i]).ToArray()).ToArray();
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
                Chain = [.. chains.SelectMany((ch, c) => ch.Draws.Select(_ => c + 1))],
                Draws = [.. chains.SelectMany(ch => ch.Draws)],
            },
            Parameters = parameters,
            Acceptance = [.. chains.Select(ch => ch.Acceptance)],
            Evaluations = _calibrator.Evaluations,
            Elapsed = clock.Elapsed,
            Options = _options,
        };
    }

    /// <summary>One chain: adaptive warm-up, then frozen-proposal draws (in parameter units).</summary>
    private (double[][] Draws, double Acceptance) Chain(int chain, Action step, CancellationToken ct)
    {
        var parameters = _text.Parameters;
        var d = parameters.Count;
        var rng = RandomStreams.For(_seed, "posterior", chain, "steps");
        double LogDensity(double[] z)
        {
            ct.ThrowIfCancellationRequested();
            step();
            if (z.Any(v => v is < 0 or > 1))
            {
                return double.NegativeInfinity;
            }
            var objective = _calibrator.Objective([.. z.Select((v, i) => parameters[i].Min + parameters[i].Range * v)], ct);
            return double.IsFinite(objective) ? -0.5 * objective : double.NegativeInfinity;
        }

        // A start dispersed about the mode (the file's values, for a fitted file) by twice the Laplace approximation's
        // spread, within the bounds: overdispersed, as R-hat needs, but on the posterior's own scale.
        var laplace = _laplace.Value;
        var mode = parameters.Select(p => (p.Start - p.Min) / p.Range).ToArray();
        double[] current;
        var currentDensity = double.NegativeInfinity;
        var tries = 0;
        do
        {
            current = [.. Propose(mode, laplace, _options.Dispersion, rng).Select(v => Math.Clamp(v, 0, 1))];
            currentDensity = LogDensity(current);
        }
        while (!double.IsFinite(currentDensity) && ++tries < 20);

        // Warm-up: adaptive Metropolis, from the Laplace covariance. The covariance is the chain's own after the first
        // tenth of the warm-up, recomputed every 50 steps; the scale follows a Robbins-Monro rule towards the target acceptance.
        var history = new List<double[]>(_options.Warmup);
        var logScale = Math.Log(2.38 * 2.38 / d);
        var cholesky = laplace;
        for (var t = 0; t < _options.Warmup; t++)
        {
            var proposal = Propose(current, cholesky, Math.Exp(0.5 * logScale), rng);
            var density = LogDensity(proposal);
            var accept = Math.Min(1, Math.Exp(density - currentDensity));
            if (rng.NextDouble() < accept)
            {
                (current, currentDensity) = (proposal, density);
            }
            history.Add(current);
            logScale += (accept - TargetAcceptance) / Math.Sqrt(t + 1.0);
            if (t >= _options.Warmup / 10 && t % 50 == 0)
            {
                var covariance = Covariance(history.Skip(history.Count / 2).ToList()) + Matrix<double>.Build.DenseIdentity(d) * 1e-8;
                cholesky = covariance.Cholesky().Factor;
            }
        }

        // Kept draws: the proposal frozen, MathNet's Metropolis sampler with the chain's seeded stream.
        var frozen = cholesky;
        var scale = Math.Exp(0.5 * logScale);
        var proposalRng = RandomStreams.For(_seed, "posterior", chain, "proposals");
        var sampler = new MetropolisSampler<double[]>(current, LogDensity, x => Propose(x, frozen, scale, proposalRng), burnInterval: 0)
        {
            RandomSource = RandomStreams.For(_seed, "posterior", chain, "accept"),
        };
        var draws = new double[_options.Draws][];
        for (var i = 0; i < draws.Length; i++)
        {
            var z = sampler.Sample();
            draws[i] = [.. z.Select((v, k) => parameters[k].Min + parameters[k].Range * v)];
        }
        return (draws, sampler.AcceptanceRate);
    }

    private static double[] Propose(double[] x, Matrix<double> cholesky, double scale, System.Random rng)
    {
        var d = x.Length;
        var e = new double[d];
        for (var i = 0; i < d; i++)
        {
            e[i] = Normal(rng);
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

    private static Matrix<double> Covariance(IReadOnlyList<double[]> rows)
    {
        var d = rows[0].Length;
        var mean = new double[d];
        foreach (var r in rows)
        {
            for (var i = 0; i < d; i++)
            {
                mean[i] += r[i] / rows.Count;
            }
        }
        var c = Matrix<double>.Build.Dense(d, d);
        foreach (var r in rows)
        {
            for (var i = 0; i < d; i++)
            {
                for (var j = 0; j < d; j++)
                {
                    c[i, j] += (r[i] - mean[i]) * (r[j] - mean[j]) / (rows.Count - 1);
                }
            }
        }
        return c;
    }

    /// <summary>A standard normal deviate (Box-Muller) from the chain's stream.</summary>
    private static double Normal(System.Random rng)
    {
        var u1 = 1 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
