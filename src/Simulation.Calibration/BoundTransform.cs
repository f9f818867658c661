namespace Simulation.Calibration;

/// <summary>
/// Maps any real number onto [0, 1] the way pycma's <c>BoxConstraintsLinQuadTransformation</c> does (Hansen's CMA-ES
/// package): the identity in the core [a, 1 - a], a quadratic within a of each bound whose slope falls to zero at the
/// bound, mirrored beyond, and periodic. CMA-ES searches the whole line and evaluates the objective at the image, so
/// an optimum on a bound is a smooth, flat minimum it can settle in, instead of a wall half its samples hit (as with a
/// penalty). a = 0.05, pycma's min(1/2, (1 + |lower|)/20) for [0, 1].
/// </summary>
public static class BoundTransform
{
    public const double Margin = 0.05;

    public static double ToBox(double y)
    {
        const double a = Margin;
        // Shift into one period, [-2a - 1/2, 3/2 + 2a), of length 2 (1 + 2a).
        const double period = 2 * (1 + 2 * a);
        const double low = -2 * a - 0.5;
        if (y < low || y >= low + period)
        {
            y -= period * Math.Floor((y - low) / period);
        }
        if (y > 1 + a)
        {
            y -= 2 * (y - 1 - a);
        }
        if (y < -a)
        {
            y += 2 * (-a - y);
        }
        if (y < a)
        {
            return (y + a) * (y + a) / (4 * a);
        }
        if (y > 1 - a)
        {
            return 1 - (y - 1 - a) * (y - 1 - a) / (4 * a);
        }
        return y;
    }

    /// <summary>The point of [-a, 1 + a] that maps to <paramref name="x"/> in [0, 1]: where a search starts to reach it.</summary>
    public static double FromBox(double x)
    {
        const double a = Margin;
        x = Math.Clamp(x, 0, 1);
        if (x < a)
        {
            return -a + Math.Sqrt(4 * a * x);
        }
        if (x > 1 - a)
        {
            return 1 + a - Math.Sqrt(4 * a * (1 - x));
        }
        return x;
    }
}
