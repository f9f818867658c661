using System.Globalization;
using System.Text;
using static System.FormattableString;
using Simulation.Model.Config;
using Simulation.Model.Time;
using Simulation.Scenarios;

namespace Simulation.Cli.Bench;

/// <summary>
/// A made-up market of any size for the benchmarks: <see cref="Companies"/> companies with
/// <see cref="AppsPerCompany"/> apps each spread over <see cref="Markets"/> markets, <see cref="Researchers"/>
/// named stars spread over the companies (every ninth on the job market), ticks of <see cref="Tick"/> over
/// <see cref="Years"/> years (or exactly <see cref="Ticks"/> ticks), every company poaching, binding leavers and filing.
/// Written as scenario YAML and read by <see cref="ScenarioLoader"/>, so it is validated like any file and can be
/// saved (<c>sim bench --synthetic --out FILE</c>) and played with <c>sim run</c>.
/// </summary>
/// <param name="Ticks">The horizon in ticks; null: <see cref="Years"/> calendar years.</param>
public sealed record SyntheticScenario(
    int Companies, int Researchers, int AppsPerCompany = 2, int Markets = 2, int Years = 1,
    TickLength Tick = TickLength.Day, int? Ticks = null, double PoachRate = SyntheticScenario.DefaultPoachRate)
{
    private static readonly DateOnly Start = new(2025, 1, 1);

    /// <summary>Each company's offers per month to each star it may approach (the policy's poachRate).</summary>
    public const double DefaultPoachRate = 0.2;

    /// <summary>A small shape (the long run and the Orleans rows of the scaling benchmark): <paramref name="companies"/> companies and four stars per company, day ticks.</summary>
    public static SyntheticScenario WithCompanies(int companies, int years = 1) => new(companies, 4 * companies, Years: years);

    /// <summary>Named researchers per company in <see cref="Scaled"/> (the 1,000-company market's 100,000).</summary>
    public const int ResearchersPerCompany = 100;

    /// <summary>Companies per market in <see cref="Scaled"/> (the 1,000-company market's 50 markets), so a market has 40 apps at every size.</summary>
    public const int CompaniesPerMarket = 20;

    /// <summary>
    /// Stars a company approaches a month in <see cref="Scaled"/>, whatever the roster's size: the poach rate is this over the
    /// researchers (20 is a 0.2 rate on a roster of 100).
    /// </summary>
    public const double StarApproachesPerMonth = 20;

    /// <summary>
    /// The entity sweep's shape: the proportions of the 1,000-company market (100 researchers per company, 2 apps per company,
    /// 20 companies per market, week ticks) at any size, each company approaching <see cref="StarApproachesPerMonth"/> stars a
    /// month. The model's work per entity is then the same at every size: a market's apps switch users pairwise (40 apps a
    /// market) and a company's approaches follow its poach rate times the roster, so a fixed rate would grow the offers as
    /// companies x researchers (<c>--poach-rate</c> measures that).
    /// </summary>
    public static SyntheticScenario Scaled(int companies, int years = 1, double? poachRate = null)
    {
        var researchers = ResearchersPerCompany * companies;
        return new(companies, researchers, AppsPerCompany: 2, Markets: Math.Max(1, companies / CompaniesPerMarket), Years: years, Tick: TickLength.Week,
            PoachRate: poachRate ?? Math.Min(30, StarApproachesPerMonth / researchers));
    }

    /// <summary>Companies, researchers and apps: what a tick visits.</summary>
    public int Entities => Companies + Researchers + Companies * AppsPerCompany;

    /// <summary>The horizon in years (<c>-y</c>) or ticks (<c>-t</c>); the tick length appears only when it is not a day.</summary>
    public string Name =>
        $"synthetic-c{Companies}-r{Researchers}-a{AppsPerCompany}-m{Markets}" + (Ticks is { } ticks ? $"-t{ticks}" : $"-y{Years}") +
        (Tick == TickLength.Day ? "" : $"-{TickName}") + (PoachRate == DefaultPoachRate ? "" : "-p" + PoachRate.ToString("0.######", CultureInfo.InvariantCulture).Replace('.', 'd'));

    private string TickName => Tick.ToString().ToLowerInvariant();

    /// <summary>The last day of the horizon: <see cref="Years"/> calendar years, or the end of the <see cref="Ticks"/>-th tick.</summary>
    public DateOnly End => Ticks switch
    {
        null => Start.AddYears(Years).AddDays(-1),
        { } n => Tick switch
        {
            TickLength.Week => Start.AddDays(7 * n - 1),
            TickLength.Month => Start.AddMonths(n).AddDays(-1),
            _ => Start.AddDays(n - 1),
        },
    };

    public ScenarioInfo Build() => ScenarioLoader.Parse(Yaml(), $"{Name}.yaml").Info;

    public string Yaml()
    {
        var yaml = new StringBuilder();
        Write(new StringWriter(yaml, CultureInfo.InvariantCulture));
        return yaml.ToString();
    }

    /// <summary>Writes the scenario's YAML line by line (a market of 100,000 researchers is some 13 MB of it).</summary>
    public void Write(TextWriter yaml)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Companies, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Companies, 10_000);
        ArgumentOutOfRangeException.ThrowIfNegative(Researchers);
        ArgumentOutOfRangeException.ThrowIfLessThan(AppsPerCompany, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Markets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Years, 1);
        if (Ticks is { } ticks)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(ticks, 1, nameof(Ticks));
        }
        yaml.WriteLine(Invariant($"name: {Name}"));
        yaml.WriteLine(Invariant($"start: {Start:yyyy-MM-dd}"));
        yaml.WriteLine(Invariant($"end: {End:yyyy-MM-dd}"));
        yaml.WriteLine(Invariant($"tick: {TickName}"));
        yaml.WriteLine("seed: 42");
        yaml.WriteLine("legal: {outcomes: {damages: 0.5, settlement: 0.3, dismissed: 0.2}}");
        WriteTalent(yaml);
        WriteMarkets(yaml);
        WriteCompanies(yaml);
    }

    private static string CompanyId(int c) => $"c{c:D4}";

    /// <summary>Researcher ids padded to one width (five digits at least), so their ordinal order is their number's.</summary>
    private string ResearcherId(int r) => "r" + r.ToString(new string('0', Math.Max(5, (Researchers - 1).ToString(CultureInfo.InvariantCulture).Length)), CultureInfo.InvariantCulture);

    private void WriteTalent(TextWriter yaml)
    {
        yaml.WriteLine("talent:");
        yaml.WriteLine("  tiers:");
        yaml.WriteLine("    - {id: engineer, monthlySalaryUsd: 12000, supplyPerMonth: 50, attritionPerMonth: 0.015}");
        if (Researchers == 0)
        {
            return;
        }
        yaml.WriteLine("  researchers:");
        for (var r = 0; r < Researchers; r++)
        {
            // Deterministic spread of skills, salaries and loyalty; every ninth star starts on the job market.
            var employer = r % 9 == 8 ? "none" : CompanyId(r % Companies);
            var skill = 0.4 + 0.5 * (r * 37 % 100) / 100.0;
            var salary = 40_000 + 1_000 * (r * 13 % 40);
            var fit = CompanyId((r + 1) % Companies);
            yaml.WriteLine(Invariant($"    - {{id: {ResearcherId(r)}, employer: {employer}, skill: {skill:0.###}, monthlySalaryUsd: {salary}, loyalty: 0.1, visionFit: {{{fit}: 0.5}}}}"));
        }
    }

    private void WriteMarkets(TextWriter yaml)
    {
        yaml.WriteLine("markets:");
        for (var m = 0; m < Markets; m++)
        {
            var reports = m % 2 == 0 ? "month" : "week";
            yaml.Write(Invariant($"    - {{id: m{m}, reports: {reports}, potential: {100_000_000L * (1 + m % 100)}, "));
            yaml.WriteLine("innovation: 0.05, imitation: 1.2, initialAdopters: 1000000, multiHoming: 1.2, marketingLift: 1, qualityWeight: 1.5, marketingWeight: 1, ecosystemWeight: 0.5}");
        }
    }

    private void WriteCompanies(TextWriter yaml)
    {
        yaml.WriteLine("companies:");
        for (var c = 0; c < Companies; c++)
        {
            var id = CompanyId(c);
            yaml.WriteLine(Invariant($"  - id: {id}"));
            yaml.WriteLine(Invariant($"    cashUsd: {1_000_000_000L * (1 + c % 5)}"));
            yaml.WriteLine(Invariant($"    ecosystem: {0.1 * (c % 10):0.#}"));
            yaml.WriteLine("    otherCostShare: 0.8");
            yaml.WriteLine(Invariant($"    revenue: [{{from: {Start:yyyy-MM-dd}, monthlyUsd: {50_000_000 * (1 + c % 4)}}}]"));
            yaml.WriteLine(Invariant($"    workforce: {{engineer: {100 + 20 * (c % 7)}}}"));
            yaml.WriteLine("    policy: {aiBudgetShare: 0.2, aiBudgetFloorUsd: 5000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2, " +
                "starPremium: 0.3, poachRate: " + PoachRate.ToString("R", CultureInfo.InvariantCulture) + ", founderAttention: 0.5, counterOfferPremium: 0.2, nonCompeteShare: 0.5, arbitrationProbability: 0.2}");
            yaml.WriteLine("    apps:");
            for (var a = 0; a < AppsPerCompany; a++)
            {
                yaml.WriteLine(Invariant($"      - {{id: {id}-app{a}, market: m{(c + a) % Markets}, initialUsers: 10000, retention: {{d30: {0.2 + 0.01 * (c % 10):0.##}}}}}"));
            }
        }
    }
}
