namespace Simulation.Scenarios.Yaml;

/// <summary>
/// Collects the errors of one file. Reading goes on after an error so that the user sees all of
/// them at once; <see cref="ThrowIfAny"/> ends the reading.
/// </summary>
public sealed class ErrorSink
{
    private readonly List<ScenarioError> _errors = [];
    private readonly HashSet<ScenarioError> _seen = [];

    public bool HasErrors => _errors.Count > 0;

    /// <summary>How many times an error was reported, counting repeats (lets a reader see if a step failed).</summary>
    internal int Reports { get; private set; }

    /// <summary>The errors sorted by line, then column (stable for ties).</summary>
    public IReadOnlyList<ScenarioError> Errors =>
        [.. _errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];

    /// <summary>Reports <paramref name="message"/> at the position and path of <paramref name="at"/>.</summary>
    public void Add(Node at, string message) =>
        Add(new ScenarioError(at.File, at.Line, at.Column, at.Path, at.Note is null ? message : $"{message} ({at.Note})"));

    /// <summary>Reports an error found elsewhere (e.g. a cross-file check). An identical error is kept once.</summary>
    public void Add(ScenarioError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Reports++;
        if (_seen.Add(error))
        {
            _errors.Add(error);
        }
    }

    /// <summary>Throws a <see cref="ScenarioException"/> listing all errors, if there are any.</summary>
    public void ThrowIfAny()
    {
        if (HasErrors)
        {
            throw new ScenarioException(Errors);
        }
    }
}
