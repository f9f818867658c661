using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Simulation.Model.Config;
using Simulation.Model.Randomness;
using Simulation.Model.Time;

namespace Simulation.Model.Rules;

/// <summary>
/// A scenario prepared for play: its calendar, events by tick and lookups the rules need every tick.
/// Derived from <see cref="ScenarioInfo"/> alone, so every grain and the reference runner build the same one.
/// </summary>
public sealed class ScenarioContext
{
    private readonly FrozenDictionary<string, int> _companyIndex;
    private readonly FrozenDictionary<string, int> _researcherIndex;
    private readonly FrozenDictionary<string, int> _marketIndex;
    private readonly FrozenDictionary<string, ScenarioApp> _apps;
    private readonly ScenarioApp[][] _appsByMarket;
    private readonly (int[] Index, int Count)[] _nests;
    /// <summary>Per tick, its events in date then file order (null: none); the rules ask several times a tick.</summary>
    private readonly EventInfo[]?[] _eventsByTick;
    private readonly FrozenDictionary<string, int> _regionIndex;

    public ScenarioContext(ScenarioInfo info, ulong seed)
    {
        Info = info;
        Seed = seed;
        Calendar = CreateCalendar(info);
        _companyIndex = IndexOf(info.Companies.Select(c => c.Id));
        _researcherIndex = IndexOf(info.Talent.Researchers.Select(r => r.Id));
        StarSkillLift = [.. info.Talent.Researchers.Select(r => TalentRules.SkillLift(info.Talent, r.Skill))];
        RampDays = [.. info.Talent.Researchers.Select(r => r.RampMonths * Calendar.DaysPerMonth)];
        MarketSalaryUsd = [.. info.Talent.Researchers.Select(r => r.MonthlySalaryUsd)];
        ResearcherKeys = [.. info.Talent.Researchers.Select(r => RandomStreams.EntityKey(seed, r.Id))];
        (_startStars, _startStarPayroll) = StartStars(info);
        LowestStarSalaryUsd = info.Talent.Researchers.IsEmpty ? double.PositiveInfinity : info.Talent.Researchers.Min(r => r.MonthlySalaryUsd);
        ResearchersById = [.. info.Talent.Researchers.Select((r, i) => (r.Id, i)).OrderBy(x => x.Id, StringComparer.Ordinal).Select(x => x.i)];
        ResearcherRanks = new int[ResearchersById.Length];
        for (var k = 0; k < ResearchersById.Length; k++)
        {
            ResearcherRanks[ResearchersById[k]] = k;
        }
        _marketIndex = IndexOf(info.Markets.Select(m => m.Id));
        var apps = info.Companies.SelectMany(c => c.Apps.Select((a, slot) => ScenarioApp.Create(this, c, a, slot))).ToArray();
        _apps = apps.ToFrozenDictionary(x => x.App.Id, StringComparer.Ordinal);
        _appsByMarket = [.. info.Markets.Select(m => apps.Where(x => x.App.Market == m.Id).ToArray())];
        _nests = [.. _appsByMarket.Select(NestsOf)];
        _eventsByTick = new EventInfo[]?[Calendar.Count];
        foreach (var g in info.Events.Where(e => e.Date >= info.Start && e.Date <= info.End).GroupBy(e => Calendar.IndexOf(e.Date)))
        {
            _eventsByTick[g.Key] = [.. g.OrderBy(e => e.Date).ThenBy(e => e.Order)];
        }
        NoOpenings = [.. new double[info.Talent.Tiers.Length]];
        Regions = info.Talent.Regions.IsEmpty ? [ImplicitRegion(info.Talent)] : info.Talent.Regions;
        _regionIndex = IndexOf(Regions.Select(r => r.Id));
        CompanyRegions = [.. info.Companies.Select(c => c.Region is null ? 0 : _regionIndex[c.Region])];
        CompaniesByRegion = [.. Regions.Select((_, r) => Enumerable.Range(0, info.Companies.Length).Where(c => CompanyRegions[c] == r).ToArray())];
        _launchTicks = [.. info.Companies.Select(c => c.Apps.Select(a => _apps[a.Id].LaunchTick).ToArray())];
        (_frontier, _qualityPull) = (new double[Calendar.Count], new double[Calendar.Count]);
        for (var t = 0; t < Calendar.Count; t++)
        {
            var tick = Calendar[t];
            _frontier[t] = info.Quality.FrontierStart * Math.Exp(info.Quality.FrontierGrowth * YearsAtEnd(tick));
            _qualityPull[t] = Math.Exp(-tick.Months / info.Quality.AdjustmentMonths);
        }
    }

