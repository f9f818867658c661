using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Simulation.Model.Config;
using Simulation.Model.Rules;
using Simulation.Model.Time;
using Simulation.Scenarios.Yaml;
using YamlMappingNode = YamlDotNet.RepresentationModel.YamlMappingNode;
using YamlNode = YamlDotNet.RepresentationModel.YamlNode;
using YamlScalarNode = YamlDotNet.RepresentationModel.YamlScalarNode;
using YamlSequenceNode = YamlDotNet.RepresentationModel.YamlSequenceNode;

namespace Simulation.Scenarios;

/// <summary>A scenario as loaded: its configuration, where it came from, and where each number came from.</summary>
/// <remarks>
/// <see cref="Sha256"/> covers every file read (a what-if and the scenarios it extends) and the <see cref="Sets"/>.
/// </remarks>
public sealed record LoadedScenario(ScenarioInfo Info, string File, string Sha256, ProvenanceLog Provenance)
{
    /// <summary>The <c>--set PATH=VALUE</c> overrides applied on top of the file, in order.</summary>
    public ImmutableArray<string> Sets { get; init; } = [];

    /// <summary>The <c>seeds/</c> folder its <c>source:</c> lines were checked against; null: they were not checked.</summary>
    public string? SeedsDirectory { get; init; }

    /// <summary>The files it was read from, for <see cref="ScenarioOverrides.Apply(LoadedScenario, string, double)"/>; null if built in code.</summary>
    internal ScenarioSources? Sources { get; init; }
}

/// <summary>
/// Loads a scenario file into validated, immutable configuration. Every problem is reported with
/// file, line, column, field path and what was expected, all at once, as a <see cref="ScenarioException"/>.
/// A file may extend another and override its values (see <see cref="ScenarioOverrides"/>).
/// </summary>
public static partial class ScenarioLoader
{
    public static LoadedScenario Load(string path) => Load(path, []);

    /// <summary>Loads a scenario file with <c>PATH=VALUE</c> overrides (the <c>--set</c> options) applied after the file's own.</summary>
    public static LoadedScenario Load(string path, IReadOnlyList<string> sets) => Load(path, sets, seedsDirectory: null);

