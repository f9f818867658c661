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
    public static LoadedScenario Load(string path, IReadOnlyList<string> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var (file, problem) = ReadFile(path);
        if (file is null)
        {
            throw new ScenarioException(new ScenarioError(path, 0, 0, "(file)", problem!));
        }
        return Compose(path, file, SeedsDirectory(path), sets, sha256: null);
    }

    /// <summary>Parses scenario text. Source references are checked against <paramref name="seedsDirectory"/> when given.</summary>
    public static LoadedScenario Parse(string text, string file, string? sha256 = null, string? seedsDirectory = null) =>
        Compose(file, new ScenarioFile(System.Text.Encoding.UTF8.GetBytes(text), text), seedsDirectory, [], sha256);

    /// <summary>A file's bytes and text, or why it cannot be read.</summary>
    internal static (ScenarioFile? File, string? Problem) ReadFile(string path)
    {
        try
        {
            var bytes = System.IO.File.ReadAllBytes(path);
            return (new ScenarioFile(bytes, new System.Text.UTF8Encoding(false, true).GetString(bytes)), null);
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
        };
    }

    private static LoadedScenario Compose(string path, ScenarioFile file, string? seedsDirectory, IReadOnlyList<string> sets, string? sha256)
    {
        var full = Path.GetFullPath(path);
        var sources = new ScenarioSources(full, path, seedsDirectory, ImmutableDictionary.Create<string, ScenarioFile>(StringComparer.Ordinal).Add(full, file));
        return Bind(ScenarioOverrides.Compose(sources, sets), sha256);
    }

    /// <summary>The nearest <c>seeds/</c> folder at or above the scenario's folder.</summary>
    public static string? SeedsDirectory(string scenarioPath)
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(scenarioPath)) ?? ".");
        for (; dir is not null; dir = dir.Parent)
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
        private static readonly string[] TickLengths = ["day", "week", "month"];
        private static readonly string[] Windows = ["month", "week"];
        private static readonly Dictionary<string, EventKind> EventKinds = new(StringComparer.Ordinal)
        {
            ["orgFounded"] = EventKind.OrgFounded,
            ["move"] = EventKind.Move,
            ["transfer"] = EventKind.Transfer,
            ["filing"] = EventKind.Filing,
            ["launch"] = EventKind.Launch,
            ["qualityBoost"] = EventKind.QualityBoost,
            ["budget"] = EventKind.Budget,
            ["policy"] = EventKind.Policy,
            ["funding"] = EventKind.Funding,
        };
        private static readonly Dictionary<string, TargetKind> TargetKinds = Enum.GetValues<TargetKind>()
            .ToDictionary(k => char.ToLowerInvariant(k.ToString()[0]) + k.ToString()[1..], StringComparer.Ordinal);
        private static readonly string[] TargetKeys = ["market", "app", "other", "person", "company", "month", "baseMonth", "value", "tolerance", "relative", "weight", "source"];
        private static readonly string[] ShareFields = ["salaryShare", "computeShare", "marketingShare"];

        /// <summary>The bounds of each field a policy event may change: the same as in a company's policy.</summary>
        private static readonly Dictionary<string, (double Min, double Max)> PolicyRanges = new(StringComparer.Ordinal)
        {
            ["aiBudgetShare"] = (0, 1),
            ["aiBudgetFloorUsd"] = (0, double.PositiveInfinity),
            ["salaryShare"] = (0, 1),
            ["computeShare"] = (0, 1),
            ["marketingShare"] = (0, 1),
            ["poolPremium"] = (0, 10),
            ["starPremium"] = (0, 10),
            ["poachRate"] = (0, 30),
            ["founderAttention"] = (0, 1),
            ["counterOfferPremium"] = (0, 10),
            ["nonCompeteShare"] = (0, 1),
            ["arbitrationProbability"] = (0, 1),
            ["reactionMarketingBoost"] = (0, 10),
        };

        private readonly Dictionary<string, string[]> _seedLines = new(StringComparer.Ordinal);
        private readonly List<(Node At, string Company)> _companyRefs = [];
        private readonly List<(Node At, string Person)> _personRefs = [];
        private readonly List<(Node At, string App)> _appRefs = [];
        private readonly List<(Node At, string Market)> _marketRefs = [];
        private readonly List<(Node At, DateOnly Date)> _dates = [];
        private readonly Dictionary<string, Node> _appIds = new(StringComparer.Ordinal);
        private readonly List<(Node At, EventInfo Event)> _policyEvents = [];
        private ImmutableArray<TierInfo> _tiers = [];

        public ScenarioInfo Scenario()
        {
            var root = doc.Root.AsMap();
            var name = Id(root, "name");
            var description = root.String("description", required: false) ?? "";
            var question = root.String("question", required: false) ?? "";
            var startDate = root.Required("start").AsDate();
            var endDate = root.Required("end").AsDate();
            var start = startDate ?? DateOnly.MinValue;
            var end = endDate ?? DateOnly.MinValue;
            if (startDate is not null && endDate is not null && end <= start)
            {
                root.Required("end").Report($"expected a date after start {start:yyyy-MM-dd}, got {end:yyyy-MM-dd}");
            }
            var tick = root.String("tick", required: false, oneOf: TickLengths) ?? "day";
            var tickLength = tick switch { "week" => TickLength.Week, "month" => TickLength.Month, _ => TickLength.Day };
            var seed = root.Optional("seed")?.AsLong() ?? 1;
            if (seed < 0)
            {
                root.Required("seed").Report($"expected a non-negative whole number, got {seed}");
            }

            var quality = Quality(root.Optional("quality"));
            var legal = Legal(root.Optional("legal"));
            var talent = Talent(root.Required("talent"));
            var markets = Unique(root, "markets", root.List("markets", n => Market(n, tickLength)), m => m.Id, "market");
            var companies = Unique(root, "companies", root.List("companies", Company), c => c.Id, "company");
            var events = root.List("events", Event, required: false);
            var targets = Unique(root, "targets", root.List("targets", Target, required: false), t => t.Id, "target");
            root.RejectUnknown();

            CheckReferences(markets, companies, talent);
            CheckPolicyShares(companies);
            if (startDate is not null && endDate is not null && end > start)
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

            return new ScenarioInfo
            {
                Name = name,
                Description = description,
                Question = question,
                Start = start,
                End = end,
                TickLength = tickLength,
                Seed = (ulong)Math.Max(0, seed),
                Markets = [.. markets],
                Companies = [.. companies.OrderBy(c => c.Id, StringComparer.Ordinal)],
                Talent = talent,
                Legal = legal,
                Quality = quality,
                Events = [.. events.Where(e => e is not null).Select((e, i) => e! with { Order = i }).OrderBy(e => e.Date).ThenBy(e => e.Order)],
                Targets = [.. targets],
            };
        }

        private QualityInfo Quality(Node? node)
        {
            var defaults = new QualityInfo();
            if (node is null)
            {
                return defaults;
            }
            var m = node.AsMap();
            var reportsBefore = doc.Errors.Reports;
            var q = new QualityInfo
            {
                TalentElasticity = m.NumberOr("talentElasticity", defaults.TalentElasticity, 0, 1),
                ComputeElasticity = m.NumberOr("computeElasticity", defaults.ComputeElasticity, 0, 1),
                ComputeUnitUsd = m.NumberOr("computeUnitUsd", defaults.ComputeUnitUsd, 1e-9),
                AdjustmentMonths = m.NumberOr("adjustmentMonths", defaults.AdjustmentMonths, 1e-6),
                FrontierStart = m.NumberOr("frontierStart", defaults.FrontierStart, 1e-9),
                FrontierGrowth = m.NumberOr("frontierGrowth", defaults.FrontierGrowth, 0, 10),
                Volatility = m.NumberOr("volatility", defaults.Volatility, 0, 2),
            };
            if (doc.Errors.Reports == reportsBefore && q.TalentElasticity + q.ComputeElasticity >= 1)
            {
                m.Report($"expected talentElasticity + computeElasticity < 1 (diminishing returns), got {q.TalentElasticity + q.ComputeElasticity:0.###}");
            }
            m.RejectUnknown();
            return q;
        }

        private LegalInfo Legal(Node? node)
        {
            var d = new LegalInfo();
            if (node is null)
            {
                return d;
            }
            var m = node.AsMap();
            var outcomes = m.Optional("outcomes")?.AsMap();
            var reportsBefore = doc.Errors.Reports;
            var legal = new LegalInfo
            {
                NonCompeteCompensation = m.NumberOr("nonCompeteCompensation", d.NonCompeteCompensation, 0, 10),
                ArbitrationMonths = m.NumberOr("arbitrationMonths", d.ArbitrationMonths, 0, 120),
                DamagesProbability = outcomes?.NumberOr("damages", d.DamagesProbability, 0, 1) ?? d.DamagesProbability,
                SettlementProbability = outcomes?.NumberOr("settlement", d.SettlementProbability, 0, 1) ?? d.SettlementProbability,
                DismissedProbability = outcomes?.NumberOr("dismissed", d.DismissedProbability, 0, 1) ?? d.DismissedProbability,
                DamagesSalaryMonths = m.NumberOr("damagesSalaryMonths", d.DamagesSalaryMonths, 0),
                SettlementSalaryMonths = m.NumberOr("settlementSalaryMonths", d.SettlementSalaryMonths, 0),
                DamagesDelayMonths = m.NumberOr("damagesDelayMonths", d.DamagesDelayMonths, 0, 120),
                Deterrence = m.NumberOr("deterrence", d.Deterrence, 0, 1),
                DeterrenceMonths = m.NumberOr("deterrenceMonths", d.DeterrenceMonths, 0, 120),
            };
            if (outcomes is not null && doc.Errors.Reports == reportsBefore)
            {
                var sum = legal.DamagesProbability + legal.SettlementProbability + legal.DismissedProbability;
                if (Math.Abs(sum - 1) > 1e-9)
                {
                    outcomes.Report($"expected damages + settlement + dismissed = 1, got {sum:0.######}");
                }
            }
            outcomes?.RejectUnknown();
            m.RejectUnknown();
            return legal;
        }

        private TalentInfo Talent(Node node)
        {
            var d = new TalentInfo { Tiers = [] };
            var m = node.AsMap();
            _tiers = [.. Unique(m, "tiers", m.List("tiers", Tier), t => t.Id, "tier")];
            if (_tiers.IsEmpty && m.Has("tiers"))
            {
                m.Required("tiers").Report("expected at least one tier");
            }
            var researchers = Unique(m, "researchers", m.List("researchers", Researcher, required: false), r => r.Id, "researcher");
            var talent = new TalentInfo
            {
                Tiers = _tiers,
                Researchers = [.. researchers.OrderBy(r => r.Id, StringComparer.Ordinal)],
                ChoiceNoise = m.NumberOr("choiceNoise", d.ChoiceNoise, 0, 10),
                SwitchingCost = m.NumberOr("switchingCost", d.SwitchingCost, 0, 10),
                VisionWeight = m.NumberOr("visionWeight", d.VisionWeight, 0, 10),
                FounderWeight = m.NumberOr("founderWeight", d.FounderWeight, 0, 10),
                StarWeight = m.NumberOr("starWeight", d.StarWeight, 0),
                PremiumSensitivity = m.NumberOr("premiumSensitivity", d.PremiumSensitivity, 0, 100),
            };
            m.RejectUnknown();
            return talent;
        }

        private TierInfo Tier(Node node)
        {
            var m = node.AsMap();
            var tier = new TierInfo
            {
                Id = Id(m, "id"),
                MonthlySalaryUsd = m.Number("monthlySalaryUsd", 1e-9),
                Productivity = m.NumberOr("productivity", 1, 0),
                SupplyPerMonth = m.NumberOr("supplyPerMonth", 0, 0),
                AttritionPerMonth = m.NumberOr("attritionPerMonth", 0, 0, 1),
            };
            m.RejectUnknown();
            return tier;
        }

        private ResearcherInfo Researcher(Node node)
        {
            var m = node.AsMap();
            var employer = CompanyRef(m, "employer", allowNone: true);
            var fits = m.Dict("visionFit", (company, n) =>
            {
                _companyRefs.Add((n, company));
                return n.AsNumber(0, 1) ?? 0;
            });
            var r = new ResearcherInfo
            {
                Id = Id(m, "id"),
                Name = m.String("name", required: false) ?? "",
                Employer = employer,
                Skill = m.Number("skill", 0, 1),
                MonthlySalaryUsd = m.Number("monthlySalaryUsd", 1e-9),
                Loyalty = m.NumberOr("loyalty", 0, 0, 10),
                RampMonths = m.NumberOr("rampMonths", 3, 0, 60),
                VisionFit = [.. fits.Select(f => new VisionFit { Company = f.Key, Value = f.Value })],
                InAi = m.BoolOr("inAi", true),
                Scripted = m.BoolOr("scripted", false),
            };
            Source(m);
            m.RejectUnknown();
            return r;
        }

        private MarketInfo Market(Node node, TickLength tick)
        {
            var m = node.AsMap();
            var reports = m.String("reports", required: false, oneOf: Windows) ?? "month";
            var reportsBefore = doc.Errors.Reports;
            var market = new MarketInfo
            {
                Id = Id(m, "id"),
                Name = m.String("name", required: false) ?? "",
                Reports = reports == "week" ? ActiveWindow.Week : ActiveWindow.Month,
                Potential = m.Number("potential", 0),
                Innovation = m.Number("innovation", 0, 10),
                Imitation = m.Number("imitation", 0, 100),
                InitialAdopters = m.NumberOr("initialAdopters", 0, 0),
                MultiHoming = m.NumberOr("multiHoming", 1, 1, 20),
                MarketingLift = m.NumberOr("marketingLift", 0, 0, 100),
                MarketingHalfSaturationUsd = m.NumberOr("marketingHalfSaturationUsd", 1e7, 1e-9),
                QualityWeight = m.NumberOr("qualityWeight", 1, 0, 100),
                MarketingWeight = m.NumberOr("marketingWeight", 0, 0, 100),
                EcosystemWeight = m.NumberOr("ecosystemWeight", 0, 0, 100),
                LapsedReturn = m.NumberOr("lapsedReturn", 0, 0, 1),
            };
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
            var id = Id(m, "id");
            var revenue = m.List("revenue", RevenuePoint, required: false);
            for (var i = 1; i < revenue.Count; i++)
            {
                if (revenue[i].From != DateOnly.MinValue && revenue[i - 1].From != DateOnly.MinValue && revenue[i].From <= revenue[i - 1].From)
                {
                    m.Required("revenue").AsList()[i].Report($"expected revenue points in date order, but {revenue[i].From:yyyy-MM-dd} is not after {revenue[i - 1].From:yyyy-MM-dd}");
                }
            }
            var workforce = m.Dict("workforce", (tier, n) => (Tier: tier, Node: n, Count: n.AsNumber(0) ?? 0));
            var headcount = new double[_tiers.Length];
            foreach (var (tier, (_, n, count)) in workforce)
            {
                var index = _tiers.IndexOf(_tiers.FirstOrDefault(t => t.Id == tier)!);
                if (index < 0)
                {
                    n.Report($"unknown tier '{tier}'; expected one of: {string.Join(", ", _tiers.Select(t => t.Id))}");
                    continue;
                }
                headcount[index] = count;
            }
            var company = new CompanyInfo
            {
                Id = id,
                Name = m.String("name", required: false) ?? "",
                CashUsd = m.Number("cashUsd", 0),
                Revenue = [.. revenue],
                Policy = Policy(m.Required("policy")),
                Workforce = [.. headcount],
                Ecosystem = m.NumberOr("ecosystem", 0, 0, 1),
                OtherCostShare = m.NumberOr("otherCostShare", 0, 0, 1),
                InitialQuality = m.OptionalNumber("initialQuality", 0),
                Apps = [.. m.List("apps", App).OrderBy(a => a.Id, StringComparer.Ordinal)],
            };
            m.RejectUnknown();
            return company;
        }

        private RevenuePoint RevenuePoint(Node node)
        {
            var m = node.AsMap();
            var from = m.Date("from");
            var point = new RevenuePoint { From = from, MonthlyUsd = m.Number("monthlyUsd", 0) };
            m.RejectUnknown();
            return point;
        }

        private PolicyInfo Policy(Node node)
        {
            var d = new PolicyInfo();
            var m = node.AsMap();
            var reportsBefore = doc.Errors.Reports;
            var p = new PolicyInfo
            {
                AiBudgetShare = m.NumberOr("aiBudgetShare", d.AiBudgetShare, 0, 1),
                AiBudgetFloorUsd = m.NumberOr("aiBudgetFloorUsd", d.AiBudgetFloorUsd, 0),
                SalaryShare = m.NumberOr("salaryShare", d.SalaryShare, 0, 1),
                ComputeShare = m.NumberOr("computeShare", d.ComputeShare, 0, 1),
                MarketingShare = m.NumberOr("marketingShare", d.MarketingShare, 0, 1),
                HiringLagMonths = m.NumberOr("hiringLagMonths", d.HiringLagMonths, 0, 120),
                PoolPremium = m.NumberOr("poolPremium", d.PoolPremium, 0, 10),
                StarPremium = m.NumberOr("starPremium", d.StarPremium, 0, 10),
                PoachRate = m.NumberOr("poachRate", d.PoachRate, 0, 30),
                FounderAttention = m.NumberOr("founderAttention", d.FounderAttention, 0, 1),
                CounterOfferPremium = m.NumberOr("counterOfferPremium", d.CounterOfferPremium, 0, 10),
                NonCompeteShare = m.NumberOr("nonCompeteShare", d.NonCompeteShare, 0, 1),
                NonCompeteMonths = m.NumberOr("nonCompeteMonths", d.NonCompeteMonths, 0, 60),
                ArbitrationProbability = m.NumberOr("arbitrationProbability", d.ArbitrationProbability, 0, 1),
                ReactionShareDrop = m.NumberOr("reactionShareDrop", d.ReactionShareDrop, 0, 1),
                ReactionMarketingBoost = m.NumberOr("reactionMarketingBoost", d.ReactionMarketingBoost, 0, 10),
            };
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
            var market = m.String("market") ?? "";
            _marketRefs.Add((m.Required("market"), market));
            var launch = m.OptionalDate("launch");
            var retentionNode = m.Required("retention");
            var app = new AppInfo
            {
                Id = Id(m, "id"),
                Name = m.String("name", required: false) ?? "",
                Market = market,
                Launch = launch,
                QualityFactor = m.NumberOr("qualityFactor", 1, 0, 100),
                InitialUsers = m.NumberOr("initialUsers", 0, 0),
                Retention = Retention(retentionNode),
                MarketingWeight = m.NumberOr("marketingWeight", 1, 0),
            };
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
            var d = new RetentionInfo { D30 = 0.3 };
            var m = node.AsMap();
            var reportsBefore = doc.Errors.Reports;
            var r = new RetentionInfo
            {
                D30 = m.Number("d30", 0, 1),
                FastHalfLifeDays = m.NumberOr("fastHalfLifeDays", d.FastHalfLifeDays, 1e-3, 3650),
                SlowHalfLifeDays = m.NumberOr("slowHalfLifeDays", d.SlowHalfLifeDays, 1e-3, 36500),
            };
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

        private EventInfo? Event(Node node)
        {
            var m = node.AsMap();
            var dateNode = m.Required("date");
            var date = dateNode.AsDate() ?? DateOnly.MinValue;
            if (date != DateOnly.MinValue)
            {
                _dates.Add((dateNode, date));
            }
            var kindText = m.String("kind", oneOf: EventKinds.Keys) ?? "";
            var note = m.String("note", required: false) ?? "";
            Source(m);
            if (!EventKinds.TryGetValue(kindText, out var kind))
            {
                // Reported by String(); mark the kind-specific keys as known so typos are still reported.
                foreach (var key in new[] { "company", "person", "to", "app", "multiplier", "productivityMultiplier", "bound", "changes", "amountUsd" })
                {
                    m.Has(key);
                }
                m.RejectUnknown();
                return null;
            }
            var e = new EventInfo { Date = date, Kind = kind, Note = note };
            switch (kind)
            {
                case EventKind.OrgFounded:
                    e = e with
                    {
                        Company = CompanyRef(m, "company"),
                        Multiplier = m.NumberOr("multiplier", 1, 0, 100),
                        ProductivityMultiplier = m.NumberOr("productivityMultiplier", 1, 0, 100),
                    };
                    break;
                case EventKind.Move:
                    e = e with { Person = PersonRef(m, "person"), To = CompanyRef(m, "to", allowNone: true), Bound = m.BoolOr("bound", false) };
                    break;
                case EventKind.Transfer:
                    e = e with { Person = PersonRef(m, "person") };
                    break;
                case EventKind.Filing:
                    e = e with { Company = CompanyRef(m, "company"), Person = PersonRef(m, "person") };
                    break;
                case EventKind.Launch:
                    e = e with { App = AppRef(m, "app") };
                    break;
                case EventKind.Funding:
                    e = e with { Company = CompanyRef(m, "company"), AmountUsd = m.Number("amountUsd", 0) };
                    break;
                case EventKind.QualityBoost:
                case EventKind.Budget:
                    e = e with { Company = CompanyRef(m, "company"), Multiplier = m.Number("multiplier", 0, 100) };
                    break;
                case EventKind.Policy:
                    var reportsBefore = doc.Errors.Reports;
                    var changes = m.Dict("changes", (field, n) =>
                    {
                        if (!PolicyChange.Fields.Contains(field))
                        {
                            n.Report($"unknown policy field '{field}'; expected one of: {string.Join(", ", PolicyChange.Fields)}");
                        }
                        var (min, max) = PolicyRanges.GetValueOrDefault(field, (0, double.PositiveInfinity));
                        return new PolicyChange { Field = field, Value = n.AsNumber(min, max) ?? 0 };
                    }, required: true);
                    e = e with { Company = CompanyRef(m, "company"), Changes = [.. changes.Values] };
                    if (doc.Errors.Reports == reportsBefore && e.Changes.Any(c => ShareFields.Contains(c.Field)))
                    {
                        _policyEvents.Add((m.Required("changes"), e));
                    }
                    break;
            }
            m.RejectUnknown();
            return e;
        }

        private TargetInfo Target(Node node)
        {
            var m = node.AsMap();
            var kindText = m.String("kind", oneOf: TargetKinds.Keys) ?? "";
            if (!TargetKinds.TryGetValue(kindText, out var kind))
            {
                // Reported by String(); the fields depend on the kind, so only typos are reported.
                var id = Id(m, "id");
                foreach (var key in TargetKeys)
                {
                    m.Has(key);
                }
                m.RejectUnknown();
                return new TargetInfo { Id = id, Kind = kind };
            }
            var needs = TargetFields(kind);
            var t = new TargetInfo
            {
                Id = Id(m, "id"),
                Kind = kind,
                Market = needs.Contains("market") ? MarketRef(m, "market") : null,
                App = needs.Contains("app") ? AppRef(m, "app") : null,
                Other = needs.Contains("other") ? AppRef(m, "other") : null,
                Person = needs.Contains("person") ? PersonRef(m, "person") : null,
                Company = needs.Contains("company") ? CompanyRef(m, "company") : null,
                Month = needs.Contains("month") ? m.Date("month") : null,
                BaseMonth = needs.Contains("baseMonth") ? m.Date("baseMonth") : null,
                Value = needs.Contains("value") ? m.Number("value") : null,
                Tolerance = needs.Contains("value") ? m.NumberOr("tolerance", 0, 0) : 0,
                Relative = m.BoolOr("relative", false),
                Weight = m.NumberOr("weight", 1, 0),
                Source = Source(m),
            };
            foreach (var key in new[] { "month", "baseMonth" })
            {
                if (needs.Contains(key) && m.Optional(key) is { } n && n.AsDate() is { } date)
                {
                    _dates.Add((n, date));
                }
            }
            m.RejectUnknown();
            return t;
        }

        private static string[] TargetFields(TargetKind kind) => kind switch
        {
            TargetKind.MarketActives => ["market", "month", "value"],
            TargetKind.MarketGrowth => ["market", "month", "baseMonth", "value"],
            TargetKind.AppActives => ["app", "month", "value"],
            TargetKind.AppWeeklyAtLeast => ["app", "month", "value"],
            TargetKind.AppFirst => ["app", "month"],
            TargetKind.AppAbove => ["app", "other", "month"],
            TargetKind.Retention => ["app", "value"],
            TargetKind.RetentionAbove => ["app", "other"],
            TargetKind.EmployedBy => ["person", "company", "month"],
            TargetKind.FiledAgainst => ["company", "person", "month"],
            _ => [],
        };

        private string? Source(MapReader m)
        {
            var source = m.String("source", required: false);
            if (source is null)
            {
                return null;
            }
            CheckSource(m.Required("source"), source);
            return source;
        }

        private static void CheckSource(Node at, string source)
        {
            if (!SourcePattern().IsMatch(source))
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
                    CheckSeedLines(node.Child(seq.Children[i], Node.ItemPath(node.Path, i)), seen);
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

        private string Id(MapReader m, string key)
        {
            var id = m.String(key) ?? "";
            if (id.Length > 0 && !IdPattern().IsMatch(id))
            {
                m.Required(key).Report($"expected an id of lower-case letters, digits and '-', got '{id}'");
            }
            return id;
        }

        private string? CompanyRef(MapReader m, string key, bool allowNone = false)
        {
            var value = m.String(key, required: !allowNone);
            if (value is null || (allowNone && value == "none"))
            {
                return null;
            }
            _companyRefs.Add((m.Required(key), value));
            return value;
        }

        private string PersonRef(MapReader m, string key)
        {
            var value = m.String(key) ?? "";
            _personRefs.Add((m.Required(key), value));
            return value;
        }

        private string AppRef(MapReader m, string key)
        {
            var value = m.String(key) ?? "";
            _appRefs.Add((m.Required(key), value));
            return value;
        }

        private string MarketRef(MapReader m, string key)
        {
            var value = m.String(key) ?? "";
            _marketRefs.Add((m.Required(key), value));
            return value;
        }

        private void CheckReferences(IReadOnlyList<MarketInfo> markets, IReadOnlyList<CompanyInfo> companies, TalentInfo talent)
        {
            Check(_companyRefs, companies.Select(c => c.Id), "company");
            Check(_marketRefs, markets.Select(m => m.Id), "market");
            Check(_appRefs, companies.SelectMany(c => c.Apps).Select(a => a.Id), "app");
            Check(_personRefs, talent.Researchers.Select(r => r.Id), "researcher");
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

        private static void Check(List<(Node At, string Id)> refs, IEnumerable<string> defined, string what)
        {
            var ids = defined.ToHashSet(StringComparer.Ordinal);
            foreach (var (at, id) in refs)
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
                if (itemId.Length == 0 || first.TryAdd(itemId, i))
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
