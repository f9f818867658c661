namespace Simulation.Calibration;

/// <summary>
/// The coordinates the calibrator and the posterior sampler move in: each free parameter mapped onto [0, 1], linearly (u = (x - min)/(max - min)),
/// or, for a positive number whose range spans a factor of ten or more, on the log scale
/// (u = ln(x/min) / ln(max/min)), where a rate or a market size that is known only to its order of magnitude has a
/// posterior closer to a straight, even ridge. A density over x becomes one over u by the Jacobian |dx/du|, proportional
/// to x on the log scale: <see cref="LogJacobian"/>.
/// </summary>
public sealed class UnitSpace
{
    /// <summary>The smallest ratio max/min that puts a positive parameter on the log scale.</summary>
    public const double LogScaleRatio = 10;

    private readonly IReadOnlyList<FitParameter> _parameters;
    private readonly bool[] _log;

    public UnitSpace(IReadOnlyList<FitParameter> parameters)
    {
        _parameters = parameters;
        _log = [.. parameters.Select(p => p.Min > 0 && p.Max / p.Min >= LogScaleRatio)];
    }

    public int Dimension => _parameters.Count;

    /// <summary>Whether parameter <paramref name="i"/> moves on the log scale.</summary>
    public bool IsLog(int i) => _log[i];

    public double ToUnit(int i, double x)
    {
        var p = _parameters[i];
        return _log[i] ? Math.Log(x / p.Min) / Math.Log(p.Max / p.Min) : (x - p.Min) / p.Range;
    }

    public double FromUnit(int i, double u)
    {
        var p = _parameters[i];
        return _log[i] ? p.Min * Math.Exp(u * Math.Log(p.Max / p.Min)) : p.Min + p.Range * u;
    }

    public double[] ToUnit(IReadOnlyList<double> x) => [.. x.Select((v, i) => ToUnit(i, v))];

    public double[] FromUnit(IReadOnlyList<double> u) => [.. u.Select((v, i) => FromUnit(i, v))];

    /// <summary>ln |dx/du| up to a constant: the sum of ln x over the log-scale parameters.</summary>
    public double LogJacobian(IReadOnlyList<double> x)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Count; i++)
        {
            if (_log[i])
            {
                sum += Math.Log(x[i]);
            }
        }
        return sum;
    }
}
