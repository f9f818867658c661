namespace Simulation.Model.Rules;

/// <summary>
/// A scenario whose values cannot be played: its dates run past what a calendar can hold, or its amounts
/// grow past what a double can represent. A user's mistake (exit code 2), not a bug. The CLI builds the
/// scenario's context before any grain does, so the calendar's error is raised in its own process.
/// </summary>
public sealed class ScenarioValueException(string message) : Exception(message);
