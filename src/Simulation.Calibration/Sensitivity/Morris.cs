using MathNet.Numerics;
using MathNet.Numerics.Statistics;
using Simulation.Model.Randomness;

namespace Simulation.Calibration.Sensitivity;

/// <summary>
/// One Morris trajectory in the unit cube: <see cref="Points"/> has k + 1 points, and point j + 1 differs from
/// point j in factor <see cref="Order"/>[j] alone, by +Delta or -Delta.
/// </summary>
public sealed record MorrisTrajectory(IReadOnlyList<double[]> Points, IReadOnlyList<int> Order);

/// <summary>A factor's elementary effects: mu (mean), mu* (mean of absolute values), sigma (standard deviation) and how many were finite.</summary>
public sealed record MorrisEffect(int Factor, double Mu, double MuStar, double Sigma, int Count);

/// <summary>
/// Morris screening (Morris 1991) with the mu* of Campolongo, Cariboni and Saltelli (2007): on a grid of
/// <c>levels</c> values per factor in [0, 1] and a step Delta = levels / (2 (levels - 1)), each trajectory starts
/// at a random grid point and moves each factor once, in a random order, by Delta (up where it fits, else down).
/// The elementary effect of a factor is the change in the output over its step. Deterministic for a seed.
/// </summary>
public static class Morris
{
    public static double Delta(int levels) => levels / (2.0 * (levels - 1));

    public static IReadOnlyList<MorrisTrajectory> Design(int factors, int trajectories, int levels, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factors, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(trajectories, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 2);
        var delta = Delta(levels);
        var result = new List<MorrisTrajectory>(trajectories);
        for (var t = 0; t < trajectories; t++)
        {
            var rng = RandomStreams.For(seed, "morris", t, "trajectory");
            var start = Enumerable.Range(0, factors).Select(_ => rng.Next(levels) / (double)(levels - 1)).ToArray();
            var order = Combinatorics.GeneratePermutation(factors, rng);
            var points = new List<double[]> { start };
            foreach (var factor in order)
            {
                var next = (double[])points[^1].Clone();
                next[factor] += next[factor] + delta <= 1 + 1e-12 ? delta : -delta;
                points.Add(next);
            }
            result.Add(new MorrisTrajectory(points, order));
        }
        return result;
    }

    /// <summary>
    /// The statistics of every factor's elementary effects. <paramref name="outputs"/>[t][j] is the output at
    /// point j of trajectory t; <paramref name="scale"/>[i] multiplies factor i's effects (e.g. to elasticity
    /// units). Effects that are not finite (a point that could not be played) are left out of the statistics.
    /// </summary>
    public static IReadOnlyList<MorrisEffect> Effects(IReadOnlyList<MorrisTrajectory> design, IReadOnlyList<IReadOnlyList<double>> outputs, IReadOnlyList<double>? scale = null)
    {
        var factors = design[0].Order.Count;
        var effects = Enumerable.Range(0, factors).Select(_ => new List<double>()).ToArray();
        for (var t = 0; t < design.Count; t++)
        {
            var trajectory = design[t];
            for (var j = 0; j < trajectory.Order.Count; j++)
            {
                var factor = trajectory.Order[j];
                var step = trajectory.Points[j + 1][factor] - trajectory.Points[j][factor];
                var effect = (outputs[t][j + 1] - outputs[t][j]) / step * (scale?[factor] ?? 1);
                if (double.IsFinite(effect))
                {
                    effects[factor].Add(effect);
                }
            }
        }
        return [.. effects.Select((e, i) => e.Count == 0
            ? new MorrisEffect(i, double.NaN, double.NaN, double.NaN, 0)
            : new MorrisEffect(i, e.Mean(), e.Select(Math.Abs).Mean(), e.Count > 1 ? e.StandardDeviation() : 0, e.Count))];
    }
}
