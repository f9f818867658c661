using System.Collections.Immutable;
using Simulation.Model.Config;
using Simulation.Model.Time;

namespace Simulation.Tests.Support;

/// <summary>Small scenarios built in code, for rules that need a context.</summary>
public static class TestScenarios
{
    /// <summary>A one-app scenario whose innovation is fitted to one target: a quick fit (an evaluation takes about a millisecond).</summary>
    public const string Fittable = """
        name: fittable
        start: 2023-01-01
        end: 2023-12-31
        tick: month
        seed: 5
        talent:
          tiers: [{id: staff, monthlySalaryUsd: 10000}]
        markets:
          - {id: m, potential: 10000000, innovation: {value: 0.1, assumption: "a guess", fit: {min: 0.01, max: 0.5}}, imitation: 0.5}
        companies:
          - id: solo
            cashUsd: 1000000000
            workforce: {staff: 10}
            policy: {aiBudgetFloorUsd: 1000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2}
            apps: [{id: app, market: m, retention: {d30: 0.3}}]
        series:
          - {id: panel, sigma: 0.05}
        targets:
          - {id: t, kind: marketActives, market: m, month: 2023-10, value: 900000, tolerance: 0.05, relative: true, series: panel}
        """;

    /// <summary><see cref="Fittable"/> with a second market and company of its own: a posterior of two independent blocks.</summary>
    public const string FittablePair = """
        name: fittable
        start: 2023-01-01
        end: 2023-12-31
        tick: month
        seed: 5
        talent:
          tiers: [{id: staff, monthlySalaryUsd: 10000}]
        markets:
          - {id: m, potential: 10000000, innovation: {value: 0.1, assumption: "a guess", fit: {min: 0.01, max: 0.5}}, imitation: 0.5}
          - {id: n, potential: 20000000, innovation: {value: 0.05, assumption: "a guess", fit: {min: 0.01, max: 0.5}}, imitation: 0.4}
        companies:
          - id: solo
            cashUsd: 1000000000
            workforce: {staff: 10}
            policy: {aiBudgetFloorUsd: 1000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2}
            apps: [{id: app, market: m, retention: {d30: 0.3}}]
          - id: duo
            cashUsd: 1000000000
            workforce: {staff: 10}
            policy: {aiBudgetFloorUsd: 1000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2}
            apps: [{id: other, market: n, retention: {d30: 0.3}}]
        series:
          - {id: panel, sigma: 0.05}
        targets:
          - {id: t, kind: marketActives, market: m, month: 2023-10, value: 900000, tolerance: 0.05, relative: true, series: panel}
          - {id: u, kind: marketActives, market: n, month: 2023-10, value: 1200000, tolerance: 0.05, relative: true, series: panel}
        """;

    public static PolicyInfo Policy(double poachRate = 0) => new()
    {
        AiBudgetFloorUsd = 10_000_000,
        SalaryShare = 0.4,
        ComputeShare = 0.4,
        MarketingShare = 0.2,
        PoachRate = poachRate,
    };

    /// <summary>One market, one company with one app, no marketing lift: the pure Bass case.</summary>
    public static ScenarioInfo SingleApp(double p = 0.3, double q = 2.0, TickLength tick = TickLength.Day, int years = 3) => new()
    {
        Name = "single-app",
        Start = new DateOnly(2023, 1, 1),
        End = new DateOnly(2023 + years, 1, 1).AddDays(-1),
        TickLength = tick,
        Seed = 1,
        Markets = [new MarketInfo { Id = "m", Potential = 1_000_000, Innovation = p, Imitation = q }],
        Companies =
        [
            new CompanyInfo
            {
                Id = "solo",
                CashUsd = 1e9,
                Policy = Policy(),
                Workforce = [10],
                InitialQuality = 1,
                Apps = [new AppInfo { Id = "app", Market = "m", Retention = new RetentionInfo { D30 = 0.3 } }],
            },
        ],
        Talent = new TalentInfo { Tiers = [new TierInfo { Id = "staff", MonthlySalaryUsd = 10_000 }] },
        Legal = new LegalInfo(),
        Quality = new QualityInfo(),
    };

    /// <summary>Two rivals poaching each other's stars, with non-competes and arbitration.</summary>
    public static ScenarioInfo Rivals(double arbitration = 1, double nonCompete = 1) => new()
    {
        Name = "rivals",
        Start = new DateOnly(2024, 1, 1),
        End = new DateOnly(2024, 12, 31),
        TickLength = TickLength.Week,
        Seed = 7,
        Markets = [new MarketInfo { Id = "m", Potential = 1e7, Innovation = 0.1, Imitation = 1, MarketingWeight = 1 }],
        Companies =
        [
            Company("a", poachRate: 2, arbitration, nonCompete),
            Company("b", poachRate: 2, arbitration, nonCompete),
        ],
        Talent = new TalentInfo
        {
            Tiers = [new TierInfo { Id = "staff", MonthlySalaryUsd = 10_000, SupplyPerMonth = 5, AttritionPerMonth = 0.02 }],
            Researchers =
            [
                .. Enumerable.Range(0, 6).Select(i => new ResearcherInfo
                {
                    Id = $"r{i}",
                    Employer = i % 2 == 0 ? "a" : "b",
                    Skill = 0.5,
                    MonthlySalaryUsd = 20_000,
                }),
            ],
        },
        Legal = new LegalInfo(),
        Quality = new QualityInfo { FrontierStart = 5 },
    };

    private static CompanyInfo Company(string id, double poachRate, double arbitration, double nonCompete) => new()
    {
        Id = id,
        CashUsd = 1e9,
        Policy = Policy(poachRate) with { ArbitrationProbability = arbitration, NonCompeteShare = nonCompete, StarPremium = 0.5 },
        Workforce = [50],
        InitialQuality = 5,
        Apps = [new AppInfo { Id = $"{id}-app", Market = "m", Retention = new RetentionInfo { D30 = 0.3 } }],
    };

    public static ImmutableArray<T> Of<T>(params T[] items) => [.. items];
}
