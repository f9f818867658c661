using Simulation.Model.Config;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;

namespace Simulation.Tests.Scenarios;

public class ScenarioLoaderTests
{
    private const string File = "test.yaml";

    /// <summary>
    /// A valid scenario: one market, two companies (zeta before alpha, to see the sorting) with one app
    /// each, one tier, two researchers and three events out of date order. Every value a test replaces
    /// appears once.
    /// </summary>
    private const string Minimal = """
        name: mini
        start: 2024-01-01
        end: 2024-12-31
        tick: day
        legal:
          outcomes:
            damages: 0.5
            settlement: 0.3
            dismissed: 0.2
        talent:
          tiers:
            - id: senior
              monthlySalaryUsd: 20000
          researchers:
            - id: bob
              employer: none
              skill: 0.6
              monthlySalaryUsd: 25000
            - id: ada
              employer: zeta
              skill: 0.8
              monthlySalaryUsd: 30000
              visionFit: {alpha: 0.5}
        markets:
          - id: chat
            reports: month
            potential: 1000000
            innovation: 0.03
            imitation: 0.4
        companies:
          - id: zeta
            cashUsd: 5000000
            workforce: {senior: 10}
            policy:
              salaryShare: 0.5
              computeShare: 0.3
              marketingShare: 0.2
              arbitrationProbability: 0.1
            apps:
              - id: zeta-chat
                market: chat
                retention: {d30: 0.3}
          - id: alpha
            cashUsd: 1000000
            revenue:
              - {from: 2024-01-01, monthlyUsd: 100000}
              - {from: 2024-06-01, monthlyUsd: 200000}
            policy:
              salaryShare: 0.4
              computeShare: 0.35
              marketingShare: 0.25
            apps:
              - id: alpha-chat
                market: chat
                launch: 2024-03-01
                retention: {d30: 0.25, fastHalfLifeDays: 3, slowHalfLifeDays: 240}
        events:
          - {date: 2024-09-01, kind: move, person: bob, to: alpha}
          - {date: 2024-03-01, kind: launch, app: alpha-chat}
          - {date: 2024-05-01, kind: filing, company: zeta, person: ada}
        targets:
          - {id: zeta-mau, kind: appActives, app: zeta-chat, month: 2024-12, value: 50000, tolerance: 0.1, relative: true}
        """;

    // ---- helpers ----

    private static LoadedScenario Parse(string text) => ScenarioLoader.Parse(text, File);

    /// <summary>The minimal scenario with each <c>(find, replace)</c> applied; each find must occur exactly once.</summary>
    private static string Tweak(params (string Find, string Replace)[] edits)
    {
        var text = Minimal;
        foreach (var (find, replace) in edits)
        {
            Assert.True(Count(text, find) == 1, $"'{find}' should occur exactly once in the scenario");
            text = text.Replace(find, replace, StringComparison.Ordinal);
        }
        return text;
    }

    private static string Tweak(string find, string replace) => Tweak((find, replace));

