using System.Collections.Immutable;
using Simulation.Model.Config;
using Simulation.Workshop;

namespace Simulation.Workshop.Web;

// The API's wire types. Every name in them (companies, apps, researchers, notes) is data: pages must escape it.

/// <summary>An error: a status, a title and, for invalid input, one entry per field.</summary>
public sealed record ProblemView(int Status, string Title, ImmutableArray<FieldError> Errors);

/// <summary><c>GET /api/state</c>: what everyone may see, plus the team's own view with a team token.</summary>
public sealed record StateView
{
    /// <summary>Changes with every accepted action: pass it as <c>?after=</c> to wait for the next change.</summary>
    public required int Version { get; init; }
    public required string Scenario { get; init; }
    /// <summary>The round open now, or the next to open.</summary>
    public required int Round { get; init; }
    public required int Rounds { get; init; }
    public required int RoundsPlayed { get; init; }
    /// <summary><c>lobby</c>, <c>open</c>, <c>paused</c> or <c>ended</c>.</summary>
    public required string Status { get; init; }
    /// <summary>The simulated date: the first day not yet played.</summary>
    public required DateOnly Date { get; init; }
    /// <summary>The current round's first and last day.</summary>
    public required DateOnly RoundStart { get; init; }
    public required DateOnly RoundEnd { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    /// <summary>Seconds left to the deadline by the server's clock (while paused: what is left, frozen).</summary>
    public double? SecondsLeft { get; init; }
    public required DateTimeOffset ServerTime { get; init; }
    /// <summary>SHA-256 of the simulation state, the round and the status: equal states, equal hashes.</summary>
    public required string StateHash { get; init; }
    public required ImmutableArray<TeamStatusView> Teams { get; init; }
    public required ImmutableArray<AppFigures> Apps { get; init; }
    public required ImmutableArray<CompanyPublicView> Companies { get; init; }
    /// <summary>Hires, poaches, filings, rulings, launches..., newest first (at most 200).</summary>
    public required ImmutableArray<NewsItem> News { get; init; }
    /// <summary>With a team token: that team's company figures and its decision status.</summary>
    public TeamPrivateView? You { get; init; }
}

/// <summary>A team in the room: submitted or not for the current round (and, for the facilitator, when last seen).</summary>
public sealed record TeamStatusView(string Company, string Name, bool Submitted, int? Version, bool? Altered, DateTimeOffset? LastSeen);

/// <summary>What is public of a company: its apps live, its stars (the roster is public) and its AI headcount.</summary>
public sealed record CompanyPublicView(string Company, string Name, bool Team, ImmutableArray<string> LaunchedApps, int Stars, double Headcount);

public sealed record TeamPrivateView(string Company, CompanyFigures Figures, DecisionView? Decision);

/// <summary>A stored decision.</summary>
public sealed record DecisionView(int Round, string Company, int Version, string By, bool Altered, DateTimeOffset At, DecisionBody Decision);

/// <summary>The body of <c>PUT /api/rounds/{n}/decisions/{company}</c>: a version (above the stored one) and the values.</summary>
public sealed record DecisionBody
{
    /// <summary>Above the stored version (1 for the first submission); the same version with the same values again is accepted and changes nothing.</summary>
    public int Version { get; init; }
    /// <summary>Policy field -> value, for the fields of the decision form (others keep the policy in force).</summary>
    public Dictionary<string, double>? Policy { get; init; }
    public List<OfferInput>? Offers { get; init; }
    public List<FilingInput>? Filings { get; init; }

    public DecisionInput ToInput() => new()
    {
        Version = Version,
        Policy = (Policy ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
        Offers = [.. Offers ?? []],
        Filings = [.. Filings ?? []],
    };

    public static DecisionBody From(DecisionInput d) => new()
    {
        Version = d.Version,
        Policy = d.Policy.ToDictionary(StringComparer.Ordinal),
        Offers = [.. d.Offers],
        Filings = [.. d.Filings],
    };
}

/// <summary>The body of <c>POST /api/rounds/{n}/open</c>.</summary>
public sealed record OpenBody
{
    /// <summary>When the round closes for teams' decisions (ISO 8601); or <see cref="DeadlineSeconds"/> from now.</summary>
    public DateTimeOffset? Deadline { get; init; }
    public double? DeadlineSeconds { get; init; }
}

/// <summary><c>GET /api/teams/{company}</c>: the team's dashboard.</summary>
public sealed record DashboardView
{
    public required string Company { get; init; }
    public required string Name { get; init; }
    public required int Round { get; init; }
    public required string Status { get; init; }
    public required DateOnly Date { get; init; }
    /// <summary>Cash, revenue and spending over the last round, headcount, stars, model quality, users, share, retention.</summary>
    public required CompanyFigures Figures { get; init; }
    /// <summary>The company's figures at the start and after each round played.</summary>
    public required ImmutableArray<CompanyFigures> Trajectory { get; init; }
    public required ImmutableArray<AppFigures> Apps { get; init; }
    /// <summary>Its own named researchers, and those bound to it by a non-compete.</summary>
    public required ImmutableArray<ResearcherView> Researchers { get; init; }
    public required DecisionFormView Form { get; init; }
    /// <summary>Researchers it may make offers to this round.</summary>
    public required ImmutableArray<ResearcherView> OfferTargets { get; init; }
    /// <summary>Researchers it may file for arbitration against this round.</summary>
    public required ImmutableArray<ResearcherView> FilingTargets { get; init; }
}

/// <summary>A named researcher as a team sees them. Status: <c>employed</c>, <c>ramping</c>, <c>outside-ai</c>, <c>bound</c>, <c>in-arbitration</c>, <c>free</c>.</summary>
public sealed record ResearcherView(string Id, string Name, string? Employer, string Status, double MonthlySalaryUsd, double Skill, string Region, string? BoundTo, DateOnly? BoundUntil);

/// <summary>The decision form for the current round, from the declarations.</summary>
public sealed record DecisionFormView
{
    public required int Round { get; init; }
    public required bool Open { get; init; }
    public required ImmutableArray<DecisionFieldView> Fields { get; init; }
    /// <summary>The fields that must sum to 1.</summary>
    public required ImmutableArray<string> Split { get; init; }
    /// <summary>The monthly salary budget's room for offers under the policy in force.</summary>
    public required double SalaryRoomUsd { get; init; }
    /// <summary>The decision stored for this round, if any.</summary>
    public DecisionView? Stored { get; init; }
    /// <summary>The version to send next.</summary>
    public required int NextVersion { get; init; }
}

/// <summary>One field of the form: meaning, unit and range from its declaration, the value in force, and the stored decision's value if any.</summary>
public sealed record DecisionFieldView(string Field, string Meaning, string Unit, double Min, double? Max, bool MinExclusive, double InForce, double Value);

/// <summary><c>GET /api/session</c> (facilitator): the teams' join links, for the lobby and its QR codes.</summary>
public sealed record SessionView(string Scenario, string ScenarioSha256, ImmutableArray<string> Teams, int Rounds, int RoundMonths,
    string FacilitatorUrl, string RoomUrl, ImmutableSortedDictionary<string, string> TeamUrls, ImmutableArray<RoundPlan> Plan, ImmutableArray<string> EventKinds);

/// <summary>The answer to a facilitator's action: the state after it.</summary>
public sealed record ActionView(string Action, bool Changed, int Version, int Round, int RoundsPlayed, string Status, string StateHash, double? ElapsedMs = null);
