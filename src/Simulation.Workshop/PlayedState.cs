using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Metrics;
using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Model.State;

namespace Simulation.Workshop;

/// <summary>
/// The simulation after some rounds: the scenario (with the session's events) played by the reference runner from its
/// start to the end of the last round played, the collector's rows, and each round's figures. Built only by
/// <see cref="Play"/>, so it is a function of the scenario and the number of rounds.
/// </summary>
public sealed class PlayedState
{
    private static readonly JsonSerializerOptions Canonical = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    private readonly Lazy<byte[]> _canonical;

    private PlayedState(ScenarioInfo scenario, ScenarioContext context, ReferenceRunner runner, DataCollector collector, ImmutableArray<RoundResult> rounds)
    {
        Scenario = scenario;
        Context = context;
        Runner = runner;
        Collector = collector;
        Rounds = rounds;
        _canonical = new Lazy<byte[]>(Serialize);
    }

    public ScenarioInfo Scenario { get; }

    public ScenarioContext Context { get; }

    /// <summary>The runner, stopped at the first tick of the next round. Read it; never advance it.</summary>
    public ReferenceRunner Runner { get; }

    public DataCollector Collector { get; }

    /// <summary>Round 0 (the start) and each round played.</summary>
    public ImmutableArray<RoundResult> Rounds { get; }

    public RoundResult Latest => Rounds[^1];

    /// <summary>Plays <paramref name="scenario"/> from its start through the first <paramref name="rounds"/> rounds of <paramref name="plan"/>.</summary>
    public static PlayedState Play(ScenarioInfo scenario, ImmutableArray<RoundPlan> plan, int rounds)
    {
        var runner = new ReferenceRunner(scenario, scenario.Seed);
        var context = new ScenarioContext(scenario, scenario.Seed);
        var collector = new DataCollector(context, tickRows: false);
        var results = ImmutableArray.CreateBuilder<RoundResult>(rounds + 1);
        results.Add(RoundResult.AtStart(context, runner));
        for (var r = 0; r < rounds; r++)
        {
            var reports = runner.Advance(plan[r].EndTick - runner.NextTick);
            foreach (var report in reports)
            {
                collector.Collect(report);
            }
            results.Add(RoundResult.Of(context, plan[r], runner, reports, results[^1]));
        }
        return new PlayedState(scenario, context, runner, collector, results.MoveToImmutable());
    }

    /// <summary>
    /// The simulation's state in a canonical form (JSON, fixed member order, shortest round-trip numbers): every
    /// monthly row, event and company snapshot so far, each researcher and pending arbitration, and each company's
    /// policy in force. Equal states give equal bytes.
    /// </summary>
    public ReadOnlySpan<byte> CanonicalBytes => _canonical.Value;

    /// <summary>SHA-256 (lower-case hex) of the canonical state followed by the round and the status.</summary>
    public string Hash(int round, int roundsPlayed, string status)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(_canonical.Value);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"\nround={round};played={roundsPlayed};status={status}"));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(new
    {
        nextTick = Runner.NextTick,
        months = Collector.MonthRows,
        events = Collector.Events.Select(e => new { date = e.Date, e.Event }),
        companies = Collector.FinalCompanies,
        policies = Runner.Companies.Select(c => new { c.Id, c.Policy, c.CashUsd, c.Headcount, c.ModelQuality, c.StarCount, c.Launched }),
        researchers = Runner.Talent.Researchers,
        arbitrations = Runner.Talent.Arbitrations,
        unemployed = Runner.Talent.Unemployed,
    }, Canonical);
}

/// <summary>What a round left: each company's and app's figures at its end, and the news of the round.</summary>
public sealed record RoundResult
{
    /// <summary>0 for the start.</summary>
    public required int Round { get; init; }

    /// <summary>The first day of the round (the scenario's start for round 0).</summary>
    public required DateOnly Start { get; init; }

    /// <summary>The first day after the round: the simulated date now.</summary>
    public required DateOnly End { get; init; }

    public required ImmutableArray<CompanyFigures> Companies { get; init; }

    public required ImmutableArray<AppFigures> Apps { get; init; }

    public required ImmutableArray<NewsItem> News { get; init; }

    public CompanyFigures Company(string id) => Companies.First(c => c.Company == id);

    internal static RoundResult AtStart(ScenarioContext context, ReferenceRunner runner) => new()
    {
        Round = 0,
        Start = context.Info.Start,
        End = context.Info.Start,
        Companies = [.. runner.Companies.Select(c => new CompanyFigures
        {
            Company = c.Id,
            CashUsd = c.CashUsd,
            Headcount = c.Headcount.Sum() + c.StarCount,
            Stars = c.StarCount,
            StarLift = c.StarLift,
            ModelQuality = double.IsFinite(c.ModelQuality) ? c.ModelQuality : null,
        })],
        Apps = [.. context.Info.Apps.Select(x => new AppFigures
        {
            App = x.App.Id,
            Company = x.Company.Id,
            Market = x.App.Market,
            Launched = x.App.Launch is null || x.App.Launch <= context.Info.Start,
        })],
        News = [],
    };