    private static int Count(string text, string fragment)
    {
        var count = 0;
        for (var i = text.IndexOf(fragment, StringComparison.Ordinal); i >= 0; i = text.IndexOf(fragment, i + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    /// <summary>1-based line and column of the (unique) <paramref name="fragment"/> in <paramref name="text"/>.</summary>
    private static (int Line, int Column) PositionOf(string text, string fragment)
    {
        Assert.True(Count(text, fragment) == 1, $"'{fragment}' should occur exactly once in the scenario");
        return PositionAt(text, text.IndexOf(fragment, StringComparison.Ordinal));
    }

    private static (int Line, int Column) PositionAt(string text, int index)
    {
        var line = 1 + text[..index].Count(c => c == '\n');
        var column = index - (text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1) + 1;
        if (index > 0 && text[index - 1] == '\n')
        {
            column = 1;
        }
        return (line, column);
    }

    private static int LineOf(string text, string fragment) => PositionOf(text, fragment).Line;

    private static IReadOnlyList<ScenarioError> Errors(string text) =>
        Assert.Throws<ScenarioException>(() => Parse(text)).Errors;

    private static ScenarioError SingleError(string text) => Assert.Single(Errors(text));

    // ---- a valid scenario ----

    [Fact]
    public void Minimal_scenario_loads_with_companies_sorted_by_id_and_events_sorted_by_date()
    {
        var loaded = Parse(Minimal);
        var info = loaded.Info;

        Assert.Equal(File, loaded.File);
        Assert.Equal(64, loaded.Sha256.Length);
        Assert.Equal("mini", info.Name);
        Assert.Equal(new DateOnly(2024, 1, 1), info.Start);
        Assert.Equal(new DateOnly(2024, 12, 31), info.End);
        Assert.Equal(["alpha", "zeta"], info.Companies.Select(c => c.Id));
        Assert.Equal(["alpha-chat"], info.Company("alpha").Apps.Select(a => a.Id));
        Assert.Equal("chat", Assert.Single(info.Markets).Id);
        Assert.Equal("senior", Assert.Single(info.Talent.Tiers).Id);
        Assert.Equal(["ada", "bob"], info.Talent.Researchers.Select(r => r.Id));
        Assert.Equal(
            [(new DateOnly(2024, 3, 1), EventKind.Launch), (new DateOnly(2024, 5, 1), EventKind.Filing), (new DateOnly(2024, 9, 1), EventKind.Move)],
            info.Events.Select(e => (e.Date, e.Kind)));
        Assert.Equal("zeta-mau", Assert.Single(info.Targets).Id);
    }

    [Fact]
    public void Minimal_scenario_binds_each_field_to_its_record()
    {
        var info = Parse(Minimal).Info;

        var zeta = info.Company("zeta");
        Assert.Equal(5_000_000, zeta.CashUsd);
        Assert.Equal([10.0], zeta.Workforce.ToArray());
        Assert.Equal((0.5, 0.3, 0.2, 0.1), (zeta.Policy.SalaryShare, zeta.Policy.ComputeShare, zeta.Policy.MarketingShare, zeta.Policy.ArbitrationProbability));
        var alpha = info.Company("alpha");
        Assert.Equal([100_000.0, 200_000.0], alpha.Revenue.Select(r => r.MonthlyUsd));
        Assert.Equal(new DateOnly(2024, 3, 1), alpha.Apps[0].Launch);
        Assert.Equal("chat", alpha.Apps[0].Market);
        Assert.Equal(0.25, alpha.Apps[0].Retention.D30);
        var ada = info.Talent.Researchers.Single(r => r.Id == "ada");
        Assert.Equal("zeta", ada.Employer);
        Assert.Equal(0.5, ada.FitWith("alpha"));
        Assert.Null(info.Talent.Researchers.Single(r => r.Id == "bob").Employer);
        var move = info.Events.Single(e => e.Kind == EventKind.Move);
        Assert.Equal(("bob", "alpha"), (move.Person, move.To));
        Assert.Equal((0.5, 0.3, 0.2), (info.Legal.DamagesProbability, info.Legal.SettlementProbability, info.Legal.DismissedProbability));
    }

    // ---- field-level errors ----

    [Fact]
    public void Unknown_key_is_rejected_with_a_did_you_mean_suggestion_naming_line_and_path()
    {
        var text = Tweak("arbitrationProbability: 0.1", "arbitrationProbabilty: 0.1");

        var error = SingleError(text);

        var (line, column) = PositionOf(text, "arbitrationProbabilty");
        Assert.Equal(new ScenarioError(File, line, column, "companies.zeta.policy.arbitrationProbabilty",
            "unknown field 'arbitrationProbabilty'; did you mean 'arbitrationProbability'?"), error);
    }

    [Fact]
    public void String_where_a_number_is_expected_is_rejected_with_line_column_and_path()
    {
        var text = Tweak("cashUsd: 1000000", "cashUsd: lots");

        var error = SingleError(text);

        var (line, column) = PositionOf(text, "lots");
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal("companies.alpha.cashUsd", error.Path);
        Assert.Equal("expected a number, got 'lots'", error.Message);
        Assert.StartsWith($"{File}:{line}:{column}: companies.alpha.cashUsd: ", error.ToString());
    }

    [Theory]
    [InlineData("cashUsd: 5000000", "cashUsd: -5000000", "companies.zeta.cashUsd")]
    [InlineData("cashUsd: 1000000", "cashUsd: {value: -1, assumption: \"debt\"}", "companies.alpha.cashUsd")]
    [InlineData("monthlySalaryUsd: 20000", "monthlySalaryUsd: -20000", "talent.tiers.senior.monthlySalaryUsd")]
    [InlineData("monthlySalaryUsd: 30000", "monthlySalaryUsd: -30000", "talent.researchers.ada.monthlySalaryUsd")]
    [InlineData("monthlyUsd: 200000", "monthlyUsd: -200000", "companies.alpha.revenue.1.monthlyUsd")]
    public void Negative_money_is_rejected_at_its_field(string find, string replace, string path)
    {
        var text = Tweak(find, replace);

        var error = SingleError(text);

        Assert.Equal(path, error.Path);
        Assert.Equal(LineOf(text, replace), error.Line);
        Assert.Contains("expected a number", error.Message);
        Assert.Contains("got -", error.Message);
    }

    [Theory]
    [InlineData("salaryShare: 0.5", "salaryShare: 1.5", "companies.zeta.policy.salaryShare", "1.5")]
    [InlineData("marketingShare: 0.25", "marketingShare: -0.25", "companies.alpha.policy.marketingShare", "-0.25")]
    [InlineData("arbitrationProbability: 0.1", "arbitrationProbability: 1.1", "companies.zeta.policy.arbitrationProbability", "1.1")]
    [InlineData("damages: 0.5", "damages: 1.5", "legal.outcomes.damages", "1.5")]
    [InlineData("dismissed: 0.2", "dismissed: -0.2", "legal.outcomes.dismissed", "-0.2")]
    [InlineData("skill: 0.8", "skill: 1.8", "talent.researchers.ada.skill", "1.8")]
    [InlineData("{alpha: 0.5}", "{alpha: 2}", "talent.researchers.ada.visionFit.alpha", "2")]
    public void Probability_outside_zero_to_one_is_rejected_once(string find, string replace, string path, string value)
    {
        var error = SingleError(Tweak(find, replace));

        Assert.Equal(path, error.Path);
        Assert.Equal($"expected a number in [0, 1], got {value}", error.Message);
    }

    [Fact]
    public void Policy_shares_not_summing_to_one_are_rejected_at_the_policy()
    {
        var text = Tweak("marketingShare: 0.2\n", "marketingShare: 0.3\n");

        var error = SingleError(text);

        Assert.Equal("companies.zeta.policy", error.Path);
        Assert.Equal(LineOf(text, "salaryShare: 0.5"), error.Line);
        Assert.Equal("expected salaryShare + computeShare + marketingShare = 1, got 1.1", error.Message);
    }

    [Fact]
    public void Legal_outcomes_not_summing_to_one_are_rejected()
    {
        var text = Tweak("dismissed: 0.2", "dismissed: 0.1");

        var error = SingleError(text);

        Assert.Equal("legal.outcomes", error.Path);
        Assert.Equal(LineOf(text, "damages: 0.5"), error.Line);
        Assert.Equal("expected damages + settlement + dismissed = 1, got 0.9", error.Message);
    }

    [Fact]
    public void Talent_and_compute_elasticities_must_leave_diminishing_returns()
    {
        var text = Tweak("tick: day\n", "tick: day\nquality: {talentElasticity: 0.6, computeElasticity: 0.5}\n");

        var error = SingleError(text);

        Assert.Equal("quality", error.Path);
        Assert.Contains("talentElasticity + computeElasticity < 1", error.Message);
    }

    // ---- dates ----

    [Fact]
    public void End_date_before_start_is_rejected_once()
    {
        var text = Tweak("end: 2024-12-31", "end: 2023-06-30");

        var error = SingleError(text);

        Assert.Equal(("end", LineOf(text, "end: 2023-06-30")), (error.Path, error.Line));
        Assert.Equal("expected a date after start 2024-01-01, got 2023-06-30", error.Message);
    }

    [Fact]
    public void Revenue_points_out_of_date_order_are_rejected_at_the_later_point()
    {
        var text = Tweak("{from: 2024-06-01", "{from: 2023-12-01");

        var error = SingleError(text);

        Assert.Equal("companies.alpha.revenue.1", error.Path);
        Assert.Equal(LineOf(text, "{from: 2023-12-01"), error.Line);
        Assert.Contains("in date order", error.Message);
    }

    [Fact]
    public void Event_dated_outside_the_scenario_is_rejected()
    {
        var text = Tweak("date: 2024-09-01", "date: 2025-02-01");

        var error = SingleError(text);

        var (line, column) = PositionOf(text, "2025-02-01");
        Assert.Equal(("events.0.date", line, column), (error.Path, error.Line, error.Column));
        Assert.Equal("expected a date within the scenario (2024-01-01 to 2024-12-31), got 2025-02-01 (events.0 is the move of 2025-02-01)", error.Message);
    }

    [Fact]
    public void Target_month_outside_the_scenario_is_rejected()
    {
        var error = SingleError(Tweak("month: 2024-12", "month: 2025-01"));

        Assert.Equal("targets.zeta-mau.month", error.Path);
        Assert.Contains("within the scenario", error.Message);
    }

    [Fact]
    public void Malformed_date_is_reported_once_and_not_also_as_outside_the_scenario()
    {
        var error = SingleError(Tweak("date: 2024-05-01", "date: 2024-13-01"));

        Assert.Equal("events.2.date", error.Path);
        Assert.StartsWith("expected a date as yyyy-MM-dd or yyyy-MM, got '2024-13-01' (events.2 is the filing", error.Message);
    }

    [Fact]
    public void Malformed_end_date_is_reported_once()
    {
        var error = SingleError(Tweak("end: 2024-12-31", "end: soon"));

        Assert.Equal("end", error.Path);
        Assert.Contains("got 'soon'", error.Message);
    }

    // ---- references ----

    [Theory]
    [InlineData("employer: zeta", "employer: omega", "talent.researchers.ada.employer", "company", "omega", "alpha, zeta")]
    [InlineData("company: zeta, person: ada", "company: omega, person: ada", "events.2.company", "company", "omega", "alpha, zeta")]
    [InlineData("to: alpha}", "to: omega}", "events.0.to", "company", "omega", "alpha, zeta")]
    [InlineData("{alpha: 0.5}", "{omega: 0.5}", "talent.researchers.ada.visionFit.omega", "company", "omega", "alpha, zeta")]
    [InlineData("person: bob", "person: carol", "events.0.person", "researcher", "carol", "ada, bob")]
    [InlineData("app: alpha-chat}", "app: beta-chat}", "events.1.app", "app", "beta-chat", "alpha-chat, zeta-chat")]
    [InlineData("app: zeta-chat,", "app: beta-chat,", "targets.zeta-mau.app", "app", "beta-chat", "alpha-chat, zeta-chat")]
    [InlineData("market: chat\n        launch", "market: news\n        launch", "companies.alpha.apps.alpha-chat.market", "market", "news", "chat")]
    public void Reference_to_an_undefined_id_is_rejected_naming_it_and_listing_the_valid_ones(
        string find, string replace, string path, string what, string id, string valid)
    {
        var text = Tweak(find, replace);

        var error = SingleError(text);

        Assert.Equal(path, error.Path);
        Assert.Equal(PositionAt(text, Minimal.IndexOf(find, StringComparison.Ordinal)).Line, error.Line);
        Assert.StartsWith($"unknown {what} '{id}'; expected one of: {valid}", error.Message);
    }

    [Fact]
    public void Workforce_of_an_undefined_tier_is_rejected_listing_the_tiers()
    {
        var error = SingleError(Tweak("workforce: {senior: 10}", "workforce: {junior: 10}"));

        Assert.Equal("companies.zeta.workforce.junior", error.Path);
        Assert.Equal("unknown tier 'junior'; expected one of: senior", error.Message);
    }

    // ---- labour regions ----

    private const string Regions = """
          regions:
            - id: home
              supplyPerMonth: {senior: 4}
              unemployed: {senior: 30}
              matchingEfficiency: 0.5
              migrationPerMonth: {abroad: 0.02}
            - id: abroad
              supplyPerMonth: {senior: 9}
          researchers:
        """;

    [Fact]
    public void A_scenario_without_regions_has_one_implicit_region_with_each_tiers_supply()
    {
        var info = Parse(Tweak("monthlySalaryUsd: 20000", "monthlySalaryUsd: 20000\n      supplyPerMonth: 7")).Info;
        var context = new Simulation.Model.Rules.ScenarioContext(info, 1);

        var region = Assert.Single(context.Regions);
        Assert.Equal([7.0], region.SupplyPerMonth.ToArray());
        Assert.All(context.CompanyRegions, r => Assert.Equal(0, r));
    }

    [Fact]
    public void Regions_bind_their_supply_and_stocks_by_tier_and_migration_by_region_and_companies_recruit_in_theirs()
    {
        var info = Parse(Tweak(("  researchers:\n", Regions + "\n"), ("cashUsd: 1000000", "cashUsd: 1000000\n    region: abroad"))).Info;
        var context = new Simulation.Model.Rules.ScenarioContext(info, 1);

        Assert.Equal(["home", "abroad"], info.Talent.Regions.Select(r => r.Id));
        Assert.Equal([4.0], info.Talent.Regions[0].SupplyPerMonth.ToArray());
        Assert.Equal([30.0], info.Talent.Regions[0].Unemployed.ToArray());
        Assert.Equal([0.0, 0.02], info.Talent.Regions[0].MigrationPerMonth.ToArray());
        Assert.Equal("abroad", context.RegionOf(info.Companies.IndexOf(info.Company("alpha"))));
        Assert.Equal("home", context.RegionOf(info.Companies.IndexOf(info.Company("zeta"))));
        // Ada works for zeta, so she is in zeta's labour market; Bob, out of work, in the first one.
        Assert.Equal("home", context.InitialRegion(info.Talent.Researchers.Single(r => r.Id == "ada")));
    }

    [Fact]
    public void A_tiers_own_supply_beside_regions_is_rejected_as_a_second_place_for_it()
    {
        var error = SingleError(Tweak(("  researchers:\n", Regions + "\n"), ("monthlySalaryUsd: 20000", "monthlySalaryUsd: 20000\n      supplyPerMonth: 7")));

        Assert.Equal("talent.tiers.senior.supplyPerMonth", error.Path);
        Assert.Contains("regions.<region>.supplyPerMonth", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{abroad: 0.02}", "{mars: 0.02}", "talent.regions.home.migrationPerMonth.mars", "unknown region 'mars'; expected one of: home, abroad")]
    [InlineData("{abroad: 0.02}", "{home: 0.02}", "talent.regions.home.migrationPerMonth.home", "a region cannot migrate to itself ('home')")]
    [InlineData("supplyPerMonth: {senior: 9}", "supplyPerMonth: {junior: 9}", "talent.regions.abroad.supplyPerMonth.junior", "unknown tier 'junior'; expected one of: senior")]
    public void A_region_naming_an_unknown_region_or_tier_is_rejected_at_the_name(string find, string replace, string path, string message)
    {
        var error = SingleError(Tweak("  researchers:\n", Regions.Replace(find, replace, StringComparison.Ordinal) + "\n"));

        Assert.Equal(path, error.Path);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_company_in_an_undeclared_region_is_rejected_naming_the_regions()
    {
        var error = SingleError(Tweak(("  researchers:\n", Regions + "\n"), ("cashUsd: 1000000", "cashUsd: 1000000\n    region: moon")));

        Assert.Equal("companies.alpha.region", error.Path);
        Assert.Equal("unknown region 'moon'; expected one of: abroad, home", error.Message);
    }

    // ---- cross-field rules ----

    [Fact]
    public void Thirty_day_retention_unreachable_with_the_half_lives_is_rejected()
    {
        // With a 20-day fast half-life even an all-fast cohort keeps 2^-1.5 = 0.354 after 30 days.
        var text = Tweak("fastHalfLifeDays: 3,", "fastHalfLifeDays: 20,");

        var error = SingleError(text);

        Assert.Equal("companies.alpha.apps.alpha-chat.retention.d30", error.Path);
        Assert.Equal(PositionOf(text, "0.25, fastHalfLifeDays").Line, error.Line);
        Assert.Equal("expected a 30-day retention strictly between 0.3536 and 0.917 (reachable with these half-lives), got 0.25", error.Message);
    }

    [Fact]
    public void Thirty_day_retention_above_the_slow_half_life_bound_is_rejected()
    {
        var error = SingleError(Tweak("{d30: 0.3}", "{d30: 0.95}"));

        Assert.Equal("companies.zeta.apps.zeta-chat.retention.d30", error.Path);
        Assert.Contains("strictly between", error.Message);
    }

    [Fact]
    public void Retention_out_of_range_is_reported_once_not_also_as_unreachable()
    {
        var error = SingleError(Tweak("{d30: 0.3}", "{d30: 1.3}"));

        Assert.Equal("companies.zeta.apps.zeta-chat.retention.d30", error.Path);
        Assert.Equal("expected a number in [0, 1], got 1.3", error.Message);
    }

    [Fact]
    public void Fast_half_life_not_below_the_slow_one_is_rejected()
    {
        var error = SingleError(Tweak("fastHalfLifeDays: 3,", "fastHalfLifeDays: 300,"));

        Assert.Equal("companies.alpha.apps.alpha-chat.retention", error.Path);
        Assert.Contains("expected fastHalfLifeDays < slowHalfLifeDays", error.Message);
    }

    [Fact]
    public void Weekly_reporting_market_with_a_month_tick_is_rejected()
    {
        var text = Tweak(("tick: day", "tick: month"), ("reports: month", "reports: week"));

        var error = SingleError(text);

        Assert.Equal(("markets.chat.reports", LineOf(text, "reports: week")), (error.Path, error.Line));
        Assert.Contains("tick: day or week", error.Message);
    }

    [Fact]
    public void Weekly_reporting_market_with_a_week_tick_loads()
    {
        var info = Parse(Tweak(("tick: day", "tick: week"), ("reports: month", "reports: week"))).Info;

        Assert.Equal(ActiveWindow.Week, info.Markets[0].Reports);
    }

    [Fact]
    public void Policy_event_leaving_the_shares_not_summing_to_one_is_rejected()
    {
        var text = Tweak("targets:", "  - {date: 2024-07-01, kind: policy, company: alpha, changes: {marketingShare: 0.5}}\ntargets:");

        var error = SingleError(text);

        Assert.Equal("events.3.changes", error.Path);
        Assert.StartsWith("expected salaryShare + computeShare + marketingShare = 1 for 'alpha' after these changes, got 1.25 (events.3 is the policy of ", error.Message);
    }

    [Fact]
    public void Policy_events_moving_budget_between_shares_load()
    {
        var text = Tweak("targets:", """
              - {date: 2024-07-01, kind: policy, company: alpha, changes: {marketingShare: 0.35, computeShare: 0.25}}
              - {date: 2024-08-01, kind: policy, company: alpha, changes: {poachRate: 0.2}}
            targets:
            """);

        var info = Parse(text).Info;

        Assert.Equal(2, info.Events.Count(e => e.Kind == EventKind.Policy));
    }

    [Theory]
    [InlineData("salaryShare: 1.5", "events.3.changes.salaryShare", "expected a number in [0, 1], got 1.5")]
    [InlineData("poachRate: -1", "events.3.changes.poachRate", "expected a number in [0, 30], got -1")]
    [InlineData("budgetShare: 0.1", "events.3.changes.budgetShare", "unknown policy field 'budgetShare'")]
    public void Policy_event_change_outside_the_policy_bounds_is_rejected_once(string change, string path, string message)
    {
        var text = Tweak("targets:", $"  - {{date: 2024-07-01, kind: policy, company: alpha, changes: {{{change}}}}}\ntargets:");

        var error = SingleError(text);

        Assert.Equal(path, error.Path);
        Assert.StartsWith(message, error.Message);
    }

    // ---- duplicate ids ----

    [Theory]
    [InlineData("    - id: alpha-chat", "    - id: zeta-chat", "companies.alpha.apps.zeta-chat.id", "app", "zeta-chat")]
    [InlineData("  - id: alpha\n", "  - id: zeta\n", "companies.zeta.id", "company", "zeta")]
    [InlineData("    - id: ada", "    - id: bob", "talent.researchers.bob.id", "researcher", "bob")]
    [InlineData("companies:", "  - {id: chat, potential: 1, innovation: 0.1, imitation: 0.1}\ncompanies:", "markets.chat.id", "market", "chat")]
    [InlineData("  researchers:", "    - {id: senior, monthlySalaryUsd: 1}\n  researchers:", "talent.tiers.senior.id", "tier", "senior")]
    [InlineData("relative: true}", "relative: true}\n  - {id: zeta-mau, kind: appFirst, app: zeta-chat, month: 2024-12}", "targets.zeta-mau.id", "target", "zeta-mau")]
    public void Duplicate_id_is_rejected_at_the_duplicate_items_id(string find, string replace, string path, string what, string id)
    {
        var text = Tweak(find, replace);
        var index = Minimal.IndexOf(find, StringComparison.Ordinal);
        var (line, _) = PositionAt(text, index);
        // An inserted item starts where the text it was inserted before was; a renamed one keeps its line.
        var idLine = line + replace[..replace.IndexOf("id: ", StringComparison.Ordinal)].Count(c => c == '\n');

        var errors = Errors(text);

        var duplicate = Assert.Single(errors, e => e.Message.StartsWith($"{what} id '{id}' is defined more than once", StringComparison.Ordinal));
        Assert.Equal((path, idLine), (duplicate.Path, duplicate.Line));
        Assert.Matches(@"\(first at line [0-9]+\)$", duplicate.Message);
        Assert.DoesNotContain(errors, e => e.Path == "(root)");
    }

    [Fact]
    public void Duplicate_app_id_names_the_line_of_the_first_definition()
    {
        var text = Tweak("    - id: alpha-chat", "    - id: zeta-chat");

        var errors = Errors(text);

        var duplicate = Assert.Single(errors, e => e.Path == "companies.alpha.apps.zeta-chat.id");
        Assert.EndsWith($"(first at line {LineOf(Minimal, "- id: zeta-chat")})", duplicate.Message);
    }

    // ---- all errors at once ----

    [Fact]
    public void Several_errors_are_all_reported_at_once_in_line_order()
    {
        var text = Tweak(
            ("monthlySalaryUsd: 20000", "monthlySalaryUsd: -1"),
            ("cashUsd: 5000000", "cashUsd: many"),
            ("arbitrationProbability: 0.1", "arbitrationProbabilty: 0.1"),
            ("person: bob", "person: carol"),
            ("date: 2024-05-01", "date: 2026-05-01"));

        var exception = Assert.Throws<ScenarioException>(() => Parse(text));

        Assert.Equal(5, exception.Errors.Count);
        Assert.Equal(
            ["talent.tiers.senior.monthlySalaryUsd", "companies.zeta.cashUsd", "companies.zeta.policy.arbitrationProbabilty", "events.0.person", "events.2.date"],
            exception.Errors.Select(e => e.Path));
        Assert.Equal(exception.Errors.Select(e => e.Line).Order(), exception.Errors.Select(e => e.Line));
        Assert.Equal(exception.Errors.Select(e => $"{File}:{e.Line}:{e.Column}: {e.Path}: {e.Message}"), exception.Message.Split('\n'));
    }

    [Fact]
    public void Unknown_event_kind_is_reported_once_and_typos_beside_it_still_are()
    {
        var text = Tweak("kind: launch, app: alpha-chat}", "kind: lunch, app: alpha-chat, nte: x}");

        var errors = Errors(text);

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Path == "events.1.kind" && e.Message.StartsWith("expected one of", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "events.1.nte" && e.Message.StartsWith("unknown field 'nte'; did you mean 'note'", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_target_kind_is_reported_once_without_errors_about_its_fields()
    {
        var error = SingleError(Tweak("kind: appActives", "kind: appActive"));

        Assert.Equal("targets.zeta-mau.kind", error.Path);
        Assert.StartsWith("expected one of", error.Message);
    }

    [Fact]
    public void Missing_required_section_is_reported_at_the_root()
    {
        var text = Minimal[..Minimal.IndexOf("markets:", StringComparison.Ordinal)] + Minimal[Minimal.IndexOf("companies:", StringComparison.Ordinal)..];

        var errors = Errors(text);

        Assert.Contains(errors, e => e.Message == "missing required field 'markets'" && e.Line == 1);
        Assert.All(errors.Where(e => e.Message != "missing required field 'markets'"), e => Assert.StartsWith("unknown market 'chat'", e.Message));
    }

    // ---- sources ----

    private sealed class SeedsFolder : IDisposable
    {
        public SeedsFolder()
        {
            Root = Path.Combine(Path.GetTempPath(), "sim-seeds-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(Root, "seeds"));
            System.IO.File.WriteAllText(Path.Combine(Root, "seeds", "notes.txt"), "first line\nsecond line\nthird line\n");
        }

        public string Root { get; }

        public string Seeds => Path.Combine(Root, "seeds");

        public LoadedScenario Parse(string text) => ScenarioLoader.Parse(text, File, null, Seeds);

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }

    private static string WithSources(string eventSource = "seeds/notes.txt:3", string cashSource = "seeds/notes.txt:2", string researcherSource = "seeds/notes.txt:1") => Tweak(
        ("to: alpha}", $"to: alpha, source: \"{eventSource}\"}}"),
        ("cashUsd: 1000000", $"cashUsd: {{value: 1000000, source: \"{cashSource}\"}}"),
        ("employer: none", $"employer: none\n      source: \"{researcherSource}\""));

    [Fact]
    public void Sources_citing_existing_lines_of_a_seeds_file_are_accepted()
    {
        using var seeds = new SeedsFolder();

        var loaded = seeds.Parse(WithSources(eventSource: "seeds/notes.txt:1-3"));

        Assert.Equal(1_000_000, loaded.Info.Company("alpha").CashUsd);
        var provenance = loaded.Provenance.Find("companies.alpha.cashUsd");
        Assert.NotNull(provenance);
        Assert.Equal((Provenance.Source, "seeds/notes.txt:2"), (provenance.Kind, provenance.Text));
    }

    [Theory]
    [InlineData("event", "seeds/notes.txt:4", "events.0.source", "source 'seeds/notes.txt' has lines 1 to 3, got 4")]
    [InlineData("event", "seeds/notes.txt:2-5", "events.0.source", "source 'seeds/notes.txt' has lines 1 to 3, got 2-5")]
    [InlineData("event", "seeds/notes.txt:0", "events.0.source", "source 'seeds/notes.txt' has lines 1 to 3, got 0")]
    [InlineData("event", "seeds/notes.txt:99999999999", "events.0.source", "source 'seeds/notes.txt' has lines 1 to 3, got 99999999999")]
    [InlineData("event", "seeds/missing.txt:1", "events.0.source", "source file 'seeds/missing.txt' does not exist")]
    [InlineData("number", "seeds/notes.txt:9", "companies.alpha.cashUsd.source", "source 'seeds/notes.txt' has lines 1 to 3, got 9")]
    [InlineData("researcher", "seeds/notes.txt:7", "talent.researchers.bob.source", "source 'seeds/notes.txt' has lines 1 to 3, got 7")]
    public void Source_citing_a_line_the_seeds_folder_does_not_have_is_rejected(string where, string source, string path, string message)
    {
        using var seeds = new SeedsFolder();
        var text = where switch
        {
            "event" => WithSources(eventSource: source),
            "number" => WithSources(cashSource: source),
            _ => WithSources(researcherSource: source),
        };

        var error = Assert.Single(Assert.Throws<ScenarioException>(() => seeds.Parse(text)).Errors);

        var (line, column) = PositionOf(text, $"\"{source}\"");
        Assert.Equal((path, line, column), (error.Path, error.Line, error.Column));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Without_a_seeds_folder_only_the_form_of_a_source_is_checked()
    {
        Parse(WithSources(eventSource: "seeds/notes.txt:400"));

        var error = SingleError(WithSources(researcherSource: "notes line 4"));
        Assert.Equal("talent.researchers.bob.source", error.Path);
        Assert.Equal("expected a source like 'seeds/<file>:<line>', got 'notes line 4'", error.Message);
    }

    [Fact]
    public void Load_checks_sources_against_the_seeds_folder_above_the_scenario_file()
    {
        using var seeds = new SeedsFolder();
        var folder = Directory.CreateDirectory(Path.Combine(seeds.Root, "scenarios")).FullName;
        var good = Path.Combine(folder, "good.yaml");
        var bad = Path.Combine(folder, "bad.yaml");
        System.IO.File.WriteAllText(good, WithSources());
        System.IO.File.WriteAllText(bad, WithSources(eventSource: "seeds/notes.txt:4"));

        var loaded = ScenarioLoader.Load(good);
        var error = Assert.Single(Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(bad)).Errors);

        Assert.Equal(seeds.Seeds, ScenarioLoader.SeedsDirectory(good));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(good))), loaded.Sha256);
        Assert.Equal((bad, "events.0.source"), (error.File, error.Path));
    }

    [Fact]
    public void Load_reports_a_missing_file_or_a_folder_as_a_scenario_error()
    {
        using var seeds = new SeedsFolder();
        var missing = Path.Combine(seeds.Root, "missing.yaml");

        var notFound = Assert.Single(Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(missing)).Errors);
        var folder = Assert.Single(Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(seeds.Seeds)).Errors);

        Assert.Equal(new ScenarioError(missing, 0, 0, "(file)", "file not found"), notFound);
        Assert.Equal(new ScenarioError(seeds.Seeds, 0, 0, "(file)", "is a folder, not a scenario file"), folder);
    }

    [Fact]
    public void Load_rejects_text_that_is_not_utf8()
    {
        using var seeds = new SeedsFolder();
        var path = Path.Combine(seeds.Root, "latin1.yaml");
        System.IO.File.WriteAllBytes(path, [.. "name: caf"u8, 0xE9, (byte)'\n']);

        var error = Assert.Single(Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path)).Errors);

        Assert.Equal("not valid UTF-8 text", error.Message);
    }

    [Fact]
    public void Load_reads_a_file_starting_with_a_utf8_byte_order_mark_like_one_without()
    {
        using var seeds = new SeedsFolder();
        var path = Path.Combine(seeds.Root, "bom.yaml");
        System.IO.File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(Minimal)]);

        var loaded = ScenarioLoader.Load(path);

        Assert.Equal("mini", loaded.Info.Name);
    }

    // ---- malformed YAML ----

    [Fact]
    public void Yaml_syntax_error_is_a_scenario_exception_with_its_line()
    {
        var text = Tweak("cashUsd: 1000000\n", "cashUsd: 1000000\n   oops: [1, 2\n");

        var error = SingleError(text);

        Assert.InRange(error.Line, LineOf(text, "oops"), LineOf(text, "oops") + 1);
        Assert.Contains("syntax error", error.Message);
    }

    [Fact]
    public void Duplicate_key_is_a_scenario_exception_at_the_second_key()
    {
        var text = Tweak("cashUsd: 1000000\n", "cashUsd: 1000000\n    cashUsd: 2000000\n");

        var error = SingleError(text);

        // Duplicate keys are found while parsing, before any id is known: the item is named by its index.
        Assert.Equal(("companies.1.cashUsd", LineOf(text, "cashUsd: 2000000")), (error.Path, error.Line));
        Assert.Equal("duplicate key 'cashUsd'", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("just a sentence")]
    [InlineData("- a\n- b\n")]
    [InlineData("name: [1, 2\nstart: 2024-01-01\n")]
    [InlineData("name: mini\n  start: 2024-01-01\n")]
    [InlineData("name: 'open\n")]
    [InlineData("name: {a: 1\n")]
    [InlineData("\tname: mini\n")]
    [InlineData("name: *nowhere\n")]
    [InlineData("a: &x [*x]\n")]
    [InlineData("? [a, b]\n: 1\n")]
    [InlineData("name: mini\n---\nname: other\n")]
    [InlineData("%YAML 9.9\n---\nname: x\n")]
    [InlineData("companies: 5\nmarkets: {a: 1}\ntalent: [1]\nevents: x\n")]
    [InlineData("name: mini\nstart: 2024-01-01\nend: 2024-12-31\ntalent: {tiers: []}\nmarkets: []\ncompanies: [{id: a, cashUsd: 1, policy: 3, apps: [{id: x, market: m, retention: {d30: 2}}]}]\nevents: [{date: 1, kind: policy, company: a, changes: [1]}]\ntargets: [{id: t, kind: appAbove}]\n")]
    public void Malformed_input_is_always_a_scenario_exception_with_a_line(string text)
    {
        var exception = Record.Exception(() => Parse(text));

        var scenario = Assert.IsType<ScenarioException>(exception);
        Assert.NotEmpty(scenario.Errors);
        Assert.All(scenario.Errors, e =>
        {
            Assert.Equal(File, e.File);
            Assert.True(e.Line >= 1, $"line {e.Line} of: {e}");
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        });
    }
}