    private readonly int[] _startStars;
    private readonly double[] _startStarPayroll;

    /// <summary>
    /// Each company's stars in AI at the start and their monthly salaries summed in researcher order: one pass over the
    /// researchers grouped by employer, rather than one pass per company (quadratic in a large market).
    /// </summary>
    private (int[] Count, double[] Payroll) StartStars(ScenarioInfo info)
    {
        var (count, payroll) = (new int[info.Companies.Length], new double[info.Companies.Length]);
        foreach (var r in info.Talent.Researchers)
        {
            if (r.InAi && CompanyIndexOrNone(r.Employer) is var c and >= 0)
            {
                count[c]++;
                payroll[c] += r.MonthlySalaryUsd;
            }
        }
        return (count, payroll);
    }

    /// <summary>The stars in AI the company (scenario order) employs at the start, and their monthly salaries summed in researcher order.</summary>
    public (int Count, double PayrollMonthlyUsd) StarsAtStart(int company) => (_startStars[company], _startStarPayroll[company]);

    /// <summary>
    /// Each researcher's market salary (monthlySalaryUsd as declared), in the scenario's researcher order: an array of
    /// numbers read where an offer is priced, rather than a researcher's record.
    /// </summary>
    public ImmutableArray<double> MarketSalaryUsd { get; }

    /// <summary>
    /// Each researcher's part of a random stream's key, <see cref="RandomStreams.EntityKey"/>(seed, id), in the scenario's
    /// researcher order: the job market's draws for a person start from it instead of hashing the id again.
    /// </summary>
    internal ulong[] ResearcherKeys { get; }

    private readonly int[][] _launchTicks;
    private readonly double[] _frontier;
    private readonly double[] _qualityPull;

    /// <summary>The launch tick of each of the company's apps (in its app order), as <see cref="LaunchTick"/> gives them.</summary>
    public ReadOnlySpan<int> LaunchTicks(int company) => _launchTicks[company];

    /// <summary>The quality frontier at the end of tick <paramref name="tick"/>: frontierStart e^(frontierGrowth x years).</summary>
    public double FrontierAt(int tick) => _frontier[tick];

    /// <summary>The share of the gap between model quality and capability left after tick <paramref name="tick"/>: e^(-months / adjustmentMonths).</summary>
    public double QualityPullAt(int tick) => _qualityPull[tick];

    /// <summary>The id of the one region of a scenario that declares none.</summary>
    public const string ImplicitRegionId = "all";

    /// <summary>A scenario without regions has one: each tier's supplyPerMonth, nobody unemployed at the start, the declared defaults.</summary>
    private static RegionInfo ImplicitRegion(TalentInfo talent) => new()
    {
        Id = ImplicitRegionId,
        SupplyPerMonth = [.. talent.Tiers.Select(t => t.SupplyPerMonth)],
        Unemployed = [.. talent.Tiers.Select(_ => 0.0)],
        MigrationPerMonth = [0.0],
    };

    /// <summary>The labour markets: the scenario's regions, or the one implicit region.</summary>
    public ImmutableArray<RegionInfo> Regions { get; }

    /// <summary>Each company's region index (scenario order).</summary>
    public ImmutableArray<int> CompanyRegions { get; }

