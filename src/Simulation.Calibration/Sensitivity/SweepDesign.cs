using System.Globalization;
using MathNet.Numerics;
using Simulation.Model.Randomness;

namespace Simulation.Calibration.Sensitivity;

/// <summary>A parameter's range in a sweep: <c>PATH=FROM:TO:STEPS</c> (grid) or <c>PATH=FROM:TO</c> (Latin hypercube).</summary>
public sealed record SweepRange(string Path, double From, double To, int? Steps)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Path}={From:R}:{To:R}{(Steps is { } s ? $":{s}" : "")}");

    /// <exception cref="FormatException">Not <c>PATH=FROM:TO[:STEPS]</c> with numbers and STEPS a whole number of at least 1.</exception>
    public static SweepRange Parse(string text)
    {
        var eq = text.IndexOf('=');
        var path = eq > 0 ? text[..eq].Trim() : "";
        var parts = eq > 0 ? text[(eq + 1)..].Split(':') : [];
        if (path.Length == 0 || parts.Length is not (2 or 3))
        {
            throw new FormatException($"--param '{text}': expected PATH=FROM:TO:STEPS (a grid) or PATH=FROM:TO (with --design lhs)");
        }
        var from = Number(text, parts[0], "FROM");
        var to = Number(text, parts[1], "TO");
        int? steps = null;
        if (parts.Length == 3)
        {
            steps = int.TryParse(parts[2].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s >= 1
                ? s
                : throw new FormatException($"--param '{text}': STEPS must be a whole number of at least 1, got '{parts[2]}'");
        }
        return new SweepRange(path, from, to, steps);
    }

    /// <summary>STEPS values from FROM to TO inclusive, evenly spaced (FROM alone for one step).</summary>
    public IReadOnlyList<double> GridValues()
    {
        var steps = Steps ?? throw new InvalidOperationException($"{Path}: a grid needs STEPS");
        return steps == 1 ? [From] : [.. Enumerable.Range(0, steps).Select(k => k == steps - 1 ? To : From + (To - From) * k / (steps - 1))];
    }

    private static double Number(string text, string part, string what) =>
        double.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new FormatException($"--param '{text}': {what} must be a number, got '{part}'");
}

/// <summary>The points a sweep plays: a full grid, or a Latin hypercube sample.</summary>
public static class SweepDesign
{
    /// <summary>More points than this is surely a mistake on the command line.</summary>
    public const int MaxPoints = 100_000;

    /// <summary>The cartesian product of the ranges' grid values; the first range varies slowest.</summary>
    public static IReadOnlyList<IReadOnlyList<ParameterValue>> Grid(IReadOnlyList<SweepRange> ranges)
    {
        var total = ranges.Aggregate(1L, (n, r) => n * (r.Steps ?? 1));
        if (total > MaxPoints)
        {
            throw new FormatException($"the grid has {total:N0} points (more than {MaxPoints:N0}): use fewer steps, or --design lhs --samples N");
        }
        IEnumerable<IReadOnlyList<ParameterValue>> points = [[]];
        foreach (var range in ranges)
        {
            var values = range.GridValues();
            points = points.SelectMany(p => values.Select(v => (IReadOnlyList<ParameterValue>)[.. p, new ParameterValue(range.Path, v)]));
        }
        return [.. points];
    }

    /// <summary>
    /// A Latin hypercube of <paramref name="samples"/> points: each range is cut into as many equal strata and
    /// every stratum holds exactly one point's value, at a uniform place within it. Permutations (MathNet) and
    /// places come from <see cref="RandomStreams"/> of <paramref name="seed"/>, so the same seed gives the same design.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ParameterValue>> LatinHypercube(IReadOnlyList<SweepRange> ranges, int samples, ulong seed)
    {
        if (samples is < 1 or > MaxPoints)
        {
            throw new FormatException($"--samples must be between 1 and {MaxPoints:N0}, got {samples}");
        }
        var columns = new double[ranges.Count][];
        for (var j = 0; j < ranges.Count; j++)
        {
            var strata = Combinatorics.GeneratePermutation(samples, RandomStreams.For(seed, "lhs", j, "strata"));
            var jitter = RandomStreams.For(seed, "lhs", j, "jitter");
            var (from, to) = (ranges[j].From, ranges[j].To);
            columns[j] = [.. strata.Select(s => from + (to - from) * (s + jitter.NextDouble()) / samples)];
        }
        return [.. Enumerable.Range(0, samples).Select(i => (IReadOnlyList<ParameterValue>)[.. ranges.Select((r, j) => new ParameterValue(r.Path, columns[j][i]))])];
    }
}
