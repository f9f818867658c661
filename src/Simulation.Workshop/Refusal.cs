using System.Collections.Immutable;

namespace Simulation.Workshop;

/// <summary>Why the session refused an action; the web API maps each to a status code.</summary>
public enum RefusalKind
{
    /// <summary>Malformed input (400).</summary>
    BadRequest,
    /// <summary>The actor may not do this (403).</summary>
    Forbidden,
    /// <summary>No such round, company or researcher (404).</summary>
    NotFound,
    /// <summary>Not now: the round is not open, the version is stale, the session has ended (409).</summary>
    Conflict,
    /// <summary>Well-formed but invalid values, with one error per field (422).</summary>
    Invalid,
}

/// <summary>One field's problem: its path in the request (<c>policy.salaryShare</c>, <c>offers[0].researcher</c>) and what is wrong.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>An action the session refuses, with why; nothing changed.</summary>
public sealed class WorkshopRefusal(RefusalKind kind, string message, ImmutableArray<FieldError> errors = default) : Exception(message)
{
    public RefusalKind Kind { get; } = kind;

    public ImmutableArray<FieldError> Errors { get; } = errors.IsDefault ? [] : errors;

    public static WorkshopRefusal Conflict(string message) => new(RefusalKind.Conflict, message);

    public static WorkshopRefusal Forbidden(string message) => new(RefusalKind.Forbidden, message);

    public static WorkshopRefusal NotFound(string message) => new(RefusalKind.NotFound, message);

    public static WorkshopRefusal Invalid(IEnumerable<FieldError> errors) =>
        new(RefusalKind.Invalid, "the request has invalid fields", [.. errors]);

    public static WorkshopRefusal Invalid(string field, string message) => Invalid([new FieldError(field, message)]);
}
