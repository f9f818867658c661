using System.Collections.Immutable;
using Simulation.Model.Time;

namespace Simulation.Model.Config;

/// <summary>
/// A whole scenario, immutable and validated when loaded (the OpenRA *Info split): nothing in here
/// changes while a run plays; the changing parts live in the State types.
/// </summary>
public sealed record ScenarioInfo
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public required DateOnly Start { get; init; }
    /// <summary>The last day simulated (inclusive).</summary>
    public required DateOnly End { get; init; }
    public TickLength TickLength { get; init; } = TickLength.Day;
    public ulong Seed { get; init; }
    public required ImmutableArray<MarketInfo> Markets { get; init; }
    /// <summary>Companies sorted by id: the fixed order in which every phase visits them.</summary>
    public required ImmutableArray<CompanyInfo> Companies { get; init; }
    public required TalentInfo Talent { get; init; }
    public required LegalInfo Legal { get; init; }
    public required QualityInfo Quality { get; init; }
    /// <summary>Events sorted by date, then by their order in the file.</summary>
    public ImmutableArray<EventInfo> Events { get; init; } = [];
    public ImmutableArray<TargetInfo> Targets { get; init; } = [];
    /// <summary>The question a what-if scenario answers (empty for others).</summary>
    public string Question { get; init; } = "";

    public Calendar CreateCalendar() => new(Start, End, TickLength);

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