    /// <summary>
    /// Loads a scenario file with overrides, checking its <c>source:</c> lines against <paramref name="seedsDirectory"/>
    /// (null: the <c>seeds/</c> folder found by <see cref="SeedsDirectory"/>; when none is found, sources are not checked,
    /// and <see cref="LoadedScenario.SeedsDirectory"/> says so).
    /// </summary>
    public static LoadedScenario Load(string path, IReadOnlyList<string> sets, string? seedsDirectory)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var (file, problem) = ReadFile(path);
        if (file is null)
        {
            throw new ScenarioException(new ScenarioError(path, 0, 0, "(file)", problem!));
        }
        return Compose(path, file, seedsDirectory ?? SeedsDirectory(path), sets, sha256: null);
    }

    /// <summary>Parses scenario text. Source references are checked against <paramref name="seedsDirectory"/> when given.</summary>
    public static LoadedScenario Parse(string text, string file, string? sha256 = null, string? seedsDirectory = null) =>
        Compose(file, new ScenarioFile(System.Text.Encoding.UTF8.GetBytes(text), WithoutByteOrderMark(text)), seedsDirectory, [], sha256);

    /// <summary>Editors on Windows may start a UTF-8 file with a byte-order mark: it is not part of the text.</summary>
    private static string WithoutByteOrderMark(string text) => text.StartsWith('\uFEFF') ? text[1..] : text;

    /// <summary>A file's bytes and text, or why it cannot be read.</summary>
    internal static (ScenarioFile? File, string? Problem) ReadFile(string path)
    {
        try
        {
            var bytes = System.IO.File.ReadAllBytes(path);
            return (new ScenarioFile(bytes, WithoutByteOrderMark(new System.Text.UTF8Encoding(false, true).GetString(bytes))), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
        {
            return (null, e switch
            {
                System.Text.DecoderFallbackException => "not valid UTF-8 text",
                FileNotFoundException or DirectoryNotFoundException => "file not found",
                UnauthorizedAccessException when Directory.Exists(path) => "is a folder, not a scenario file",
                _ => e.Message,
            });
        }
    }

    /// <summary>Binds a composed tree (after <c>extends</c> and overrides) into validated configuration.</summary>
    internal static LoadedScenario Bind(Composition composed, string? sha256)
    {
        var doc = composed.Document;
        var info = new Binder(doc, composed.Sources.SeedsDirectory).Scenario();
        doc.Errors.ThrowIfAny();
        ScenarioLimits.Enforce(info, doc);
        ScenarioOverrides.NoteOverrides(composed, doc.Provenance);
        return new LoadedScenario(info, composed.Sources.TopFile, sha256 ?? composed.Sha256, doc.Provenance)
        {
            Sets = composed.Sets,
            Sources = composed.Sources,
            SeedsDirectory = composed.Sources.SeedsDirectory,
        };
    }

    private static LoadedScenario Compose(string path, ScenarioFile file, string? seedsDirectory, IReadOnlyList<string> sets, string? sha256)
    {
        var full = Path.GetFullPath(path);
        var sources = new ScenarioSources(full, path, seedsDirectory, ImmutableDictionary.Create<string, ScenarioFile>(StringComparer.Ordinal).Add(full, file));
        return Bind(ScenarioOverrides.Compose(sources, sets), sha256);
    }

    /// <summary>
    /// The <c>seeds/</c> folder a scenario's sources are checked against: the nearest one at or above the scenario's
    /// folder, else the one of the repository this program was built in (for a scenario copied elsewhere); null if neither exists.
    /// </summary>
    public static string? SeedsDirectory(string scenarioPath) =>
        SeedsAbove(Path.GetDirectoryName(Path.GetFullPath(scenarioPath)) ?? ".") ?? SeedsAbove(AppContext.BaseDirectory);

    private static string? SeedsAbove(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            var seeds = Path.Combine(dir.FullName, "seeds");
            if (Directory.Exists(seeds))
            {
                return seeds;
            }
        }
        return null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^seeds/(?<file>[^:\s]+):(?<line>[0-9]+)(-(?<end>[0-9]+))?$")]
    private static partial Regex SourcePattern();

    private sealed class Binder(YamlDocument doc, string? seedsDirectory)
    {
        private static readonly string[] ShareFields = ["salaryShare", "computeShare", "marketingShare"];

        private readonly Dictionary<string, string[]> _seedLines = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<(Node At, string Id)>> _refs = new(StringComparer.Ordinal);
        private readonly List<(Node At, DateOnly Date)> _dates = [];
        private readonly Dictionary<string, Node> _appIds = new(StringComparer.Ordinal);
        private readonly List<(Node At, EventInfo Event)> _policyEvents = [];
        private ImmutableArray<TierInfo> _tiers = [];

        public ScenarioInfo Scenario()
        {
            var root = doc.Root.AsMap();
            var reportsBefore = doc.Errors.Reports;
            var scenario = Scalars<ScenarioInfo>(root);
            var (start, end) = (scenario.Start, scenario.End);
            var datesRead = doc.Errors.Reports == reportsBefore || (start != DateOnly.MinValue && end != DateOnly.MinValue);
            if (start != DateOnly.MinValue && end != DateOnly.MinValue && end <= start)
            {
                root.Required("end").Report($"expected a date after start {start:yyyy-MM-dd}, got {end:yyyy-MM-dd}");
            }

            var quality = Quality(root.Optional("quality"));
            var legal = Legal(root.Optional("legal"));
            var talent = Talent(root.Required("talent"));
            var markets = Unique(root, "markets", root.List("markets", n => Market(n, scenario.TickLength)), m => m.Id, "market");
            var companies = Unique(root, "companies", root.List("companies", Company), c => c.Id, "company");
            var events = root.List("events", Event, required: false);
            Unique(root, "events", events.Where(e => e is not null).ToList(), e => e!.Id ?? "", "event");
            var series = Unique(root, "series", root.List("series", Series, required: false), x => x.Id, "series");
            var targets = Unique(root, "targets", root.List("targets", Target, required: false), t => t.Id, "target");
            var workshop = Workshop(root.Optional("workshop"));
            root.RejectUnknown();

            CheckReferences(markets, companies, talent, series);
            CheckPolicyShares(companies);
            if (datesRead && start != DateOnly.MinValue && end > start)
            {
                foreach (var (at, date) in _dates)
                {
                    if (date < start || date > end)
                    {
                        at.Report($"expected a date within the scenario ({start:yyyy-MM-dd} to {end:yyyy-MM-dd}), got {date:yyyy-MM-dd}");
                    }
                }
            }
            CheckSeedLines(doc.Root, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));

            return scenario with
            {
                Markets = [.. markets],
                Companies = [.. companies.OrderBy(c => c.Id, StringComparer.Ordinal)],
                Talent = talent,
                Legal = legal,
                Quality = quality,
                Events = [.. events.Where(e => e is not null).Select((e, i) => e! with { Order = i }).OrderBy(e => e.Date).ThenBy(e => e.Order)],
                Series = [.. series],
                Targets = [.. targets],
                Workshop = workshop,
            };
        }

        /// <summary>
        /// Reads the declared single-valued fields of <typeparamref name="T"/> (numbers, whole numbers, booleans, texts,
        /// ids, references, dates and choices: see <see cref="ParamAttribute"/>) from <paramref name="m"/>; fields left
        /// out keep their declared defaults. Objects, lists and maps are left to the caller. With <paramref name="kind"/>
        /// (events, targets), only the fields of that kind are read and <see cref="ParamAttribute.RequiredFor"/> applies.
        /// </summary>
        private T Scalars<T>(MapReader m, string? kind = null) where T : class
        {
            var record = (T)ParamReflection.Defaults(typeof(T));
            Dictionary<string, MapReader?>? nested = null;
            foreach (var d in ParamReflection.Of(typeof(T)))
            {
                if (d.Kind is ParamKind.Object or ParamKind.List or ParamKind.NumberMap || (kind is not null && !d.AppliesTo(kind)))
                {
                    continue;
                }
                var (map, key) = (m, d.Key);
                if (d.Key.IndexOf('.', StringComparison.Ordinal) is var dot and > 0)
                {
                    nested ??= new(StringComparer.Ordinal);
                    var parent = d.Key[..dot];
                    if (!nested.TryGetValue(parent, out var sub))
                    {
                        nested[parent] = sub = m.Optional(parent)?.AsMap();
                    }
                    if (sub is null)
                    {
                        continue;
                    }
                    (map, key) = (sub, d.Key[(dot + 1)..]);
                }
                var required = kind is null ? d.Required : d.RequiredFor(kind);
                if (Read(map, key, d, required) is { } value)
                {
                    ParamReflection.Set(record, d, value);
                }
                else if (d.Required && d.Property.PropertyType == typeof(string))
                {
                    ParamReflection.Set(record, d, ""); // missing or wrong, and reported: later checks see no id, not null
                }
            }
            foreach (var sub in nested?.Values ?? Enumerable.Empty<MapReader?>())
            {
                sub?.RejectUnknown();
            }
            return record;
        }

        /// <summary>One declared field's value, or null to keep the default (absent, or after an error it reported).</summary>
        private object? Read(MapReader m, string key, ParamDeclaration d, bool required)
        {
            var type = Nullable.GetUnderlyingType(d.Property.PropertyType) ?? d.Property.PropertyType;
            switch (d.Kind)
            {
                case ParamKind.Number:
                    var number = required
                        ? m.Number(key, d.Min, d.Max, d.Declared.MinExclusive)
                        : m.OptionalNumber(key, d.Min, d.Max, d.Declared.MinExclusive);
                    if (number is not null && !d.Use.HasFlag(ParamUse.Fit) && m.Optional(key) is { } numberNode
                        && doc.Provenance.Find(numberNode.Path) is { FitMin: not null })
                    {
                        numberNode.Report($"'{key}' cannot be fitted (it is not a fittable parameter): remove its 'fit:'");
                    }
                    return number;
                case ParamKind.Integer:
                    var node = required ? m.Required(key) : m.Optional(key);
                    if (node?.AsLong() is not { } whole)
                    {
                        return null;
                    }
                    if (!Node.InRange(node, whole, d.Min, d.Max, d.Declared.MinExclusive))
                    {
                        return null;
                    }
                    return Convert.ChangeType(whole, type, System.Globalization.CultureInfo.InvariantCulture);
                case ParamKind.Boolean:
                    return (required ? m.Required(key) : m.Optional(key))?.AsBool();
                case ParamKind.Date:
                    return required ? m.Date(key) : m.OptionalDate(key);
                case ParamKind.Choice:
                    var word = m.String(key, required, oneOf: d.Choices);
                    return word is null ? null : Enum.Parse(type, word, ignoreCase: true);
                case ParamKind.Id:
                    var id = m.String(key, required);
                    if (id is { Length: > 0 } && !IdPattern().IsMatch(id))
                    {
                        m.Required(key).Report($"expected an id of lower-case letters, digits and '-', got '{id}'");
                    }
                    return Bounded(m, key, d, id);
                case ParamKind.Reference:
                    var reference = m.String(key, required);
                    if (reference is null || (d.Declared.AllowsNone && reference == "none"))
                    {
                        return null;
                    }
                    Refs(d.Declared.References!).Add((m.Required(key), reference));
                    return reference;
                default:
                    return Bounded(m, key, d, m.String(key, required));
            }
        }

        /// <summary>A text within its declared length (<see cref="ParamAttribute.MaxLength"/>), else reported.</summary>
        private static string? Bounded(MapReader m, string key, ParamDeclaration d, string? text)
        {
            if (text is not null && d.Declared.MaxLength > 0 && text.Length > d.Declared.MaxLength)
            {
                m.Required(key).Report($"expected at most {d.Declared.MaxLength} characters, got {text.Length}");
            }
            return text;
        }

        private List<(Node At, string Id)> Refs(string list)
        {
            if (!_refs.TryGetValue(list, out var refs))
            {
                _refs[list] = refs = [];
            }
            return refs;
        }

        /// <summary>A mapping from the ids of another list to numbers, within the bounds <paramref name="d"/> declares.</summary>
        private IReadOnlyDictionary<string, (Node At, double Value)> NumberMap(MapReader m, ParamDeclaration d, bool required = false) =>
            m.Dict(d.Key, (key, n) => (n, n.AsNumber(d.Min, d.Max, d.Declared.MinExclusive) ?? 0), required);

        private static ParamDeclaration Declared<T>(string key) =>
            ParamReflection.Find(typeof(T), key) ?? throw new InvalidOperationException($"{typeof(T).Name} declares no '{key}'");

        private QualityInfo Quality(Node? node)
        {
            if (node is null)
            {
                return new QualityInfo();
            }
            var m = node.AsMap();
            var reportsBefore = doc.Errors.Reports;
            var q = Scalars<QualityInfo>(m);
            if (doc.Errors.Reports == reportsBefore && q.TalentElasticity + q.ComputeElasticity >= 1)
            {
                m.Report($"expected talentElasticity + computeElasticity < 1 (diminishing returns), got {q.TalentElasticity + q.ComputeElasticity:0.###}");
            }
            m.RejectUnknown();
            return q;
        }

        private LegalInfo Legal(Node? node)
        {
            if (node is null)
            {
                return new LegalInfo();
            }
            var m = node.AsMap();
            var reportsBefore = doc.Errors.Reports;
            var legal = Scalars<LegalInfo>(m);
            if (m.Optional("outcomes") is { } outcomes && doc.Errors.Reports == reportsBefore)
            {
                var sum = legal.DamagesProbability + legal.SettlementProbability + legal.DismissedProbability;
                if (Math.Abs(sum - 1) > 1e-9)
                {
                    outcomes.Report($"expected damages + settlement + dismissed = 1, got {sum:0.######}");
                }
            }
            m.RejectUnknown();
            return legal;
        }

        private WorkshopInfo Workshop(Node? node)
        {
            if (node is null)
            {
                return new WorkshopInfo();
            }
            var m = node.AsMap();
            var reportsBefore = doc.Errors.Reports;
            var workshop = Scalars<WorkshopInfo>(m);
            if (m.Optional("scoreWeights") is { } weights && doc.Errors.Reports == reportsBefore
                && workshop.UsersWeight + workshop.ShareWeight + workshop.RetentionWeight + workshop.CashWeight + workshop.TalentWeight <= 0)
            {
                weights.Report("expected at least one weight above 0");
            }
            m.RejectUnknown();
            return workshop;
        }

        private TalentInfo Talent(Node node)
        {
            var m = node.AsMap();
            _tiers = [.. Unique(m, "tiers", m.List("tiers", Tier), t => t.Id, "tier")];
            if (_tiers.IsEmpty && m.Has("tiers"))
            {
                m.Required("tiers").Report("expected at least one tier");
            }
            var researchers = Unique(m, "researchers", m.List("researchers", Researcher, required: false), r => r.Id, "researcher");
            var migrations = new List<IReadOnlyDictionary<string, (Node At, double Value)>>();
            var regions = Unique(m, "regions", m.List("regions", n => Region(n, migrations), required: false), r => r.Id, "region");
            if (regions.Count > 0)
            {
                var ids = regions.Select(r => r.Id).ToList();
                for (var i = 0; i < regions.Count; i++)
                {
                    var rates = new double[ids.Count];
                    foreach (var (to, (at, rate)) in migrations[i])
                    {
                        var index = ids.IndexOf(to);
                        if (index < 0)
                        {
                            at.Report($"unknown region '{to}'; expected one of: {string.Join(", ", ids)}");
                        }
                        else if (index == i)
                        {
                            at.Report($"a region cannot migrate to itself ('{to}')");
                        }
                        else
                        {
                            rates[index] = rate;
                        }
                    }
                    regions[i] = regions[i] with { MigrationPerMonth = [.. rates] };
                }
                // With regions, each region gives its supply: a tier's own supplyPerMonth would be a second place for it.
                var tierNodes = m.Optional("tiers")?.AsList() ?? [];
                foreach (var tierNode in tierNodes)
                {
                    if (tierNode.AsMap().Optional("supplyPerMonth") is { } supplyNode)
                    {
                        supplyNode.Report("with talent.regions, each region gives the supply (regions.<region>.supplyPerMonth); remove the tier's supplyPerMonth");
                    }
                }
            }
            var talent = Scalars<TalentInfo>(m) with
            {
                Tiers = _tiers,
                Researchers = [.. researchers.OrderBy(r => r.Id, StringComparer.Ordinal)],
                Regions = [.. regions],
            };
            m.RejectUnknown();
            return talent;
        }

        private TierInfo Tier(Node node)
        {
            var m = node.AsMap();
            var tier = Scalars<TierInfo>(m);
            m.RejectUnknown();
            return tier;
        }

        private RegionInfo Region(Node node, List<IReadOnlyDictionary<string, (Node At, double Value)>> migrations)
        {
            var m = node.AsMap();
            var region = Scalars<RegionInfo>(m) with
            {
                SupplyPerMonth = ByTier(m, Declared<RegionInfo>("supplyPerMonth")),
                Unemployed = ByTier(m, Declared<RegionInfo>("unemployed")),
            };
            migrations.Add(NumberMap(m, Declared<RegionInfo>("migrationPerMonth")));
            m.RejectUnknown();
            return region;
        }

        /// <summary>A map of numbers by tier id, as one value per tier in tier order (0 for a tier it leaves out).</summary>
        private ImmutableArray<double> ByTier(MapReader m, ParamDeclaration d)
        {
            var values = new double[_tiers.Length];
            foreach (var (tier, (at, value)) in NumberMap(m, d))
            {
                var index = _tiers.Select(t => t.Id).ToList().IndexOf(tier);
                if (index < 0)
                {
                    at.Report($"unknown tier '{tier}'; expected one of: {string.Join(", ", _tiers.Select(t => t.Id))}");
                    continue;
                }
                values[index] = value;
            }
            return [.. values];
        }

        private ResearcherInfo Researcher(Node node)
        {
            var m = node.AsMap();
            var fits = NumberMap(m, Declared<ResearcherInfo>("visionFit"));
            foreach (var (company, (at, _)) in fits)
            {
                Refs("companies").Add((at, company));
            }
            var r = Scalars<ResearcherInfo>(m) with
            {
                VisionFit = [.. fits.Select(f => new VisionFit { Company = f.Key, Value = f.Value.Value })],
            };
            CheckSource(m);
            m.RejectUnknown();
            return r;
        }

        private MarketInfo Market(Node node, TickLength tick)
        {
            var m = node.AsMap();
            var reportsBefore = doc.Errors.Reports;
            var market = Scalars<MarketInfo>(m);
            if (doc.Errors.Reports == reportsBefore && market.InitialAdopters > market.Potential && m.Has("initialAdopters"))
            {
                m.Required("initialAdopters").Report($"expected at most the potential ({market.Potential:0}), got {market.InitialAdopters:0}");
            }
            if (market.Reports == ActiveWindow.Week && tick == TickLength.Month)
            {
                m.Required("reports").Report("a market reporting weekly actives needs tick: day or week (a month tick cannot see a 7-day window)");
            }
            m.RejectUnknown();
            return market;
        }

        private CompanyInfo Company(Node node)
        {
            var m = node.AsMap();
            var company = Scalars<CompanyInfo>(m);
            var revenue = m.List("revenue", RevenuePoint, required: false);
            for (var i = 1; i < revenue.Count; i++)
            {
                if (revenue[i].From != DateOnly.MinValue && revenue[i - 1].From != DateOnly.MinValue && revenue[i].From <= revenue[i - 1].From)
                {
                    m.Required("revenue").AsList()[i].Report($"expected revenue points in date order, but {revenue[i].From:yyyy-MM-dd} is not after {revenue[i - 1].From:yyyy-MM-dd}");
                }
            }
            var headcount = ByTier(m, Declared<CompanyInfo>("workforce"));
            company = company with
            {
                Revenue = [.. revenue],
                Policy = Policy(m.Required("policy")),
                Workforce = headcount,
                Apps = [.. m.List("apps", App).OrderBy(a => a.Id, StringComparer.Ordinal)],
            };
            m.RejectUnknown();
            return company;
        }

        private RevenuePoint RevenuePoint(Node node)
        {
            var m = node.AsMap();
            var point = Scalars<RevenuePoint>(m);
            m.RejectUnknown();
            return point;
        }

        private PolicyInfo Policy(Node node)
        {
            var m = node.AsMap();
            var reportsBefore = doc.Errors.Reports;
            var p = Scalars<PolicyInfo>(m);
            var sum = p.SalaryShare + p.ComputeShare + p.MarketingShare;
            if (doc.Errors.Reports == reportsBefore && Math.Abs(sum - 1) > 1e-9)
            {
                m.Report($"expected salaryShare + computeShare + marketingShare = 1, got {sum:0.######}");
            }
            m.RejectUnknown();
            return p;
        }

        private AppInfo App(Node node)
        {
            var m = node.AsMap();
            var app = Scalars<AppInfo>(m) with { Retention = Retention(m.Required("retention")) };
            if (app.Id.Length > 0 && m.Optional("id") is { } idNode && !_appIds.TryAdd(app.Id, idNode))
            {
                // App ids name apps across companies (events, targets), so they are unique in the whole scenario.
                idNode.Report($"app id '{app.Id}' is defined more than once (first at line {_appIds[app.Id].Line})");
            }
            m.RejectUnknown();
            return app;
        }

        private RetentionInfo Retention(Node node)
        {
            var m = node.AsMap();
            var reportsBefore = doc.Errors.Reports;
            var r = Scalars<RetentionInfo>(m);
            // The bounds are checked only when the three numbers themselves are valid (else they are fallbacks).
            if (doc.Errors.Reports == reportsBefore)
            {
                var (lo, hi) = RetentionCurve.Bounds(r);
                if (r.FastHalfLifeDays >= r.SlowHalfLifeDays)
                {
                    m.Report($"expected fastHalfLifeDays < slowHalfLifeDays, got {r.FastHalfLifeDays:0.###} and {r.SlowHalfLifeDays:0.###}");
                }
                else if (!(r.D30 > lo && r.D30 < hi))
                {
                    m.Required("d30").Report($"expected a 30-day retention strictly between {lo:0.####} and {hi:0.####} (reachable with these half-lives), got {r.D30}");
                }
            }
            m.RejectUnknown();
            return r;
        }

        /// <summary>The kind of an event or a target, or null after reporting it (then every field is marked known, so only typos are reported).</summary>
        private static string? Kind<T>(MapReader m)
        {
            var kind = m.String("kind", oneOf: Declared<T>("kind").Choices);
            if (kind is null)
            {
                foreach (var d in ParamReflection.Of(typeof(T)))
                {
                    m.Has(d.Key);
                }
            }
            return kind;
        }

        private EventInfo? Event(Node node)
        {
            var m = node.AsMap();
            if (Kind<EventInfo>(m) is not { } kind)
            {
                m.RejectUnknown();
                return null;
            }
            var e = Scalars<EventInfo>(m, kind);
            if (m.Optional("date") is { } dateNode && e.Date != DateOnly.MinValue)
            {
                _dates.Add((dateNode, e.Date));
            }
            CheckSource(m);
            if (e.Kind == EventKind.Policy)
            {
                var reportsBefore = doc.Errors.Reports;
                e = e with { Changes = [.. PolicyChanges(m)] };
                if (doc.Errors.Reports == reportsBefore && e.Changes.Any(c => ShareFields.Contains(c.Field)))
                {
                    _policyEvents.Add((m.Required("changes"), e));
                }
            }
            m.RejectUnknown();
            return e;
        }

        /// <summary>A policy event's <c>changes</c>: the company's decisions (<see cref="ParamUse.Decision"/>), each within its declared range.</summary>
        private IEnumerable<PolicyChange> PolicyChanges(MapReader m)
        {
            var decisions = ParamReflection.Of(typeof(PolicyInfo)).Where(d => d.Use.HasFlag(ParamUse.Decision)).ToDictionary(d => d.Key, StringComparer.Ordinal);
            var changes = m.Dict("changes", (field, n) =>
            {
                if (!decisions.TryGetValue(field, out var d))
                {
                    n.Report($"unknown policy field '{field}'; a policy event may change: {string.Join(", ", decisions.Keys)}");
                    return null;
                }
                return n.AsNumber(d.Min, d.Max, d.Declared.MinExclusive) is { } value ? new PolicyChange { Field = field, Value = value } : null;
            }, required: true);
            return changes.Values.OfType<PolicyChange>();
        }

        private SeriesInfo Series(Node node)
        {
            var m = node.AsMap();
            var series = Scalars<SeriesInfo>(m);
            m.RejectUnknown();
            return series;
        }

        private TargetInfo Target(Node node)
        {
            var m = node.AsMap();
            if (Kind<TargetInfo>(m) is not { } kind)
            {
                var id = Scalars<TargetInfo>(m, "").Id;
                m.RejectUnknown();
                return new TargetInfo { Id = id, Kind = default, Month = default };
            }
            var t = Scalars<TargetInfo>(m, kind);
            foreach (var key in new[] { "month", "baseMonth" })
            {
                if (Declared<TargetInfo>(key).AppliesTo(kind) && m.Optional(key) is { } n && n.AsDate() is { } date)
                {
                    _dates.Add((n, date));
                }
            }
            CheckSource(m);
            m.RejectUnknown();
            return t;
        }

        /// <summary>Checks the shape of a <c>source:</c> field (its line is checked with every other source, see <see cref="CheckSeedLines"/>).</summary>
        private static void CheckSource(MapReader m)
        {
            if (m.Optional("source") is { } at && at.AsString() is { } source && !SourcePattern().IsMatch(source))
            {
                at.Report($"expected a source like 'seeds/<file>:<line>', got '{source}'");
            }
        }

        /// <summary>
        /// Checks every well-formed <c>source:</c> in the document (of researchers, events, targets and
        /// numbers) against the seeds folder: the file must exist and have the cited lines.
        /// Malformed sources are reported where they are read.
        /// </summary>
        private void CheckSeedLines(Node node, HashSet<YamlNode> seen)
        {
            if (seedsDirectory is null || node.Yaml is not { } yaml || !seen.Add(yaml))
            {
                return;
            }
            if (yaml is YamlSequenceNode seq)
            {
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    CheckSeedLines(node.Child(seq.Children[i], Node.ItemPath(node.Path, i, seq.Children[i])), seen);
                }
                return;
            }
            if (yaml is not YamlMappingNode map)
            {
                return;
            }
            foreach (var (key, value) in map.Children)
            {
                if (key is not YamlScalarNode { Value: { } name })
                {
                    continue;
                }
                var child = node.Child(value, Node.ChildPath(node.Path, name));
                if (name == "source" && value is YamlScalarNode { Value: { } text } && SourcePattern().Match(text) is { Success: true } match)
                {
                    CheckSeedLine(child, text, match);
                }
                else
                {
                    CheckSeedLines(child, seen);
                }
            }
        }

        private void CheckSeedLine(Node at, string source, Match match)
        {
            if (seedsDirectory is null)
            {
                return;
            }
            var file = match.Groups["file"].Value;
            if (!_seedLines.TryGetValue(file, out var lines))
            {
                var path = Path.Combine(seedsDirectory, file);
                lines = System.IO.File.Exists(path) ? System.IO.File.ReadAllLines(path) : [];
                _seedLines[file] = lines;
            }
            var line = LineNumber(match.Groups["line"].Value);
            var last = match.Groups["end"].Success ? LineNumber(match.Groups["end"].Value) : line;
            if (lines.Length == 0)
            {
                at.Report($"source file 'seeds/{file}' does not exist (or is empty) in {seedsDirectory}");
            }
            else if (line < 1 || last < line || last > lines.Length)
            {
                at.Report($"source 'seeds/{file}' has lines 1 to {lines.Length}, got {source[(source.LastIndexOf(':') + 1)..]}");
            }
        }

        /// <summary>A line number of a source; one too large for an int is past the end of any file.</summary>
        private static int LineNumber(string digits) =>
            int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;

        private void CheckReferences(IReadOnlyList<MarketInfo> markets, IReadOnlyList<CompanyInfo> companies, TalentInfo talent, IReadOnlyList<SeriesInfo> series)
        {
            Check("series", series.Select(x => x.Id), "series");
            Check("companies", companies.Select(c => c.Id), "company");
            Check("markets", markets.Select(m => m.Id), "market");
            Check("apps", companies.SelectMany(c => c.Apps).Select(a => a.Id), "app");
            Check("researchers", talent.Researchers.Select(r => r.Id), "researcher");
            Check("regions", talent.Regions.Select(r => r.Id), "region");
        }

        /// <summary>
        /// A policy event that changes salaryShare, computeShare or marketingShare must leave them summing
        /// to 1 (with the company's policy as changed by its earlier events), as a company's policy must.
        /// </summary>
        private void CheckPolicyShares(IReadOnlyList<CompanyInfo> companies)
        {
            var policies = new Dictionary<string, PolicyInfo>(StringComparer.Ordinal);
            foreach (var c in companies)
            {
                policies.TryAdd(c.Id, c.Policy);
            }
            // OrderBy is stable: events of the same date keep their order in the file, as when they are applied.
            foreach (var (at, e) in _policyEvents.OrderBy(p => p.Event.Date))
            {
                if (e.Company is null || !policies.TryGetValue(e.Company, out var policy))
                {
                    continue;
                }
                policy = e.Changes.Aggregate(policy, (p, c) => c.ApplyTo(p));
                policies[e.Company] = policy;
                var sum = policy.SalaryShare + policy.ComputeShare + policy.MarketingShare;
                if (Math.Abs(sum - 1) > 1e-9)
                {
                    at.Report($"expected salaryShare + computeShare + marketingShare = 1 for '{e.Company}' after these changes, got {sum:0.######}");
                }
            }
        }

        private void Check(string list, IEnumerable<string> defined, string what)
        {
            var ids = defined.ToHashSet(StringComparer.Ordinal);
            foreach (var (at, id) in Refs(list))
            {
                if (id.Length > 0 && !ids.Contains(id))
                {
                    var known = ids.Order(StringComparer.Ordinal).ToList();
                    at.Report(known.Count == 0
                        ? $"unknown {what} '{id}': no {what} is defined"
                        : $"unknown {what} '{id}'; expected one of: {string.Join(", ", known)}");
                }
            }
        }

        /// <summary>Reports each item of the list <paramref name="key"/> whose id an earlier item has, at the duplicate's <c>id</c>.</summary>
        private static List<T> Unique<T>(MapReader parent, string key, IReadOnlyList<T> items, Func<T, string> id, string what)
        {
            var first = new Dictionary<string, int>(StringComparer.Ordinal);
            IReadOnlyList<Node>? nodes = null;
            for (var i = 0; i < items.Count; i++)
            {
                var itemId = id(items[i]);
                if (string.IsNullOrEmpty(itemId) || first.TryAdd(itemId, i)) // an item without a readable id has had its error
                {
                    continue;
                }
                // Items were read from this list, so it is a list of mappings with these ids.
                nodes ??= parent.Optional(key)?.AsList() ?? [];
                var at = nodes[i].AsMap().Optional("id") ?? nodes[i];
                var firstAt = nodes[first[itemId]].AsMap().Optional("id") ?? nodes[first[itemId]];
                at.Report($"{what} id '{itemId}' is defined more than once (first at line {firstAt.Line})");
            }
            return [.. items];
        }
    }
}