    internal static RoundResult Of(ScenarioContext context, RoundPlan plan, ReferenceRunner runner, IReadOnlyList<TickReport> reports, RoundResult previous)
    {
        if (reports.Count == 0)
        {
            throw new InvalidOperationException($"round {plan.Number} has no ticks");
        }
        var last = reports[^1];
        var apps = last.Markets.SelectMany(m => m.Apps.Select(a => (Market: m.Market, App: a))).ToList();
        var launchedNow = runner.Companies.ToDictionary(c => c.Id, c => c.Launched, StringComparer.Ordinal);
        var companies = ImmutableArray.CreateBuilder<CompanyFigures>(last.Companies.Length);
        foreach (var s in last.Companies)
        {
            var own = apps.Where(a => a.App.Company == s.Company).ToList();
            var users = own.Sum(a => a.App.Mau);
            var retained = own.Where(a => double.IsFinite(a.App.RetentionD30) && a.App.Mau > 0).ToList();
            companies.Add(new CompanyFigures
            {
                Company = s.Company,
                CashUsd = s.CashUsd,
                RevenueUsd = reports.Sum(r => r.Companies[context.CompanyIndex(s.Company)].RevenueUsd),
                SpendUsd = reports.Sum(r => r.Companies[context.CompanyIndex(s.Company)].SpendUsd),
                Headcount = s.Headcount,
                Stars = s.Stars,
                StarLift = s.StarLift,
                ModelQuality = double.IsFinite(s.ModelQuality) ? s.ModelQuality : null,
                Users = users,
                Share = users > 0 ? own.Sum(a => a.App.Share * a.App.Mau) / users : own.Count > 0 ? 0 : null,
                Retention = retained.Count > 0 ? retained.Sum(a => a.App.RetentionD30 * a.App.Mau) / retained.Sum(a => a.App.Mau) : null,
            });
        }
        var news = ImmutableArray.CreateBuilder<NewsItem>();
        foreach (var (company, app) in context.Info.Apps)
        {
            var before = previous.Apps.FirstOrDefault(a => a.App == app.Id)?.Launched ?? false;
            if (before || !launchedNow[company.Id][context.AppSlot(company, app.Id)])
            {
                continue;
            }
            var launchTick = context.LaunchTick(app.Id);
            var tick = launchTick >= reports[0].Tick && launchTick <= last.Tick ? launchTick
                : reports.FirstOrDefault(r => context.EventsAt(r.Tick).Any(e => e.Kind == EventKind.Launch && e.App == app.Id))?.Tick ?? reports[0].Tick;
            news.Add(new NewsItem { Date = context.Calendar[tick].Start, Kind = "launch", Company = company.Id, App = app.Id });
        }
        foreach (var r in reports)
        {
            foreach (var e in r.Events)
            {
                news.Add(new NewsItem { Date = context.Calendar[r.Tick].Start, Kind = e.Kind, Person = e.Person, From = e.From, To = e.To, AmountUsd = e.AmountUsd });
            }
        }
        return new RoundResult
        {
            Round = plan.Number,
            Start = plan.Start,
            End = plan.End,
            Companies = companies.MoveToImmutable(),
            Apps = [.. apps.Select(a => new AppFigures
            {
                App = a.App.App,
                Company = a.App.Company,
                Market = a.Market,
                Launched = launchedNow[a.App.Company][context.AppSlot(context.Company(a.App.Company), a.App.App)],
                Mau = a.App.Mau,
                Share = a.App.Share,
                RetentionD30 = double.IsFinite(a.App.RetentionD30) ? a.App.RetentionD30 : null,
                Quality = double.IsFinite(a.App.RelativeQuality) ? a.App.RelativeQuality : null,
            })],
            News = [.. news.OrderBy(n => n.Date)],
        };
    }
}

/// <summary>A company at the end of a round. Users, share and retention are null before the first round.</summary>
public sealed record CompanyFigures
{
    public required string Company { get; init; }
    public required double CashUsd { get; init; }
    /// <summary>Revenue over the round (other revenue net of costs outside AI, plus users').</summary>
    public double RevenueUsd { get; init; }
    /// <summary>Spending over the round (payroll, compute, marketing, compensation).</summary>
    public double SpendUsd { get; init; }
    /// <summary>AI staff: pools plus stars.</summary>
    public required double Headcount { get; init; }
    public required int Stars { get; init; }
    /// <summary>The stars' multiplier on effective talent, 1 + mu H.</summary>
    public required double StarLift { get; init; }
    public double? ModelQuality { get; init; }
    /// <summary>Its apps' monthly actives, summed.</summary>
    public double? Users { get; init; }
    /// <summary>Its apps' market shares, weighted by their monthly actives.</summary>
    public double? Share { get; init; }
    /// <summary>Its apps' measured 30-day retention, weighted by their monthly actives.</summary>
    public double? Retention { get; init; }
    /// <summary>Talent for the scorecard: headcount x star lift.</summary>
    public double Talent => Headcount * StarLift;
}

/// <summary>An app at the end of a round: public figures.</summary>
public sealed record AppFigures
{
    public required string App { get; init; }
    public required string Company { get; init; }
    public required string Market { get; init; }
    public required bool Launched { get; init; }
    /// <summary>Monthly actives in the round's last month (null before the first round).</summary>
    public double? Mau { get; init; }
    public double? Share { get; init; }
    public double? RetentionD30 { get; init; }
    /// <summary>Quality over the frontier.</summary>
    public double? Quality { get; init; }
}

/// <summary>
/// One line of the news feed: a hire, poach, counter-offer, non-compete, filing, ruling (<c>arbitration-damages</c>,
/// <c>-settlement</c>, <c>-dismissed</c>), scripted move, release or launch (then <see cref="App"/> and <see cref="Company"/>).
/// </summary>
public sealed record NewsItem
{
    public required DateOnly Date { get; init; }
    public required string Kind { get; init; }
    public string? Person { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public string? Company { get; init; }
    public string? App { get; init; }
    public double AmountUsd { get; init; }
    /// <summary>The facilitator's words for an injected event.</summary>
    public string? Note { get; init; }
}
