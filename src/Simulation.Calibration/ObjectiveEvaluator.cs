using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Simulation.Calibration;

/// <summary>
/// What one evaluation of a <see cref="Calibrator"/>'s objective needs besides the parameter values: the scenario text with
/// its fit parameters (and where it was read, for its <c>extends</c> and <c>seeds/</c>), the number of seeds it averages
/// over and the targets it counts (null: all in the fit). <see cref="Key"/> names it (a SHA-256 of all of it), so an evaluator elsewhere can keep a prepared
/// <see cref="Calibrator"/> per problem and be sent only the values.
/// </summary>
public sealed class ObjectiveProblem
{
    public ObjectiveProblem(ScenarioText text, int seeds, IReadOnlyList<string>? targets = null)
    {
        Text = text;
        Seeds = seeds;
        Targets = targets;
        Starts = [.. text.Parameters.Select(p => p.Start)];
        var sb = new StringBuilder();
        sb.Append(text.File).Append('\n').Append(text.SeedsDirectory ?? "").Append('\n')
            .Append(seeds.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(targets is null ? "*" : string.Join(',', targets)).Append('\n')
            .AppendJoin(',', Starts.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n')
            .Append(text.Text);
        Key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    public ScenarioText Text { get; }

    /// <summary>Seeds every evaluation averages over (<see cref="CalibrationOptions.Seeds"/>).</summary>
    public int Seeds { get; }

    /// <summary>The ids of the targets the objective counts (<see cref="CalibrationOptions.Targets"/>); null: every target in the fit.</summary>
    public IReadOnlyList<string>? Targets { get; }

    /// <summary>The parameters' starting values (a file that extends another can start elsewhere than its text says: <see cref="ScenarioText.StartingAt"/>).</summary>
    public IReadOnlyList<double> Starts { get; }

    /// <summary>Lower-case hex SHA-256 of the file's path, seeds folder, seed count, targets, starting values and text.</summary>
    public string Key { get; }

    /// <summary>
    /// The problem rebuilt from what <see cref="Key"/> was made of (on another machine: the file's path must hold the same
    /// files the text <c>extends</c>, if any): a <see cref="Calibrator"/> whose <see cref="Calibrator.Score"/> gives what
    /// the original's does.
    /// </summary>
    public static Calibrator Prepare(string file, string text, string? seedsDirectory, IReadOnlyList<double> starts, int seeds, IReadOnlyList<string>? targets = null)
    {
        var parsed = ScenarioText.Parse(text, file, seedsDirectory);
        if (!parsed.Parameters.Select(p => p.Start).SequenceEqual(starts))
        {
            parsed = parsed.StartingAt(starts);
        }
        return new Calibrator(parsed, new CalibrationOptions { Seeds = seeds, Targets = targets });
    }
}

/// <summary>
/// Where a <see cref="Calibrator"/>'s objective is evaluated when not in this process: one evaluation is
/// <see cref="Calibrator.Score"/> of a <see cref="ObjectiveProblem"/> at some values, a pure function of them, so an
/// evaluator may play it anywhere (and again, when the first try is lost) and the calibrator's results do not change.
/// </summary>
public interface IObjectiveEvaluator
{
    /// <summary>Evaluations worth having in flight at once (a CMA-ES generation is evaluated this many at a time).</summary>
    int Parallel { get; }

    /// <summary>The objective of <paramref name="problem"/> at <paramref name="values"/>: what <see cref="Calibrator.Score"/> gives.</summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    Task<double> EvaluateAsync(ObjectiveProblem problem, IReadOnlyList<double> values, CancellationToken ct);
}
