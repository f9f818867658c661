using System.Text.Json.Nodes;

namespace Simulation.Workshop;

/// <summary>
/// One accepted action, as one line of <c>journal.jsonl</c>. The session is a pure function of its entries: replaying
/// them from the scenario gives the same state (the same <c>stateHash</c>). Times are the server's when it accepted the
/// action, so a deadline judged then is judged the same on replay.
/// </summary>
public sealed record JournalEntry
{
    /// <summary>1, 2, ...: the entry's place in the journal.</summary>
    public int Seq { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary><c>facilitator</c> or <c>team:&lt;company&gt;</c> (<see cref="Actor"/>).</summary>
    public required string By { get; init; }

    /// <summary>One of <see cref="Actions"/>.</summary>
    public required string Action { get; init; }

    public int? Round { get; init; }

    public string? Company { get; init; }

    /// <summary>For <c>open</c>: when the round closes for teams' decisions (null: no deadline).</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>For <c>decide</c>.</summary>
    public DecisionInput? Decision { get; init; }

    /// <summary>For <c>inject</c>: the event as a scenario file would write it (validated by the scenario loader).</summary>
    public JsonObject? Event { get; init; }
}

/// <summary>The actions of the journal.</summary>
public static class Actions
{
    public const string Open = "open", Pause = "pause", Resume = "resume", Advance = "advance", Undo = "undo",
        Decide = "decide", Inject = "inject", End = "end";
}