    /// <summary>Per region, the indices of the companies that recruit in it, in scenario order (the job market's loops visit only those).</summary>
    internal int[][] CompaniesByRegion { get; }

    public int RegionIndex(string id) => _regionIndex[id];

    /// <summary>The region a researcher starts in: their own, else their employer's, else the first.</summary>
    public string InitialRegion(ResearcherInfo researcher) =>
        researcher.Region ?? (CompanyIndexOrNone(researcher.Employer) is var c and >= 0 ? Regions[CompanyRegions[c]].Id : Regions[0].Id);

    /// <summary>The region a company recruits in.</summary>
    public string RegionOf(int company) => Regions[CompanyRegions[company]].Id;

    public ScenarioInfo Info { get; }

    /// <summary>The scenario's calendar; dates too near the end of time are the scenario's mistake, said in words.</summary>
    private static Calendar CreateCalendar(ScenarioInfo info)
    {
        try
        {
            return info.CreateCalendar();
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            throw new ScenarioValueException(
                $"the scenario's dates ({info.Start:yyyy-MM-dd} to {info.End:yyyy-MM-dd}, {info.TickLength} ticks) cannot be laid out: " +
                "its last tick would end after 9999-12-31; choose an earlier end");
        }
    }

    public ulong Seed { get; }

    public Calendar Calendar { get; }

    /// <summary>Researcher indices in ordinal order of their ids (the order in which stars choose between offers).</summary>
    public ImmutableArray<int> ResearchersById { get; }

    /// <summary>Each researcher's position in <see cref="ResearchersById"/> (by researcher index).</summary>
    internal int[] ResearcherRanks { get; }

    /// <summary>Each researcher's uplift of a team at full ramp (<see cref="TalentRules.SkillLift"/>), in the scenario's researcher order.</summary>
    public ImmutableArray<double> StarSkillLift { get; }

    /// <summary>Each researcher's ramp-up (rampMonths) in days, in the scenario's researcher order.</summary>
    public ImmutableArray<double> RampDays { get; }

    /// <summary>
    /// The lowest market salary of a named researcher in the scenario (infinite without researchers): no offer to a star is
    /// below it times one plus the offering company's star premium, so a company whose headroom is below that makes no more offers.
    /// </summary>
    public double LowestStarSalaryUsd { get; }

    /// <summary>One zero per talent tier: the openings of a company that does not hire.</summary>
    public ImmutableArray<double> NoOpenings { get; }

    /// <summary>
    /// Whether <paramref name="company"/> is one of <paramref name="deterred"/> (company ids, as a view lists them): a flag per
    /// company, made once per list and kept for the list last asked about (every company of a tick asks about the same
    /// one), instead of a binary search comparing strings for every approached star.
    /// </summary>
    public bool IsDeterred(ImmutableArray<string> deterred, string company)
    {
        var array = ImmutableCollectionsMarshal.AsArray(deterred)!;
        // One object swapped whole: callers on other threads (a silo's company grains share a context) see an old or a new pair, never half of one.
        var last = _deterred;
        if (last is null || !ReferenceEquals(last.List, array))
        {
            // A list out of ordinal order (a scenario built in code with unsorted companies) keeps the binary search's answers.
            var flags = new bool[Info.Companies.Length];
            var sorted = true;
            for (var k = 0; k < array.Length; k++)
            {
                sorted &= k == 0 || string.CompareOrdinal(array[k - 1], array[k]) < 0;
                if (CompanyIndexOrNone(array[k]) is var c and >= 0)
                {
                    flags[c] = true;
                }
            }
            _deterred = last = new DeterredFlags(array, sorted ? flags : null);
        }
        if (last.Flags is null)
        {
            return ImmutableArray.BinarySearch(deterred, company, StringComparer.Ordinal) >= 0;
        }
        // Only company ids are listed: an employer that is no company of the scenario is not deterred.
        return CompanyIndexOrNone(company) is var index and >= 0 && last.Flags[index];
    }

