using System.Collections.Immutable;
using Simulation.Model.Config;
using Simulation.Scenarios;

namespace Simulation.Workshop;

/// <summary>Where a session stands.</summary>
public enum SessionStatus
{
    /// <summary>No round is open: before the first round, and between rounds until the facilitator opens the next.</summary>
    Lobby,
    /// <summary>The current round takes decisions (until its deadline, if it has one).</summary>
    Open,
    /// <summary>The open round is frozen: no decisions, the deadline's countdown stops.</summary>
    Paused,
    /// <summary>Every round is played, or the facilitator ended the session: nothing changes any more.</summary>
    Ended,
}

/// <summary>What a session is set up with: the scenario, the teams (company ids) and the round plan.</summary>
public sealed record WorkshopSetup(LoadedScenario Scenario, ImmutableArray<string> Teams, ImmutableArray<RoundPlan> Plan)
{
    public ScenarioInfo Info => Scenario.Info;

    /// <summary>Checks the teams against the scenario's companies and lays out the rounds; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static WorkshopSetup Create(LoadedScenario scenario, IReadOnlyList<string>? teams, int? rounds, int roundMonths)
    {
        var ids = scenario.Info.Companies.Select(c => c.Id).ToList();
        var chosen = teams is { Count: > 0 } ? teams : ids;
        foreach (var team in chosen)
        {
            if (!ids.Contains(team, StringComparer.Ordinal))
            {
                throw new ArgumentException($"--teams: unknown company '{team}'; the scenario's companies are: {string.Join(", ", ids)}");
            }
        }
        var duplicate = chosen.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"--teams: '{duplicate.Key}' is named twice");
        }
        return new WorkshopSetup(scenario, [.. chosen], RoundPlan.For(scenario.Info, rounds, roundMonths));
    }
}

/// <summary>
/// A strategy workshop: teams play companies of a scenario round by round, a facilitator runs the room. Immutable:
/// <see cref="Apply"/> returns the session after one journal entry, so the state is a fold of the journal over
/// <see cref="Start"/>. The simulation replays the scenario with every accepted decision and injected event from
/// the start, on the reference runner, whenever the rounds played change.
/// </summary>
public sealed class WorkshopSession
{
    private readonly Lazy<PlayedState> _played;
    private readonly Lazy<PlayedState> _computer;
    private string? _hash;

    private WorkshopSession(
        WorkshopSetup setup, SessionStatus status, int roundsPlayed, bool endedByFacilitator, DateTimeOffset? deadline, TimeSpan? pausedLeft,
        ImmutableDictionary<(int Round, string Company), StoredDecision> decisions, ImmutableList<(int Round, EventInfo Event)> injected,
        int version, Lazy<PlayedState> played, Lazy<PlayedState>? computer = null)
    {
        Setup = setup;
        Status = status;
        RoundsPlayed = roundsPlayed;
        EndedByFacilitator = endedByFacilitator;
        Deadline = deadline;
        PausedLeft = pausedLeft;
        Decisions = decisions;
        Injected = injected;
        Version = version;
        _played = played;
        _computer = computer ?? new Lazy<PlayedState>(() => PlayedState.Play(ComputerScenarioThrough(RoundsPlayed), Setup.Plan, RoundsPlayed));
    }

    /// <summary>A new session in the lobby, nothing played.</summary>
    public static WorkshopSession Start(WorkshopSetup setup) =>
        new(setup, SessionStatus.Lobby, 0, false, null, null, ImmutableDictionary<(int, string), StoredDecision>.Empty, [], 0,
            new Lazy<PlayedState>(() => PlayedState.Play(setup.Info, setup.Plan, 0)));

    public WorkshopSetup Setup { get; }

    public SessionStatus Status { get; }

    public int RoundsPlayed { get; }

    /// <summary>The round open now, or the next one to open (the last round once every round is played).</summary>
    public int Round => Math.Min(RoundsPlayed + 1, Setup.Plan.Length);

    public RoundPlan CurrentPlan => Setup.Plan[Round - 1];

    public bool EndedByFacilitator { get; }

    /// <summary>When the open round closes for teams (null: no deadline, or paused).</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>While paused: the time the deadline had left.</summary>
    public TimeSpan? PausedLeft { get; }

    /// <summary>Accepted decisions by round and company (the latest version of each).</summary>
    public ImmutableDictionary<(int Round, string Company), StoredDecision> Decisions { get; }

