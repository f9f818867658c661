using MathNet.Numerics.Statistics;

namespace Simulation.Model.Metrics;

/// <summary>
/// Streaming estimate of a few quantiles in bounded memory: exact up to <see cref="ExactCapacity"/>
/// values, then the extended P-square algorithm (Jain and Chlamtac 1985; several quantiles at once
/// with 2m + 3 markers as in Raatikainen 1987), its markers started from the sorted exact buffer.
/// </summary>
/// <remarks>
/// Exact means <see cref="Quantiles"/> (type 7: linear interpolation between order
/// statistics, position 1 + (n - 1) p), the definition P-square's desired marker positions follow.
/// The markers keep their heights ordered, so the estimates never cross (p5 &lt;= p50 &lt;= p95). The
/// estimate depends on the order values arrive in: fold them in a fixed order for reproducible results.
/// </remarks>
public sealed class QuantileSketch
{
    /// <summary>
    /// Values kept and answered exactly before the markers take over: batches of up to 256 runs get exact
    /// quantiles; past that a cell holds 27 doubles instead, however many runs follow (README, "Monte Carlo").
    /// </summary>
    public const int DefaultExactCapacity = 256;

    private readonly double[] _probabilities;
    private readonly double[] _fractions;
    private readonly int _exactCapacity;
    private double[]? _buffer;
    private double[]? _heights;
    private double[]? _positions;
    private double[]? _desired;

    public QuantileSketch(IReadOnlyList<double> probabilities, int exactCapacity = DefaultExactCapacity)
    {
        if (probabilities.Count == 0 || probabilities.Any(p => p <= 0 || p >= 1) || probabilities.Zip(probabilities.Skip(1)).Any(t => t.First >= t.Second))
        {
            throw new ArgumentException("probabilities must be increasing and inside (0, 1)", nameof(probabilities));
        }
        _probabilities = [.. probabilities];
        _fractions = MarkerFractions(_probabilities);
        _exactCapacity = Math.Max(exactCapacity, _fractions.Length);
        _buffer = new double[Math.Min(_exactCapacity, 8)];
    }

    public long Count { get; private set; }

    /// <summary>Doubles held now: the exact buffer while it fills, then four per marker. Never grows past the start-up buffer.</summary>
    public int RetainedValues => _buffer?.Length ?? 3 * _fractions.Length;

    public void Add(double x)
    {
        if (double.IsNaN(x))
        {
            throw new ArgumentException("NaN cannot be ranked", nameof(x));
        }
        if (_buffer is not null)
        {
            if (Count < _exactCapacity)
            {
                if (Count == _buffer.Length)
                {
                    Array.Resize(ref _buffer, Math.Min(_exactCapacity, _buffer.Length * 2));
                }
                _buffer[Count++] = x;
                return;
            }
            StartMarkers();
        }
        Update(x);
    }

    /// <summary>The estimate of the <paramref name="k"/>-th probability given to the constructor (NaN when empty).</summary>
    public double Quantile(int k)
    {
        if (Count == 0)
        {
            return double.NaN;
        }
        if (_buffer is not null)
        {
            var sorted = _buffer[..(int)Count];
            Array.Sort(sorted);
            return Quantiles.OfSorted(sorted, _probabilities[k]);
        }
        return _heights![2 * k + 2];
    }

    /// <summary>0, then each probability with midpoints between neighbours, then 1.</summary>
    private static double[] MarkerFractions(double[] p)
    {
        var f = new List<double> { 0, p[0] / 2 };
        for (var i = 0; i < p.Length; i++)
        {
            f.Add(p[i]);
            f.Add(((i + 1 < p.Length ? p[i + 1] : 1) + p[i]) / 2);
        }
        f.Add(1);
        return [.. f];
    }

    /// <summary>Places the markers on order statistics of the sorted buffer nearest their desired positions.</summary>
    private void StartMarkers()
    {
        var n = (int)Count;
        var sorted = _buffer![..n];
        Array.Sort(sorted);
        var m = _fractions.Length;
        _heights = new double[m];
        _positions = new double[m];
        _desired = new double[m];
        for (var i = 0; i < m; i++)
        {
            _desired[i] = 1 + (n - 1) * _fractions[i];
            // Strictly increasing integer positions: at least one past the previous marker, leaving room for the rest.
            var position = Math.Clamp(Math.Round(_desired[i]), i == 0 ? 1 : _positions[i - 1] + 1, n - (m - 1 - i));
            _positions[i] = position;
            _heights[i] = sorted[(int)position - 1];
        }
        _buffer = null;
    }

    private void Update(double x)
    {
        var q = _heights!;
        var n = _positions!;
        var m = q.Length;
        int cell;
        if (x < q[0])
        {
            q[0] = x;
            cell = 0;
        }
        else if (x >= q[m - 1])
        {
            q[m - 1] = x;
            cell = m - 2;
        }
        else
        {
            cell = 0;
            while (x >= q[cell + 1])
            {
                cell++;
            }
        }
        for (var i = cell + 1; i < m; i++)
        {
            n[i]++;
        }
        for (var i = 0; i < m; i++)
        {
            _desired![i] += _fractions[i];
        }
        Count++;
        for (var i = 1; i < m - 1; i++)
        {
            var d = _desired![i] - n[i];
            if ((d >= 1 && n[i + 1] - n[i] > 1) || (d <= -1 && n[i - 1] - n[i] < -1))
            {
                var s = Math.Sign(d);
                var parabolic = Parabolic(q, n, i, s);
                q[i] = q[i - 1] < parabolic && parabolic < q[i + 1] ? parabolic : Linear(q, n, i, s);
                n[i] += s;
            }
        }
    }

    private static double Parabolic(double[] q, double[] n, int i, int s) =>
        q[i] + s / (n[i + 1] - n[i - 1]) * (
            (n[i] - n[i - 1] + s) * (q[i + 1] - q[i]) / (n[i + 1] - n[i]) +
            (n[i + 1] - n[i] - s) * (q[i] - q[i - 1]) / (n[i] - n[i - 1]));

    private static double Linear(double[] q, double[] n, int i, int s) => q[i] + s * (q[i + s] - q[i]) / (n[i + s] - n[i]);
}
