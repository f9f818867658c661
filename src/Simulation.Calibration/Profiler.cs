using System.Globalization;

namespace Simulation.Calibration;

public sealed record ProfileOptions
{
    /// <summary>Grid points per parameter, evenly spaced over its fit range (bounds included); the file's value is added.</summary>
    public int Points { get; init; } = 9;

    /// <summary>Iterations of the bounded BFGS at each grid point.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Walks run at once (each a sequence of minimisations); the results do not depend on it.</summary>
    public int Parallel { get; init; } = Environment.ProcessorCount;
}

/// <summary>One point of a profile: the parameter fixed at <paramref name="Value"/>, the others at their optimum <paramref name="Values"/>.</summary>
/// <param name="Delta">The profile: the least objective there minus the objective at the file's values (deviance units, -2 Δ ln L).</param>
/// <param name="Values">Every parameter, in file order (the profiled one at <paramref name="Value"/>).</param>
/// <param name="AtFile">The file's own value of the parameter (not a grid point, or a grid point that is it).</param>
public sealed record ProfilePoint(double Value, double Delta, double Objective, IReadOnlyList<double> Values, int Evaluations, bool AtFile);

public enum ProfileVerdict
{
    /// <summary>The profile exceeds the threshold on both sides within the range.</summary>
    Identified,
    /// <summary>Exceeds it below the file's value only: no upper limit within the range.</summary>
    BoundedBelowOnly,
    /// <summary>Exceeds it above the file's value only: no lower limit within the range.</summary>
    BoundedAboveOnly,
    /// <summary>Stays within it over the whole range.</summary>
    NotIdentified,
}

/// <summary>
/// A parameter's profile likelihood and what it says (Raue et al. 2009): the points in ascending order, the 95 % interval's
/// ends where the profile crosses <see cref="Profiler.Threshold"/> (linear between grid points; null where it does not
/// within the range), whether the file's value is within 1 % of the range of a bound, and the lowest point when it lies
/// more than <see cref="Profiler.Tolerance"/> below the file's value (the file is then not at the optimum).
/// </summary>
public sealed record ParameterProfile(FitParameter Parameter, int Index, double FileValue, IReadOnlyList<ProfilePoint> Points,
    ProfileVerdict Verdict, double? Lower, double? Upper, bool AtBound, ProfilePoint? Better)
{
    /// <summary>The profile at the ends of the range (the grid points at min and max).</summary>
    public double DeltaAtMin => Points[0].Delta;

    public double DeltaAtMax => Points[^1].Delta;

    /// <summary>The verdict's short name: identified, bounded below only, bounded above only, not identified.</summary>
    public string VerdictName => Verdict switch
    {
        ProfileVerdict.Identified => "identified",
        ProfileVerdict.BoundedBelowOnly => "bounded below only",
        ProfileVerdict.BoundedAboveOnly => "bounded above only",
        _ => "not identified",
    };

    /// <summary>The verdict in words, with the notes (at a bound; not the optimum).</summary>
    public string VerdictText
    {
        get
        {
            var t = Profiler.ThresholdText;
            var text = Verdict switch
            {
                ProfileVerdict.Identified => $"identified: 95 % interval [{G(Lower!.Value)}, {G(Upper!.Value)}]",
                ProfileVerdict.BoundedBelowOnly => $"bounded below only: 95 % interval from {G(Lower!.Value)}, no upper limit within the range (the profile stays within {t} up to {G(Parameter.Max)})",
                ProfileVerdict.BoundedAboveOnly => $"bounded above only: 95 % interval up to {G(Upper!.Value)}, no lower limit within the range (the profile stays within {t} down to {G(Parameter.Min)})",
                _ => $"not identified: the profile stays within {t} over the whole range [{G(Parameter.Min)}, {G(Parameter.Max)}]",
            };
            if (AtBound)
            {
                text += $"; at a bound: the file's value is within 1 % of the range of {(FileValue - Parameter.Min <= Parameter.Max - FileValue ? "min" : "max")}";
            }
            if (Better is { } b)
            {
                text += $"; the file's value is not the optimum: a better point at {G(b.Value)} (Δ = {b.Delta.ToString("0.###", CultureInfo.InvariantCulture)}; run sim calibrate again)";
            }
            return text;
        }
    }

    /// <summary>The interval as the table shows it: [a, b]; an end where the profile does not cross is the range's bound, written ( or ).</summary>
    public string IntervalText => Verdict == ProfileVerdict.NotIdentified
        ? "-"
        : $"{(Lower is { } a ? "[" + G(a) : "(" + G(Parameter.Min))}, {(Upper is { } b ? G(b) + "]" : G(Parameter.Max) + ")")}";

    /// <summary>A value as the verdicts write it: 4 significant digits.</summary>
    public static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}

