namespace Simulation.Workshop;

/// <summary>Who acts: the facilitator, or the team that plays one company.</summary>
public readonly record struct Actor
{
    private const string TeamPrefix = "team:";

    private Actor(string? company) => Company = company;

    public static Actor Facilitator { get; } = new(null);

    public static Actor Team(string company) => new(company);

    /// <summary>The company a team plays; null for the facilitator.</summary>
    public string? Company { get; }

    public bool IsFacilitator => Company is null;

    /// <summary>How the journal and the audit log name the actor: <c>facilitator</c> or <c>team:&lt;company&gt;</c>.</summary>
    public override string ToString() => Company is null ? "facilitator" : TeamPrefix + Company;

    public static Actor Parse(string text) =>
        text == "facilitator" ? Facilitator
        : text.StartsWith(TeamPrefix, StringComparison.Ordinal) && text.Length > TeamPrefix.Length ? Team(text[TeamPrefix.Length..])
        : throw new FormatException($"not an actor: '{text}' (expected 'facilitator' or 'team:<company>')");
}