    /// <summary>The facilitator's events, with the round each belongs to, in the order they were accepted.</summary>
    public ImmutableList<(int Round, EventInfo Event)> Injected { get; }

    /// <summary>The number of journal entries applied: changes whenever the state does (for long-polls and streams).</summary>
    public int Version { get; }

    /// <summary>The simulation after <see cref="RoundsPlayed"/> rounds (played on first use).</summary>
    public PlayedState Played => _played.Value;

    /// <summary>The computer's play of the same rounds: the scenario with the facilitator's events and no team's decisions.</summary>
    public PlayedState ComputerPlayed => _computer.Value;

    /// <summary>Each team's balanced score, round by round.</summary>
    public Scorecard Scorecard => Scorecard.Of(this, ComputerPlayed);

    public string StatusWord => ParamWord(Status);

    /// <summary>SHA-256 of the simulation state, the round and the status: equal states, equal hashes.</summary>
    public string StateHash => _hash ??= Played.Hash(Round, RoundsPlayed, StatusWord);

    /// <summary>
    /// The public news, newest first: what the played rounds produced (hires, poaches, filings, rulings, launches) and
    /// every event the facilitator injected, from the moment it is injected (a shock announced for the coming round).
    /// Teams' decisions are private and never news.
    /// </summary>
    public IEnumerable<NewsItem> News =>
        Played.Rounds.SelectMany(r => r.News)
            .Concat(Injected.Select(x => new NewsItem
            {
                Date = x.Event.Date,
                Kind = "event: " + ParamReflection.Word(x.Event.Kind),
                Company = x.Event.Company,
                Person = x.Event.Person,
                To = x.Event.To,
                App = x.Event.App,
                AmountUsd = x.Event.AmountUsd,
                Note = x.Event.Note.Length > 0 ? x.Event.Note : null,
            }))
            .Reverse()
            .OrderByDescending(n => n.Date);

    public StoredDecision? DecisionOf(int round, string company) => Decisions.GetValueOrDefault((round, company));

    public bool IsTeam(string company) => Setup.Teams.Contains(company, StringComparer.Ordinal);

    /// <summary>
    /// The session after <paramref name="entry"/>, and whether it changed anything (an identical resubmission does
    /// not: it must not be journaled again). Throws <see cref="WorkshopRefusal"/> when the entry is not allowed now.
    /// With <paramref name="replaying"/>, decisions are not checked again against the simulation (they were when
    /// accepted) and rounds are played only when the state is first read, so a journal replays in one pass.
    /// </summary>
    public (WorkshopSession Session, bool Changed) Apply(JournalEntry entry, bool replaying = false)
    {
        var by = Actor.Parse(entry.By);
        if (entry.Action != Actions.Decide && !by.IsFacilitator)
        {
            throw WorkshopRefusal.Forbidden($"only the facilitator may {entry.Action}");
        }
        if (Status == SessionStatus.Ended && !(entry.Action == Actions.Undo && !EndedByFacilitator))
        {
            throw WorkshopRefusal.Conflict(EndedByFacilitator ? "the session has ended" : "every round has been played; undo the last round to change it");
        }
        return entry.Action switch
        {
            Actions.Open => (Open(entry), true),
            Actions.Pause => (Pause(entry), true),
            Actions.Resume => (Resume(entry), true),
            Actions.Advance => (Advance(entry, replaying), true),
            Actions.Undo => (Undo(replaying), true),
            Actions.Decide => Decide(entry, by, replaying),
            Actions.Inject => (Inject(entry), true),
            Actions.End => (With(status: SessionStatus.Ended, endedByFacilitator: true, deadline: null, pausedLeft: null), true),
            _ => throw new WorkshopRefusal(RefusalKind.BadRequest, $"unknown action '{entry.Action}'"),
        };
    }

    private WorkshopSession Open(JournalEntry entry)
    {
        RequireRound(entry.Round);
        if (Status == SessionStatus.Paused)
        {
            throw WorkshopRefusal.Conflict($"round {Round} is paused; resume it first");
        }
        if (entry.Deadline is { } deadline && deadline <= entry.At)
        {
            throw WorkshopRefusal.Invalid("deadline", $"expected a time after now ({entry.At:O}), got {deadline:O}");
        }
        return With(status: SessionStatus.Open, deadline: entry.Deadline, pausedLeft: null);
    }

