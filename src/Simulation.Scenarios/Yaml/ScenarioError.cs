namespace Simulation.Scenarios.Yaml;

/// <summary>One problem found in a scenario file, located precisely enough to fix it.</summary>
/// <param name="File">The file name as given to <see cref="YamlDocument.Parse"/>.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Path">Where in the document, e.g. <c>companies[2].policy.marketingShare</c>; the root is <c>(root)</c>.</param>
/// <param name="Message">What is wrong, e.g. <c>expected a number, got 'abc'</c>.</param>
public sealed record ScenarioError(string File, int Line, int Column, string Path, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Path}: {Message}";
}

/// <summary>Thrown when a scenario file has errors; carries all of them, sorted by position.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(IReadOnlyList<ScenarioError> errors)
        : base(string.Join('\n', errors))
    {
        Errors = errors;
    }

    public ScenarioException(ScenarioError error)
        : this([error])
    {
    }

    public IReadOnlyList<ScenarioError> Errors { get; }
}
