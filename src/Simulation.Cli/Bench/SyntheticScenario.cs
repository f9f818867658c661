using System.Globalization;
using System.Text;
using Simulation.Model.Config;
using Simulation.Scenarios;

namespace Simulation.Cli.Bench;

/// <summary>
/// A made-up market of any size for the scaling benchmark: <see cref="Companies"/> companies with
/// <see cref="AppsPerCompany"/> apps each spread over <see cref="Markets"/> markets, <see cref="Researchers"/>
/// named stars spread over the companies (every ninth on the job market), day ticks, every company
/// poaching, binding leavers and filing. Written as scenario YAML and read by <see cref="ScenarioLoader"/>,
/// so it is validated like any file and can be saved and run with <c>sim run</c>.
/// </summary>
public sealed record SyntheticScenario(int Companies, int Researchers, int AppsPerCompany = 2, int Markets = 2, int Years = 1)
{
    private static readonly DateOnly Start = new(2025, 1, 1);

    /// <summary>The benchmark's usual shape: <paramref name="companies"/> companies and four stars per company.</summary>
    public static SyntheticScenario WithCompanies(int companies, int years = 1) => new(companies, 4 * companies, Years: years);

    /// <summary>Companies, researchers and apps: what a tick visits.</summary>
    public int Entities => Companies + Researchers + Companies * AppsPerCompany;

    public string Name => $"synthetic-c{Companies}-r{Researchers}-a{AppsPerCompany}-m{Markets}-y{Years}";

    public ScenarioInfo Build() => ScenarioLoader.Parse(Yaml(), $"{Name}.yaml").Info;

    public string Yaml()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Companies, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(Researchers);
        ArgumentOutOfRangeException.ThrowIfLessThan(AppsPerCompany, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Markets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Years, 1);
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"name: {Name}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"start: {Start:yyyy-MM-dd}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"end: {Start.AddYears(Years).AddDays(-1):yyyy-MM-dd}");
        yaml.AppendLine("tick: day");
        yaml.AppendLine("seed: 42");
        yaml.AppendLine("legal: {outcomes: {damages: 0.5, settlement: 0.3, dismissed: 0.2}}");
        AppendTalent(yaml);
        AppendMarkets(yaml);
        AppendCompanies(yaml);
        return yaml.ToString();
    }

    private static string CompanyId(int c) => $"c{c:D4}";

    private void AppendTalent(StringBuilder yaml)
    {
        yaml.AppendLine("talent:");
        yaml.AppendLine("  tiers:");
        yaml.AppendLine("    - {id: engineer, monthlySalaryUsd: 12000, supplyPerMonth: 50, attritionPerMonth: 0.015}");
        if (Researchers == 0)
        {
            return;
        }
        yaml.AppendLine("  researchers:");
        for (var r = 0; r < Researchers; r++)
        {
            // Deterministic spread of skills, salaries and loyalty; every ninth star starts on the job market.
            var employer = r % 9 == 8 ? "none" : CompanyId(r % Companies);
            var skill = 0.4 + 0.5 * (r * 37 % 100) / 100.0;
            var salary = 40_000 + 1_000 * (r * 13 % 40);
            var fit = CompanyId((r + 1) % Companies);
            yaml.AppendLine(CultureInfo.InvariantCulture,
                $"    - {{id: r{r:D5}, employer: {employer}, skill: {skill:0.###}, monthlySalaryUsd: {salary}, loyalty: 0.1, visionFit: {{{fit}: 0.5}}}}");
        }
    }

    private void AppendMarkets(StringBuilder yaml)
    {
        yaml.AppendLine("markets:");
        for (var m = 0; m < Markets; m++)
        {
            var reports = m % 2 == 0 ? "month" : "week";
            yaml.Append(CultureInfo.InvariantCulture, $"    - {{id: m{m}, reports: {reports}, potential: {100_000_000 * (m + 1)}, ");
            yaml.AppendLine("innovation: 0.05, imitation: 1.2, initialAdopters: 1000000, multiHoming: 1.2, marketingLift: 1, qualityWeight: 1.5, marketingWeight: 1, ecosystemWeight: 0.5}");
        }
    }

    private void AppendCompanies(StringBuilder yaml)
    {
        yaml.AppendLine("companies:");
        for (var c = 0; c < Companies; c++)
        {
            var id = CompanyId(c);
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - id: {id}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    cashUsd: {1_000_000_000L * (1 + c % 5)}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    ecosystem: {0.1 * (c % 10):0.#}");
            yaml.AppendLine("    otherCostShare: 0.8");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    revenue: [{{from: {Start:yyyy-MM-dd}, monthlyUsd: {50_000_000 * (1 + c % 4)}}}]");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    workforce: {{engineer: {100 + 20 * (c % 7)}}}");
            yaml.AppendLine("    policy: {aiBudgetShare: 0.2, aiBudgetFloorUsd: 5000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2, " +
                "starPremium: 0.3, poachRate: 0.2, founderAttention: 0.5, counterOfferPremium: 0.2, nonCompeteShare: 0.5, arbitrationProbability: 0.2}");
            yaml.AppendLine("    apps:");
            for (var a = 0; a < AppsPerCompany; a++)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture,
                    $"      - {{id: {id}-app{a}, market: m{(c + a) % Markets}, initialUsers: 10000, retention: {{d30: {0.2 + 0.01 * (c % 10):0.##}}}}}");
            }
        }
    }
}