    private WorkshopSession Pause(JournalEntry entry)
    {
        if (Status != SessionStatus.Open)
        {
            throw WorkshopRefusal.Conflict($"only an open round can be paused; the session is {StatusWord}");
        }
        var left = Deadline is { } d ? d - entry.At : (TimeSpan?)null;
        return With(status: SessionStatus.Paused, deadline: null, pausedLeft: left is { } l && l < TimeSpan.Zero ? TimeSpan.Zero : left);
    }

    private WorkshopSession Resume(JournalEntry entry)
    {
        if (Status != SessionStatus.Paused)
        {
            throw WorkshopRefusal.Conflict($"only a paused round can be resumed; the session is {StatusWord}");
        }
        return With(status: SessionStatus.Open, deadline: PausedLeft is { } left ? entry.At + left : null, pausedLeft: null);
    }

    private WorkshopSession Advance(JournalEntry entry, bool replaying)
    {
        RequireRound(entry.Round);
        var played = RoundsPlayed + 1;
        var scenario = ScenarioThrough(played);
        var plan = Setup.Plan;
        var state = new Lazy<PlayedState>(() => PlayedState.Play(scenario, plan, played));
        if (!replaying)
        {
            _ = state.Value; // play now: an engine failure refuses the advance before it is journaled
        }
        var status = played == Setup.Plan.Length ? SessionStatus.Ended : SessionStatus.Lobby;
        return With(status: status, roundsPlayed: played, deadline: null, pausedLeft: null, played: state);
    }

    private WorkshopSession Undo(bool replaying)
    {
        if (RoundsPlayed == 0)
        {
            throw WorkshopRefusal.Conflict("no round has been played");
        }
        var played = RoundsPlayed - 1;
        var scenario = ScenarioThrough(played);
        var plan = Setup.Plan;
        var state = new Lazy<PlayedState>(() => PlayedState.Play(scenario, plan, played));
        if (!replaying)
        {
            _ = state.Value;
        }
        // The undone round opens again, its decisions kept: teams may revise them and the facilitator advance again.
        return With(status: SessionStatus.Open, roundsPlayed: played, deadline: null, pausedLeft: null, played: state);
    }

    private (WorkshopSession, bool) Decide(JournalEntry entry, Actor by, bool replaying)
    {
        var company = entry.Company ?? throw new WorkshopRefusal(RefusalKind.BadRequest, "a decision names its company");
        var decision = entry.Decision ?? throw new WorkshopRefusal(RefusalKind.BadRequest, "a decision carries its values");
        if (!IsTeam(company))
        {
            throw Setup.Info.Companies.Any(c => c.Id == company)
                ? WorkshopRefusal.NotFound($"no team plays '{company}' (teams: {string.Join(", ", Setup.Teams)})")
                : WorkshopRefusal.NotFound($"unknown company '{company}'");
        }
        if (!by.IsFacilitator && by.Company != company)
        {
            throw WorkshopRefusal.Forbidden($"team {by.Company} may decide only for {by.Company}, not {company}");
        }
        RequireRound(entry.Round);
        var facilitatorMayAlter = by.IsFacilitator && Status is SessionStatus.Open or SessionStatus.Paused;
        if (Status != SessionStatus.Open && !facilitatorMayAlter)
        {
            throw WorkshopRefusal.Conflict($"round {Round} is not open for decisions (the session is {StatusWord})");
        }
        if (!by.IsFacilitator && Deadline is { } deadline && entry.At > deadline)
        {
            throw WorkshopRefusal.Conflict($"round {Round}'s deadline passed at {deadline:O}");
        }
        if (DecisionOf(Round, company) is { } stored)
        {
            if (decision.Version < stored.Version)
            {
                throw WorkshopRefusal.Conflict($"version {decision.Version} is older than the stored version {stored.Version} ({stored.By}); reload and submit a version above {stored.Version}");
            }
            if (decision.Version == stored.Version)
            {
                return decision.SameContent(stored.Decision)
                    ? (this, false)
                    : throw WorkshopRefusal.Conflict($"version {decision.Version} is stored already with other values ({stored.By}); submit a version above {stored.Version}");
            }
        }
        if (!replaying)
        {
            var errors = DecisionRules.Check(Played, CurrentPlan, company, decision);
            if (!errors.IsEmpty)
            {
                throw WorkshopRefusal.Invalid(errors);
            }
        }
        var next = new StoredDecision(Round, company, decision, by.ToString(), entry.At);
        return (With(decisions: Decisions.SetItem((Round, company), next)), true);
    }

