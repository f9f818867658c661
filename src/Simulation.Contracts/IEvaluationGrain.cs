namespace Simulation.Contracts;

/// <summary>
/// One evaluation of a calibration's objective (<c>sim calibrate</c>, <c>posterior</c>, <c>backtest</c>, <c>profile</c> with
/// <c>--cluster</c>): the call carries only the problem's key and the parameter values; each silo keeps the prepared problem
/// (its scenario text parsed once) by key: a silo that answers null has not got it, and is sent it once with the values. Stateless.
/// </summary>
public interface IEvaluationGrain : IGrainWithStringKey
{
    /// <summary>
    /// The objective of problem <paramref name="key"/> at <paramref name="values"/>; null when this silo has not got the
    /// problem and <paramref name="problem"/> is null (then call again with it: the silo keeps it, by key, a few at most).
    /// </summary>
    /// <param name="cancellation">Lets a client give up a call whose silo has left (the evaluation itself finishes regardless).</param>
    Task<double?> Evaluate(string key, double[] values, EvaluationProblem? problem, CancellationToken cancellation = default);
}

/// <summary>
/// What a silo needs to evaluate a calibration's objective: the scenario text as the client has it, where it was read, its
/// parameters' starting values, the seeds' count and the targets the objective counts (null: every target in the fit).
/// </summary>
[GenerateSerializer, Immutable, Alias("sim.evaluation-problem")]
public sealed record EvaluationProblem(
    [property: Id(0)] string Key,
    [property: Id(1)] string File,
    [property: Id(2)] string Text,
    [property: Id(3)] string? SeedsDirectory,
    [property: Id(4)] double[] Starts,
    [property: Id(5)] int Seeds,
    [property: Id(6)] string[]? Targets = null);

public static class EvaluationKeys
{
    /// <summary>The grain key of try <paramref name="attempt"/> of evaluation <paramref name="index"/> of a client's <paramref name="session"/>: each a new stateless activation.</summary>
    public static string Of(string session, long index, int attempt) => $"{session}/evaluation/{index}/{attempt}";
}