/// <summary>What the profile has done: <paramref name="Done"/> of <paramref name="Total"/> points, the last of them <paramref name="Point"/> of parameter <paramref name="Index"/>.</summary>
public sealed record ProfileProgress(int Done, int Total, int Index, ProfilePoint Point);

public sealed record ProfileResult(IReadOnlyList<FitParameter> Parameters, IReadOnlyList<double> FileValues, double Reference,
    IReadOnlyList<ParameterProfile> Profiles, int Evaluations);

/// <summary>
/// Profile likelihoods of a scenario's fitted parameters (Raue et al. 2009, Bioinformatics 25(15):1923): for each
/// parameter, the least objective (<see cref="Calibrator.Objective"/>, -2 ln(likelihood x prior)) with the parameter fixed
/// at each point of a grid over its fit range and the file's value, the others minimised by
/// <see cref="Calibrator.MinimiseWith"/>. The walks start at the file's value (the others minimised there too) and go
/// outwards, down and up, each point starting from its inner neighbour's optimum. Every walk is sequential and its path
/// depends only on its inputs; walks of different parameters and directions run in parallel, so the result is the
/// same on any number of cores.
/// </summary>
public sealed class Profiler(Calibrator calibrator, ProfileOptions? options = null)
{
    /// <summary>The chi-squared (1 degree of freedom) 95 % quantile: a profile above it lies outside the 95 % interval.</summary>
    public static readonly double Threshold = MathNet.Numerics.Distributions.ChiSquared.InvCDF(1, 0.95);

    public static string ThresholdText => Threshold.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A point this far below the file's value says the file is not at the optimum (deviance units).</summary>
    public const double Tolerance = 0.1;

    /// <summary>Within this share of the range of a bound, the file's value is at the bound.</summary>
    public const double BoundShare = 0.01;

    private readonly ProfileOptions _options = options ?? new ProfileOptions();

    /// <summary>
    /// The grid of a parameter: <see cref="ProfileOptions.Points"/> values evenly spaced from min to max in the
    /// calibration's unit coordinates (<see cref="UnitSpace"/>: on the log scale for a positive range of ten times or more).
    /// </summary>
    public static IReadOnlyList<double> Grid(FitParameter p, int points)
    {
        var space = new UnitSpace([p]);
        return [.. Enumerable.Range(0, points).Select(j => j == 0 ? p.Min : j == points - 1 ? p.Max : space.FromUnit(0, (double)j / (points - 1)))];
    }

    /// <summary>Profiles the parameters at <paramref name="indices"/> (file order; default every one).</summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<ProfileResult> RunAsync(IReadOnlyList<int>? indices = null, IProgress<ProfileProgress>? progress = null, CancellationToken ct = default)
    {
        if (_options.Points < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"a profile needs at least 3 points, got {_options.Points}");
        }
        var parameters = calibrator.Parameters;
        var chosen = indices ?? [.. Enumerable.Range(0, parameters.Count)];
        var file = calibrator.FileValues;
        var reference = calibrator.Objective(file, ct);
        var grids = chosen.Select(i => Grid(parameters[i], _options.Points)).ToList();
        var total = Enumerable.Range(0, chosen.Count).Sum(k => 1 + grids[k].Count(x => !Same(x, file[chosen[k]], parameters[chosen[k]])));
        var done = 0;
        using var gate = new SemaphoreSlim(Math.Max(1, _options.Parallel));
        var evaluations = 0;