    private WorkshopSession Inject(JournalEntry entry)
    {
        RequireRound(entry.Round);
        var json = entry.Event ?? throw WorkshopRefusal.Invalid("event", "expected the event as a mapping of its fields");
        var e = InjectedEvents.Validate(Setup.Scenario, json, CurrentPlan);
        return With(injected: Injected.Add((Round, e)));
    }

    private void RequireRound(int? round)
    {
        if (round is null || round < 1 || round > Setup.Plan.Length)
        {
            throw WorkshopRefusal.NotFound($"no round {round}; the session has rounds 1 to {Setup.Plan.Length}");
        }
        if (round != Round)
        {
            throw WorkshopRefusal.Conflict($"round {round} is not the current round ({Round}, {StatusWord})");
        }
    }

    /// <summary>
    /// The scenario with the session's events of the first <paramref name="rounds"/> rounds: per round, the facilitator's
    /// events in the order accepted, then each team's decision (by company id), all numbered after the scenario's own.
    /// </summary>
    public ScenarioInfo ScenarioThrough(int rounds) => WithEvents(Setup.Info, rounds, withDecisions: true);

    /// <summary>The same without the teams' decisions: what the scenario's own policies would have done (the scorecard's yardstick).</summary>
    public ScenarioInfo ComputerScenarioThrough(int rounds) => WithEvents(Setup.Info, rounds, withDecisions: false);

    /// <summary>
    /// The scenario through <paramref name="rounds"/> rounds with <paramref name="company"/>'s decision of round
    /// <paramref name="round"/> replaced by <paramref name="decision"/>, or dropped when it is null (the company then plays
    /// its policy in force that round): the debrief's what-ifs.
    /// </summary>
    public ScenarioInfo ScenarioWith(int rounds, string company, int round, DecisionInput? decision) =>
        WithEvents(Setup.Info, rounds, withDecisions: true, (round, company, decision));

    private ScenarioInfo WithEvents(ScenarioInfo info, int rounds, bool withDecisions, (int Round, string Company, DecisionInput? Decision)? replace = null)
    {
        var added = new List<EventInfo>();
        for (var r = 1; r <= rounds; r++)
        {
            added.AddRange(Injected.Where(x => x.Round == r).Select(x => x.Event));
            if (withDecisions)
            {
                foreach (var team in Setup.Teams.Order(StringComparer.Ordinal))
                {
                    var decision = replace is { } x && x.Round == r && x.Company == team ? x.Decision : DecisionOf(r, team)?.Decision;
                    if (decision is not null)
                    {
                        added.AddRange(DecisionRules.Events(Setup.Plan[r - 1], team, decision));
                    }
                }
            }
        }
        if (added.Count == 0)
        {
            return info;
        }
        var first = info.Events.Length;
        return info with
        {
            Events = [.. info.Events.Concat(added.Select((e, i) => e with { Order = first + i })).OrderBy(e => e.Date).ThenBy(e => e.Order)],
        };
    }

    private WorkshopSession With(
        SessionStatus? status = null, int? roundsPlayed = null, bool? endedByFacilitator = null,
        Optional<DateTimeOffset?> deadline = default, Optional<TimeSpan?> pausedLeft = default,
        ImmutableDictionary<(int, string), StoredDecision>? decisions = null, ImmutableList<(int, EventInfo)>? injected = null,
        Lazy<PlayedState>? played = null) =>
        new(Setup, status ?? Status, roundsPlayed ?? RoundsPlayed, endedByFacilitator ?? EndedByFacilitator,
            deadline.HasValue ? deadline.Value : Deadline, pausedLeft.HasValue ? pausedLeft.Value : PausedLeft,
            decisions ?? Decisions, injected ?? Injected, Version + 1, played ?? _played,
            // The computer's play changes only with the rounds played and the facilitator's events.
            (roundsPlayed ?? RoundsPlayed) == RoundsPlayed && injected is null ? _computer : null);

    private static string ParamWord(SessionStatus status) => ParamReflection.Word(status);

    /// <summary>A value given or not (null is a value: "no deadline").</summary>
    private readonly struct Optional<T>
    {
        public Optional(T value) => (Value, HasValue) = (value, true);

        public T Value { get; }

        public bool HasValue { get; }

        public static implicit operator Optional<T>(T value) => new(value);
    }
}
