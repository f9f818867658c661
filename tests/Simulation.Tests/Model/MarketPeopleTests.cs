using Simulation.Model.Config;
using Simulation.Model.Time;
using Simulation.Model.Engine;
using Simulation.Model.Metrics;
using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Scenarios;
using Simulation.Tests.Support;

namespace Simulation.Tests.Model;

/// <summary>
/// The people of every market add up on every tick: potential = never-adopted + active + lapsed, each stock
/// moves only by its flows, no stock or flow is negative, and the apps' users change only by arrivals and
/// churn (switching moves users between apps without creating any).
/// </summary>
public sealed class MarketPeopleTests
{
    public static TheoryData<string> Scenarios() => [.. Repo.AllScenarios().Select(f => Path.GetRelativePath(Repo.Root, f))];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void People_and_users_add_up_on_every_tick(string file)
    {
        var scenario = ScenarioLoader.Load(Path.Combine(Repo.Root, file)).Info;
        var previous = new Dictionary<string, MarketOutcome>();

        foreach (var report in new ReferenceRunner(scenario, scenario.Seed).RunToEnd())
        {
            foreach (var m in report.Markets)
            {
                var at = $"{file} {m.Market} tick {report.Tick}";
                var scale = Math.Max(1, m.Potential) * 1e-9;
                Assert.True(m.NeverAdopted >= 0 && m.ActivePeople >= 0 && m.Lapsed >= 0, $"{at}: a negative stock");
                Assert.True(m.NewAdopters >= 0 && m.Reactivated >= 0 && m.Lapsing >= 0 && m.PotentialGrowth >= 0, $"{at}: a negative flow");
                Assert.True(Math.Abs(m.NeverAdopted + m.ActivePeople + m.Lapsed - m.Potential) <= scale, $"{at}: N + U + L != M");
                foreach (var app in m.Apps)
                {
                    Assert.True(app.Active >= 0 && app.NewUsers >= 0 && app.SwitchIn >= 0 && app.SwitchOut >= 0 && app.Churned >= 0, $"{at} {app.App}: a negative flow or stock");
                }
                Assert.Equal(m.Apps.Sum(a => a.SwitchIn), m.Apps.Sum(a => a.SwitchOut), scale);
                if (previous.TryGetValue(m.Market, out var p))
                {
                    Assert.True(Math.Abs(p.NeverAdopted + m.PotentialGrowth - m.NewAdopters - m.NeverAdopted) <= scale, $"{at}: never-adopted moved beyond its flows");
                    Assert.True(Math.Abs(p.ActivePeople + m.NewAdopters + m.Reactivated - m.Lapsing - m.ActivePeople) <= scale, $"{at}: active moved beyond its flows");
                    Assert.True(Math.Abs(p.Lapsed + m.Lapsing - m.Reactivated - m.Lapsed) <= scale, $"{at}: lapsed moved beyond its flows");
                    var users = p.Apps.Sum(a => a.Active) + m.Apps.Sum(a => a.NewUsers - a.Churned);
                    Assert.True(Math.Abs(users - m.Apps.Sum(a => a.Active)) <= scale, $"{at}: the apps' users moved beyond arrivals and churn");
                    Assert.True(m.NewAdopters <= p.NeverAdopted + m.PotentialGrowth + scale && m.Reactivated <= p.Lapsed + scale, $"{at}: a flow larger than its source");
                }
                previous[m.Market] = m;
            }
        }
    }

    private static IReadOnlyList<MetricRow> Monthly(ScenarioInfo scenario)
    {
        var collector = new DataCollector(new ScenarioContext(scenario, scenario.Seed), tickRows: false);
        foreach (var report in new ReferenceRunner(scenario, scenario.Seed).RunToEnd())
        {
            collector.Collect(report);
        }
        return collector.MonthRows;
    }

    [Fact]
    public void Starving_openai_of_money_lowers_chatgpts_users_through_its_quality()
    {
        var baseline = ScenarioLoader.Load(Repo.Baseline).Info;
        var starved = ScenarioLoader.Load(Repo.Baseline, ["companies.openai.policy.aiBudgetFloorUsd=0", "companies.openai.cashUsd=0"]).Info;

        var before = new ReferenceRunner(baseline, baseline.Seed).RunToEnd()[^1].Markets.Single(m => m.Market == "global");
        var after = new ReferenceRunner(starved, starved.Seed).RunToEnd()[^1].Markets.Single(m => m.Market == "global");

        var (chatgpt, starvedChatgpt) = (before.Apps.Single(a => a.App == "chatgpt"), after.Apps.Single(a => a.App == "chatgpt"));
        Assert.True(starvedChatgpt.RelativeQuality < 0.9 * chatgpt.RelativeQuality, $"quality {starvedChatgpt.RelativeQuality} vs {chatgpt.RelativeQuality}");
        Assert.True(after.Potential < before.Potential, $"potential {after.Potential} vs {before.Potential}");
        Assert.True(starvedChatgpt.Active < 0.95 * chatgpt.Active, $"users {starvedChatgpt.Active} vs {chatgpt.Active}");
    }

