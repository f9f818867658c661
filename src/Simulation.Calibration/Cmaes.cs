using MathNet.Numerics.LinearAlgebra;

namespace Simulation.Calibration;

/// <summary>
/// The covariance matrix adaptation evolution strategy, CMA-ES (Hansen and Ostermeier 2001; the settings and update
/// order of Hansen's "The CMA Evolution Strategy: A Tutorial", 2016, and its reference implementation purecma):
/// each generation samples lambda points from N(m, sigma^2 C), ranks them, moves the mean to the weighted best half,
/// and adapts C (rank-one and rank-mu updates) and sigma (cumulative step-size adaptation). It ranks points only, so it
/// is blind to the objective's scale, and learns a valley's direction and shape. A generation's points are evaluated
/// together (in parallel by the caller); the draws come from a seeded generator, so a run is the same on any number
/// of cores.
/// </summary>
public sealed class Cmaes
{
    private readonly int _n;
    private readonly int _lambda;
    private readonly int _mu;
    private readonly double[] _weights;
    private readonly double _muEff, _cc, _cs, _c1, _cmu, _damps, _chiN;
    private readonly Random _rng;
    private Vector<double> _mean;
    private double _sigma;
    private Matrix<double> _c;
    private Vector<double> _pc, _ps;
    private Matrix<double> _b;
    private Vector<double> _d;
    private int _generation;
    private int _eigenAt;

    public Cmaes(IReadOnlyList<double> start, double sigma, Random rng, int? lambda = null)
    {
        _n = start.Count;
        _lambda = lambda ?? DefaultLambda(_n);
        _mu = _lambda / 2;
        var raw = Enumerable.Range(0, _mu).Select(i => Math.Log((_lambda + 1) / 2.0) - Math.Log(i + 1)).ToArray();
        var sum = raw.Sum();
        _weights = [.. raw.Select(w => w / sum)];
        _muEff = 1 / _weights.Sum(w => w * w);
        _cc = (4 + _muEff / _n) / (_n + 4 + 2 * _muEff / _n);
        _cs = (_muEff + 2) / (_n + _muEff + 5);
        _c1 = 2 / ((_n + 1.3) * (_n + 1.3) + _muEff);
        _cmu = Math.Min(1 - _c1, 2 * (_muEff - 2 + 1 / _muEff) / ((_n + 2) * (_n + 2) + _muEff));
        _damps = 1 + 2 * Math.Max(0, Math.Sqrt((_muEff - 1) / (_n + 1)) - 1) + _cs;
        _chiN = Math.Sqrt(_n) * (1 - 1.0 / (4 * _n) + 1.0 / (21.0 * _n * _n));
        _rng = rng;
        _mean = Vector<double>.Build.DenseOfEnumerable(start);
        _sigma = sigma;
        _c = Matrix<double>.Build.DenseIdentity(_n);
        _b = Matrix<double>.Build.DenseIdentity(_n);
        _d = Vector<double>.Build.Dense(_n, 1);
        _pc = Vector<double>.Build.Dense(_n);
        _ps = Vector<double>.Build.Dense(_n);
    }

    /// <summary>The tutorial's population for <paramref name="n"/> dimensions: 4 + floor(3 ln n).</summary>
    public static int DefaultLambda(int n) => 4 + (int)(3 * Math.Log(n));

    public int Lambda => _lambda;

    public int Generation => _generation;

    public IReadOnlyList<double> Mean => [.. _mean];

    /// <summary>The step size times the largest standard deviation of C: how far the search still looks.</summary>
    public double Spread => _sigma * Math.Sqrt(_c.Diagonal().Maximum());

    /// <summary>The condition number of C: too large (1e14) and its update is no longer reliable.</summary>
    public double Condition => _d.Maximum() * _d.Maximum() / Math.Max(_d.Minimum() * _d.Minimum(), double.Epsilon);

    /// <summary>The next generation's lambda points.</summary>
    public double[][] Ask()
    {
        var points = new double[_lambda][];
        for (var k = 0; k < _lambda; k++)
        {
            var z = Vector<double>.Build.Dense(_n, _ => Normal());
            points[k] = [.. _mean + _sigma * (_b * _d.PointwiseMultiply(z))];
        }
        return points;
    }

    /// <summary>Updates the distribution from the generation's points and their objective values (lower is better).</summary>
    public void Tell(double[][] points, double[] values)
    {
        _generation++;
        var order = Enumerable.Range(0, points.Length).OrderBy(k => values[k]).ThenBy(k => k).ToArray();
        var old = _mean;
        _mean = Vector<double>.Build.Dense(_n);
        for (var i = 0; i < _mu; i++)
        {
            _mean += _weights[i] * Vector<double>.Build.DenseOfArray(points[order[i]]);
        }
        var step = (_mean - old) / _sigma;
        // C^(-1/2) step = B D^-1 B' step.
        var invSqrt = _b * Matrix<double>.Build.DenseOfDiagonalVector(_d.Map(v => 1 / v)) * _b.Transpose();
        _ps = (1 - _cs) * _ps + Math.Sqrt(_cs * (2 - _cs) * _muEff) * (invSqrt * step);
        var hsig = _ps.L2Norm() / Math.Sqrt(1 - Math.Pow(1 - _cs, 2 * _generation)) / _chiN < 1.4 + 2.0 / (_n + 1) ? 1.0 : 0.0;
        _pc = (1 - _cc) * _pc + hsig * Math.Sqrt(_cc * (2 - _cc) * _muEff) * step;

        var rankMu = Matrix<double>.Build.Dense(_n, _n);
        for (var i = 0; i < _mu; i++)
        {
            var y = (Vector<double>.Build.DenseOfArray(points[order[i]]) - old) / _sigma;
            rankMu += _weights[i] * y.OuterProduct(y);
        }
        _c = (1 - _c1 - _cmu) * _c
            + _c1 * (_pc.OuterProduct(_pc) + (1 - hsig) * _cc * (2 - _cc) * _c)
            + _cmu * rankMu;
        _sigma *= Math.Exp(Math.Min(1, (_cs / _damps) * (_ps.L2Norm() / _chiN - 1)));

        // Decompose C again every few generations (its cost is n^3; the lag is the tutorial's).
        if (_generation - _eigenAt > _lambda / (_c1 + _cmu) / _n / 10)
        {
            _eigenAt = _generation;
            _c = (_c + _c.Transpose()) / 2;
            var evd = _c.Evd(Symmetricity.Symmetric);
            _b = evd.EigenVectors;
            _d = Vector<double>.Build.DenseOfEnumerable(evd.EigenValues.Select(e => Math.Sqrt(Math.Max(e.Real, 1e-20))));
        }
    }

    private double Normal()
    {
        var u1 = 1 - _rng.NextDouble();
        var u2 = _rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