        ProfilePoint Point(int index, double value, IReadOnlyList<double> start, bool atFile)
        {
            var from = start.ToArray();
            from[index] = value;
            var free = Enumerable.Range(0, parameters.Count).Select(i => i != index).ToArray();
            var m = calibrator.MinimiseWith(from, free, _options.MaxIterations, ct);
            Interlocked.Add(ref evaluations, m.Evaluations);
            var point = new ProfilePoint(value, m.Objective - reference, m.Objective, m.Values, m.Evaluations, atFile);
            progress?.Report(new ProfileProgress(Interlocked.Increment(ref done), total, index, point));
            return point;
        }

        async Task<T> Gated<T>(Func<T> work)
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await Task.Run(work, ct).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }

        async Task<ParameterProfile> Profile(int k)
        {
            var index = chosen[k];
            var p = parameters[index];
            var grid = grids[k];
            var centre = await Gated(() => Point(index, file[index], file, atFile: true)).ConfigureAwait(false);
            List<ProfilePoint> Walk(IEnumerable<double> values)
            {
                var walked = new List<ProfilePoint>();
                var previous = centre;
                foreach (var x in values)
                {
                    previous = Point(index, x, previous.Values, atFile: false);
                    walked.Add(previous);
                }
                return walked;
            }
            var fileValue = file[index];
            var below = grid.Where(x => x < fileValue && !Same(x, fileValue, p)).Reverse().ToList();
            var above = grid.Where(x => x > fileValue && !Same(x, fileValue, p)).ToList();
            var down = Gated(() => Walk(below));
            var up = Gated(() => Walk(above));
            var walks = await Task.WhenAll(down, up).ConfigureAwait(false);
            var points = walks[0].AsEnumerable().Reverse().Append(centre).Concat(walks[1]).ToList();
            return Judge(p, index, fileValue, points);
        }

        var profiles = await Task.WhenAll(Enumerable.Range(0, chosen.Count).Select(Profile)).ConfigureAwait(false);
        return new ProfileResult(parameters, file, reference, profiles, evaluations);
    }

    /// <summary>A grid value that is the file's value (to rounding): the file's point stands for it.</summary>
    private static bool Same(double x, double fileValue, FitParameter p) => Math.Abs(x - fileValue) <= 1e-9 * p.Range;

    /// <summary>
    /// The verdict on a profile (<paramref name="points"/> in ascending order of value, one of them the file's): walking
    /// outwards from the file's value, the first point above <see cref="Threshold"/> on each side bounds the 95 % interval,
    /// its end found by linear interpolation from the point inside. Pure.
    /// </summary>
    public static ParameterProfile Judge(FitParameter p, int index, double fileValue, IReadOnlyList<ProfilePoint> points)
    {
        var centre = points.Select((x, i) => (x, i)).First(x => x.x.AtFile).i;
        double? Crossing(int step)
        {
            for (var i = centre + step; i >= 0 && i < points.Count; i += step)
            {
                var (inner, outer) = (points[i - step], points[i]);
                if (outer.Delta > Threshold)
                {
                    // inner.Delta <= Threshold: the first crossing outwards.
                    var share = (Threshold - inner.Delta) / (outer.Delta - inner.Delta);
                    return inner.Value + Math.Clamp(share, 0, 1) * (outer.Value - inner.Value);
                }
            }
            return null;
        }
        var lower = Crossing(-1);
        var upper = Crossing(+1);
        var verdict = (lower, upper) switch
        {
            ({ }, { }) => ProfileVerdict.Identified,
            ({ }, null) => ProfileVerdict.BoundedBelowOnly,
            (null, { }) => ProfileVerdict.BoundedAboveOnly,
            _ => ProfileVerdict.NotIdentified,
        };
        var atBound = fileValue - p.Min <= BoundShare * p.Range || p.Max - fileValue <= BoundShare * p.Range;
        var lowest = points.MinBy(x => x.Delta)!;
        var better = lowest.Delta < -Tolerance ? lowest : null;
        return new ParameterProfile(p, index, fileValue, points, verdict, lower, upper, atBound, better);
    }
}
