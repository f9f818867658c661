using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using MathNet.Numerics.Optimization.ObjectiveFunctions;

namespace Simulation.Calibration;

/// <summary>
/// The least objective found with some parameters held fixed: <paramref name="Values"/> (every parameter, the fixed ones
/// as given), its <paramref name="Objective"/> and the evaluations it took.
/// </summary>
public sealed record ConditionalMinimum(IReadOnlyList<double> Values, double Objective, int Evaluations);

public sealed partial class Calibrator
{
    /// <summary>
    /// <see cref="MinimiseWith"/> stops when its best objective has not improved by more than this (deviance units) over
    /// <see cref="StallGradients"/> gradients' worth of evaluations: a thousandth of a unit is far below anything a profile
    /// or a comparison of fits reads.
    /// </summary>
    public const double StallTolerance = 1e-3;

    /// <summary>How long <see cref="MinimiseWith"/> waits for progress, in gradients (each one evaluation per free parameter, plus one).</summary>
    public const int StallGradients = 30;

    /// <summary>The numbers marked <c>fit:</c>, in file order (the order of every vector of values).</summary>
    public IReadOnlyList<FitParameter> Parameters => _text.Parameters;

    /// <summary>The file's values of the parameters (where <see cref="Run"/>'s first start begins).</summary>
    public IReadOnlyList<double> FileValues => [.. _text.Parameters.Select(p => p.Start)];

    /// <summary>
    /// Minimises the objective over the parameters <paramref name="free"/> marks, the others held at their values in
    /// <paramref name="start"/>: MathNet's bounded BFGS on forward-difference gradients in unit coordinates (<see cref="UnitSpace"/>) from
    /// <paramref name="start"/> (as the polish of <see cref="Run"/>), for at most <paramref name="maxIterations"/>
    /// iterations, or until the best objective has stalled (<see cref="StallTolerance"/>; on the baseline BFGS otherwise
    /// spends most of its iterations at the noise floor of the forward differences). Returns the best point it evaluated
    /// (its fixed coordinates as given), so a line search that fails or an iteration limit still gives the best so far.
    /// Sequential: the path depends only on the arguments, so calls may run in parallel and give the same result on any
    /// number of cores. With nothing free, the objective at <paramref name="start"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public ConditionalMinimum MinimiseWith(IReadOnlyList<double> start, IReadOnlyList<bool> free, int maxIterations, CancellationToken ct = default)
    {
        var parameters = _text.Parameters;
        if (start.Count != parameters.Count || free.Count != parameters.Count)
        {
            throw new ArgumentException($"expected {parameters.Count} values and flags, got {start.Count} and {free.Count}");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        var z0 = InRange(start);
        var moving = Enumerable.Range(0, parameters.Count).Where(i => free[i]).ToArray();
        IReadOnlyList<double> best = Clamped(z0).Point;
        var bestObjective = Objective(best, ct);
        var evaluations = 1;
        if (moving.Length == 0)
        {
            return new ConditionalMinimum(best, bestObjective, evaluations);
        }

        // The stall rule: the best at the last real improvement, and the evaluations since.
        var window = StallGradients * (moving.Length + 1);
        var mark = bestObjective;
        var sinceMark = 0;
        var objective = ObjectiveFunction.Value(w =>
        {
            var z = z0.Clone();
            for (var k = 0; k < moving.Length; k++)
            {
                z[moving[k]] = w[k];
            }
            var (point, outside) = Clamped(z);
            var value = Objective(point, ct);
            evaluations++;
            if (value < bestObjective)
            {
                bestObjective = value;
                best = point;
            }
            if (bestObjective < mark - StallTolerance)
            {
                mark = bestObjective;
                sinceMark = 0;
            }
            else if (++sinceMark >= window)
            {
                throw new StalledException();
            }
            return (double.IsFinite(value) ? value : Impossible) + OutsidePenalty * outside;
        });
        var lower = Vector<double>.Build.Dense(moving.Length, 0);
        var upper = Vector<double>.Build.Dense(moving.Length, 1);
        var from = Vector<double>.Build.Dense(moving.Length, k => Math.Clamp(z0[moving[k]], 0, 1));
        try
        {
            var gradient = new ForwardDifferenceGradientObjectiveFunction(objective, lower, upper, GradientStep, GradientStep);
            new BfgsBMinimizer(GradientTolerance, 1e-9, 1e-9, maxIterations).FindMinimum(gradient, lower, upper, from);
        }
        catch (StalledException)
        {
            // No progress worth reading: the best point so far is the answer.
        }
        catch (MaximumIterationsException)
        {
            // The best point so far is the answer.
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OptimizationException)
        {
            // A line search that finds no descent: the point is as good as the gradient can tell.
        }
        return new ConditionalMinimum(best, bestObjective, evaluations);
    }

    /// <summary>Thrown from inside the objective to end a minimisation that has stopped improving.</summary>
    private sealed class StalledException : Exception;
}