    /// <summary>A deterred list and its flags per company; null flags: the list is not in ordinal order.</summary>
    private sealed record DeterredFlags(string[] List, bool[]? Flags);

    private DeterredFlags? _deterred;

    public int CompanyIndex(string id) => _companyIndex[id];

    /// <summary>The company's index in scenario order, or -1 for an id that is not a company of the scenario.</summary>
    public int CompanyIndexOrNone(string? id) => id is not null && _companyIndex.TryGetValue(id, out var index) ? index : -1;

    public CompanyInfo Company(string id) => Info.Companies[_companyIndex[id]];

    /// <summary>The researcher's index in the scenario's researcher order, or -1 for an unknown id.</summary>
    public int ResearcherIndex(string id) => _researcherIndex.TryGetValue(id, out var index) ? index : -1;

    public MarketInfo Market(string id) => Info.Markets[_marketIndex[id]];

    /// <summary>The market's place in the scenario's order.</summary>
    public int MarketIndex(string id) => _marketIndex[id];

    public RetentionCurve Retention(string app) => _apps[app].Retention;

    public AppInfo App(string app) => _apps[app].App;

    /// <summary>The apps of a market in (company, app) order: the order of its state and its supplies.</summary>
    public IReadOnlyList<ScenarioApp> AppsOf(string market) => _appsByMarket[_marketIndex[market]];

    /// <summary>For each app of the market (in its app order) the index of its nest, and the number of nests; an app without a nest has one of its own.</summary>
    public (int[] Index, int Count) Nests(string market) => _nests[_marketIndex[market]];

    private static (int[] Index, int Count) NestsOf(ScenarioApp[] apps)
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = new int[apps.Length];
        for (var i = 0; i < apps.Length; i++)
        {
            var key = apps[i].App.Nest is { Length: > 0 } nest ? "nest:" + nest : "app:" + apps[i].App.Id;
            if (!names.TryGetValue(key, out index[i]))
            {
                index[i] = names[key] = names.Count;
            }
        }
        return (index, names.Count);
    }

    /// <summary>The tick at which the app's launch date makes it available, or <see cref="ScenarioApp.NoLaunch"/>.</summary>
    public int LaunchTick(string app) => _apps[app].LaunchTick;

    /// <summary>The app's position among <paramref name="company"/>'s apps, or -1 when the company does not own it.</summary>
    public int AppSlot(CompanyInfo company, string app) =>
        _apps.TryGetValue(app, out var x) && x.Company.Id == company.Id ? x.Slot : -1;

    /// <summary>Events that take effect at the start of tick <paramref name="tick"/>, in date then file order.</summary>
    public IReadOnlyList<EventInfo> EventsAt(int tick) => (uint)tick < (uint)_eventsByTick.Length && _eventsByTick[tick] is { } events ? events : [];

    /// <summary>Ticks elapsed in years at the end of <paramref name="tick"/>.</summary>
    public double YearsAtEnd(Tick tick) => (tick.End.DayNumber - Info.Start.DayNumber) / Calendar.DaysPerYear;

    private static FrozenDictionary<string, int> IndexOf(IEnumerable<string> ids) =>
        ids.Select((id, i) => (id, i)).ToFrozenDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
}

/// <summary>An app as the rules see it every tick: its owner, its slot among the owner's apps and what its configuration implies.</summary>
public sealed record ScenarioApp(CompanyInfo Company, AppInfo App, int Slot, RetentionCurve Retention, double RetentionD30, int LaunchTick)
{
    /// <summary>No launch during the run: the app is available from the start, or its launch date is not after it.</summary>
    public const int NoLaunch = -1;

    internal static ScenarioApp Create(ScenarioContext context, CompanyInfo company, AppInfo app, int slot)
    {
        var curve = RetentionCurve.From(app.Retention);
        var launchTick = app.Launch is { } launch && launch > context.Info.Start ? context.Calendar.IndexOf(launch) : NoLaunch;
        return new ScenarioApp(company, app, slot, curve, curve.At(30), launchTick);
    }
}