    /// <summary>Two platform apps and a start-up's app with identical companies; a second start-up app enters in mid-2024.</summary>
    private static ScenarioInfo Entrant(double nesting)
    {
        var solo = TestScenarios.SingleApp(tick: TickLength.Week).Companies[0];
        CompanyInfo Company(string id, string nest, DateOnly? launch = null) => solo with
        {
            Id = id,
            Apps = [solo.Apps[0] with { Id = $"{id}-app", Nest = nest, Launch = launch }],
        };
        var plain = TestScenarios.SingleApp(tick: TickLength.Week, years: 2);
        return plain with
        {
            Markets = [plain.Markets[0] with { Switching = 2, Nesting = nesting }],
            Companies = [Company("p1", "platform"), Company("p2", "platform"), Company("s1", "startup"), Company("s2", "startup", new DateOnly(2024, 6, 1))],
        };
    }

    [Fact]
    public void An_entrant_takes_most_from_its_closest_rivals_when_apps_are_nested()
    {
        (double Platform, double Startup) Loss(double nesting)
        {
            var scenario = Entrant(nesting);
            var without = scenario with { Companies = [.. scenario.Companies.Take(3)] };
            var with = new ReferenceRunner(scenario, 1).RunToEnd()[^1].Markets[0].Apps;
            var alone = new ReferenceRunner(without, 1).RunToEnd()[^1].Markets[0].Apps;
            return (1 - with[0].Active / alone[0].Active, 1 - with[2].Active / alone[2].Active);
        }

        var nested = Loss(0.3);
        var flat = Loss(1);

        Assert.True(nested.Startup > 2 * nested.Platform, $"nested: start-up rival lost {nested.Startup:P1}, platform {nested.Platform:P1}");
        Assert.True(nested.Startup > flat.Startup, "nesting did not concentrate the loss on the entrant's nest");
        Assert.Equal(flat.Platform, flat.Startup, 2);
    }

    [Fact]
    public void The_potential_grows_with_the_best_quality_and_never_shrinks_or_passes_its_ceiling()
    {
        var plain = TestScenarios.SingleApp(tick: TickLength.Month);
        var growing = plain with { Markets = [plain.Markets[0] with { PotentialElasticity = 1, PotentialCeiling = 1_500_000 }] };
        var boosted = growing with
        {
            Events = [new EventInfo { Date = new DateOnly(2024, 1, 1), Kind = EventKind.QualityBoost, Company = "solo", Multiplier = 100 }],
        };

        var fixedPotential = new ReferenceRunner(plain, 1).RunToEnd().Select(r => r.Markets[0].Potential).Distinct().ToArray();
        var path = new ReferenceRunner(boosted, 1).RunToEnd().Select(r => r.Markets[0].Potential).ToArray();

        Assert.Equal([plain.Markets[0].Potential], fixedPotential);
        Assert.True(path.Zip(path.Skip(1)).All(x => x.Second >= x.First), "the potential shrank");
        Assert.True(path[^1] > path[0], "the boost did not grow the potential");
        Assert.Equal(1_500_000, path.Max());
    }

    [Fact]
    public void Measured_retention_is_the_configured_one_for_a_lone_app_and_absent_before_launch()
    {
        var lone = TestScenarios.SingleApp(tick: TickLength.Day);
        var late = lone with
        {
            Companies = [lone.Companies[0] with { Apps = [lone.Companies[0].Apps[0] with { Launch = new DateOnly(2024, 3, 10) }] }],
        };

        var rows = Monthly(lone);
        var lateRows = Monthly(late);

        Assert.All(rows.Where(r => r.App == "app" && r.RetentionD30 is not null), r => Assert.Equal(0.3, r.RetentionD30!.Value, 9));
        Assert.Null(lateRows.First(r => r.App == "app" && r.Month == "2024-03").RetentionD30);
        Assert.NotNull(lateRows.First(r => r.App == "app" && r.Month == "2024-04").RetentionD30);
    }
}
