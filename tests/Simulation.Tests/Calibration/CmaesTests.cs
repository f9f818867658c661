using Simulation.Calibration;
using Simulation.Model.Randomness;

namespace Simulation.Tests.Calibration;

/// <summary>CMA-ES on functions whose minimum is known.</summary>
public sealed class CmaesTests
{
    private static (double[] Best, double Value, int Evaluations) Minimise(Func<double[], double> f, double[] start, double sigma, int budget, ulong seed = 1)
    {
        var cmaes = new Cmaes(start, sigma, RandomStreams.For(seed, "cmaes-test", 0, "draws"));
        var best = start;
        var bestValue = f(start);
        var spent = 0;
        while (spent < budget && cmaes.Spread > 1e-10)
        {
            var points = cmaes.Ask();
            var values = points.Select(f).ToArray();
            spent += points.Length;
            for (var k = 0; k < points.Length; k++)
            {
                if (values[k] < bestValue)
                {
                    (best, bestValue) = (points[k], values[k]);
                }
            }
            cmaes.Tell(points, values);
        }
        return (best, bestValue, spent);
    }

    [Fact]
    public void It_finds_the_minimum_of_a_shifted_sphere_in_ten_dimensions()
    {
        var centre = Enumerable.Range(0, 10).Select(i => 0.1 * i).ToArray();

        var (best, value, _) = Minimise(x => x.Select((v, i) => (v - centre[i]) * (v - centre[i])).Sum(), new double[10], 0.5, 20_000);

        Assert.True(value < 1e-12, $"{value}");
        Assert.All(best.Select((v, i) => Math.Abs(v - centre[i])), d => Assert.True(d < 1e-5));
    }

    [Fact]
    public void It_follows_the_curved_valley_of_the_rosenbrock_function()
    {
        static double Rosenbrock(double[] x)
        {
            var sum = 0.0;
            for (var i = 0; i + 1 < x.Length; i++)
            {
                sum += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2);
            }
            return sum;
        }

        var (best, value, _) = Minimise(Rosenbrock, new double[6], 0.3, 60_000);

        Assert.True(value < 1e-8, $"{value}");
        Assert.All(best, v => Assert.Equal(1, v, 3));
    }

    [Fact]
    public void It_learns_an_ill_conditioned_ellipsoid_where_coordinate_steps_stall()
    {
        // Condition number 1e6, rotated by mixing pairs of coordinates: the covariance must learn the axes.
        static double Ellipsoid(double[] x)
        {
            var sum = 0.0;
            for (var i = 0; i < x.Length; i++)
            {
                var y = i % 2 == 0 && i + 1 < x.Length ? (x[i] + x[i + 1]) / Math.Sqrt(2) : i % 2 == 1 ? (x[i] - x[i - 1]) / Math.Sqrt(2) : x[i];
                sum += Math.Pow(1e6, i / (x.Length - 1.0)) * y * y;
            }
            return sum;
        }

        var (_, value, _) = Minimise(Ellipsoid, Enumerable.Repeat(1.0, 8).ToArray(), 0.5, 40_000);

        Assert.True(value < 1e-10, $"{value}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_search()
    {
        static double Sphere(double[] x) => x.Sum(v => v * v);

        var first = Minimise(Sphere, [1, 2, 3], 0.5, 300, seed: 7);
        var second = Minimise(Sphere, [1, 2, 3], 0.5, 300, seed: 7);

        Assert.Equal(first.Best, second.Best);
        Assert.Equal(first.Evaluations, second.Evaluations);
    }
}
