using System.Collections.Immutable;
using Simulation.Model.Time;

namespace Simulation.Model.Config;

/// <summary>
/// A whole scenario, immutable and validated when loaded (the OpenRA *Info split): nothing in here
/// changes while a run plays; the changing parts live in the State types.
/// </summary>
public sealed record ScenarioInfo
{
    [Param("The scenario's id (lower-case letters, digits, '-'); names the output folder out/<name>", MaxLength = 64)]
    public required string Name { get; init; }

    [Param("What the scenario is, in words")]
    public string Description { get; init; } = "";
    [Param("The first day simulated")]
    public required DateOnly Start { get; init; }

    [Param("The last day simulated (inclusive)")]
    public required DateOnly End { get; init; }
    [Param("The length of a tick: day, week or month", Key = "tick")]
    public TickLength TickLength { get; init; } = TickLength.Day;
    [Param("The random seed of a single run (replicates derive theirs from it)", Min = 0, Use = ParamUse.Override)]
    public ulong Seed { get; init; } = 1;
    [Param("User markets")]
    public required ImmutableArray<MarketInfo> Markets { get; init; }
    /// <summary>Sorted by id: the fixed order in which every phase visits them.</summary>
    [Param("The companies")]
    public required ImmutableArray<CompanyInfo> Companies { get; init; }
    [Param("Talent pools, named researchers and how they choose")]
    public required TalentInfo Talent { get; init; }
    [Param("Non-competes and arbitration")]
    public LegalInfo Legal { get; init; } = new();
    [Param("How talent and compute make model quality")]
    public QualityInfo Quality { get; init; } = new();
    /// <summary>Sorted by date, then by their order in the file.</summary>
    [Param("Dated events: moves, filings, launches, budget and policy changes")]
    public ImmutableArray<EventInfo> Events { get; init; } = [];
    /// <summary>Null: every target is in the fit.</summary>
    [Param("The last month whose targets the calibration fits (yyyy-MM); later targets are checked, never fitted")]
    public DateOnly? FitUntil { get; init; }
    [Param("Observation series: each source's figures and the error model they share in the calibration's likelihood")]
    public ImmutableArray<SeriesInfo> Series { get; init; } = [];
    [Param("Figures the scenario must reproduce, checked after every run")]
    public ImmutableArray<TargetInfo> Targets { get; init; } = [];
    [Param("The question a what-if scenario answers")]
    public string Question { get; init; } = "";
    [Param("Settings of a strategy workshop played on the scenario (sim workshop)")]
    public WorkshopInfo Workshop { get; init; } = new();

    /// <summary>The scenario's calendar: shared with every scenario of the same dates and tick (<see cref="Calendar.Of"/>).</summary>
    public Calendar CreateCalendar() => Calendar.Of(Start, End, TickLength);

    /// <summary>
    /// A hash of the whole configuration (record equality compares immutable arrays by reference,
    /// so two copies of one scenario are told apart by content here).
    /// </summary>
    public string Fingerprint() => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(this)));

    public CompanyInfo Company(string id) =>
        Companies.FirstOrDefault(c => c.Id == id) ?? throw new KeyNotFoundException($"company '{id}'");

    public MarketInfo Market(string id) =>
        Markets.FirstOrDefault(m => m.Id == id) ?? throw new KeyNotFoundException($"market '{id}'");

    /// <summary>Every app with the company that owns it, in (company, app) order.</summary>
    public IEnumerable<(CompanyInfo Company, AppInfo App)> Apps =>
        Companies.SelectMany(c => c.Apps.Select(a => (c, a)));
}
