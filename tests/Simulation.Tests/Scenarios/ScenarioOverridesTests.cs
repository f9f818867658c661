using System.Security.Cryptography;
using Simulation.Cli.Commands;
using Simulation.Model.Config;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;
using Simulation.Tests.Support;

namespace Simulation.Tests.Scenarios;

public sealed class ScenarioOverridesTests : IDisposable
{
    /// <summary>A small valid scenario: two companies (one leaves poachRate to its default), one app each.</summary>
    private const string Base = """
        name: base
        start: 2024-01-01
        end: 2024-12-31
        tick: week
        legal:
          outcomes:
            damages: {value: 0.5, assumption: "a guess"}
            settlement: 0.3
            dismissed: 0.2
        talent:
          tiers:
            - id: senior
              monthlySalaryUsd: 20000
        markets:
          - id: chat
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
              poachRate: 0.4
              arbitrationProbability: {value: 0.1, assumption: "rarely files"}
            apps:
              - id: zeta-chat
                market: chat
                retention: {d30: 0.3}
          - id: alpha
            cashUsd: 1000000
            revenue:
              - {from: 2024-01-01, monthlyUsd: 100000}
            policy:
              salaryShare: 0.4
              computeShare: 0.35
              marketingShare: 0.25
            apps:
              - id: alpha-chat
                market: chat
                retention: {d30: 0.25}
        events:
          - {date: 2024-03-01, kind: budget, company: alpha, multiplier: 2}
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sim-overrides-" + Guid.NewGuid().ToString("N"));

    public ScenarioOverridesTests()
    {
        Directory.CreateDirectory(_dir);
        Write("base.yaml", Base);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string WhatIf(string body) => Write("what-if.yaml", "extends: base.yaml\nname: what-if\n" + body);

    private LoadedScenario LoadBase(params string[] sets) => ScenarioLoader.Load(Path.Combine(_dir, "base.yaml"), sets);

    private static ScenarioError Single(Action load) => Assert.Single(Assert.Throws<ScenarioException>(load).Errors);

    private static ScenarioInfo WithPolicy(ScenarioInfo info, string company, Func<PolicyInfo, PolicyInfo> change) => info with
    {
        Companies = [.. info.Companies.Select(c => c.Id == company ? c with { Policy = change(c.Policy) } : c)],
    };

    // ---- --set ----

    [Fact]
    public void A_set_option_changes_exactly_the_value_it_names()
    {
        var plain = LoadBase();

        var changed = LoadBase("companies.alpha.policy.poachRate=2.5");

        Assert.Equal(2.5, changed.Info.Company("alpha").Policy.PoachRate);
        Assert.Equal(WithPolicy(plain.Info, "alpha", p => p with { PoachRate = 2.5 }).Fingerprint(), changed.Info.Fingerprint());
    }

    [Fact]
    public void A_number_written_with_its_provenance_is_replaced_and_its_provenance_says_it_was_overridden()
    {
        var loaded = LoadBase("companies.zeta.policy.arbitrationProbability=0.9");

        Assert.Equal(0.9, loaded.Info.Company("zeta").Policy.ArbitrationProbability);
        var provenance = loaded.Provenance.Find("companies.zeta.policy.arbitrationProbability");
        Assert.NotNull(provenance);
        Assert.Equal((Provenance.Assumption, "override from --set companies.zeta.policy.arbitrationProbability=0.9", 0.9),
            (provenance.Kind, provenance.Text, provenance.Value));
    }

    [Fact]
    public void A_set_entry_notes_the_file_and_line_it_comes_from_in_the_provenance()
    {
        var file = WhatIf("set:\n  companies.zeta.cashUsd: 7000000\n");

        var loaded = ScenarioLoader.Load(file);

        Assert.Equal(7_000_000, loaded.Info.Company("zeta").CashUsd);
        var provenance = loaded.Provenance.Find("companies.zeta.cashUsd");
        Assert.Equal((Provenance.Assumption, $"override from {file}:4"), (provenance!.Kind, provenance.Text));
    }

    [Fact]
    public void An_unknown_path_names_where_it_fails_and_the_nearest_valid_paths()
    {
        var error = Single(() => LoadBase("companies.alpa.policy.poachRate=1"));

        Assert.Equal(new ScenarioError("--set", 1, 1, "companies.alpa.policy.poachRate",
            "unknown path 'companies.alpa.policy.poachRate' at 'companies.alpa'; nearest: companies.alpha"), error);
    }

    [Fact]
    public void A_misspelt_last_field_is_rejected_by_the_binder_with_the_nearest_field()
    {
        var file = WhatIf("set:\n  companies.alpha.policy.poachRat: 1\n");

        var error = Single(() => ScenarioLoader.Load(file));

        Assert.Equal((file, 4), (error.File, error.Line));
        Assert.Equal("unknown field 'poachRat'; did you mean 'poachRate'?", error.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_rejected_at_its_position()
    {
        const string Entry = "  companies.zeta.policy.poachRate: lots";
        var file = WhatIf($"set:\n{Entry}\n");

        var error = Single(() => ScenarioLoader.Load(file));

        Assert.Equal(new ScenarioError(file, 4, Entry.IndexOf("lots", StringComparison.Ordinal) + 1, "set.companies.zeta.policy.poachRate",
            "expected a number for 'companies.zeta.policy.poachRate' (the base has a number (0.4)), got 'lots'"), error);
    }

    [Fact]
    public void A_set_option_without_an_equals_sign_or_with_a_bad_value_names_the_option()
    {
        var errors = Assert.Throws<ScenarioException>(() => LoadBase("companies.alpha.policy.poachRate=1", "poachRate", "companies.zeta.cashUsd=[1")).Errors;

        Assert.Contains(errors, e => e is { File: "--set", Line: 2, Path: "(option)" } && e.Message.StartsWith("expected PATH=VALUE", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { File: "--set", Line: 3 } && e.Message.StartsWith("YAML syntax error", StringComparison.Ordinal));
    }

    [Fact]
    public void A_set_value_out_of_range_is_reported_at_the_option_and_column()
    {
        const string Option = "companies.zeta.policy.arbitrationProbability=1.5";

        var error = Single(() => LoadBase("legal.outcomes.damages=0.5", Option));

        Assert.Equal(("--set", 2, Option.IndexOf('=', StringComparison.Ordinal) + 2), (error.File, error.Line, error.Column));
        Assert.Equal("expected a number in [0, 1], got 1.5", error.Message);
    }

    // ---- extends ----

    [Fact]
    public void A_what_if_takes_the_base_and_replaces_its_top_level_keys()
    {
        var file = WhatIf("""
            description: the base, renamed
            question: what changes?
            set:
              companies.alpha.apps.alpha-chat.retention.d30: 0.35
            """);

        var loaded = ScenarioLoader.Load(file);

        var plain = LoadBase().Info;
        var expected = plain with
        {
            Name = "what-if",
            Description = "the base, renamed",
            Question = "what changes?",
            Companies = [.. plain.Companies.Select(c => c.Id != "alpha" ? c : c with
            {
                Apps = [.. c.Apps.Select(a => a with { Retention = a.Retention with { D30 = 0.35 } })],
            })],
        };
        Assert.Equal(expected.Fingerprint(), loaded.Info.Fingerprint());
    }

    [Fact]
    public void Errors_in_a_what_if_point_at_its_lines_and_errors_in_the_base_at_the_base_lines()
    {
        var broken = Base.Replace("potential: 1000000", "potential: -5", StringComparison.Ordinal);
        var basePath = Write("base.yaml", broken);
        var file = WhatIf("set:\n  companies.zeta.cashUsd: -1\n");

        var errors = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file)).Errors;

        var potentialLine = broken.Split('\n').ToList().FindIndex(l => l.Contains("potential: -5", StringComparison.Ordinal)) + 1;
        Assert.Contains(errors, e => e.File == basePath && e.Line == potentialLine && e.Path == "markets.chat.potential");
        Assert.Contains(errors, e => e.File == file && e.Line == 4 && e.Path == "companies.zeta.cashUsd");
    }

    [Fact]
    public void A_cycle_of_extends_is_an_error_at_the_extends_that_closes_it()
    {
        var a = Write("a.yaml", "extends: b.yaml\n");
        Write("b.yaml", "extends: a.yaml\n");

        var error = Single(() => ScenarioLoader.Load(a));

        Assert.Equal((Path.Combine(_dir, "b.yaml"), 1, "extends", "extends makes a cycle: a.yaml -> b.yaml -> a.yaml"),
            (error.File, error.Line, error.Path, error.Message));
    }

    [Fact]
    public void A_missing_base_is_an_error_at_extends()
    {
        var file = Write("orphan.yaml", "name: orphan\nextends: nowhere.yaml\n");

        var error = Single(() => ScenarioLoader.Load(file));

        Assert.Equal((file, 2, "extends"), (error.File, error.Line, error.Path));
        Assert.StartsWith("cannot read the base scenario 'nowhere.yaml'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wildcard_sets_the_field_of_every_item_even_where_it_was_left_to_its_default()
    {
        var loaded = LoadBase("companies.*.policy.poachRate=0.7");

        Assert.All(loaded.Info.Companies, c => Assert.Equal(0.7, c.Policy.PoachRate));
    }

    [Fact]
    public void Add_appends_list_items_and_addEvents_appends_events()
    {
        var file = WhatIf("""
            add:
              companies.alpha.apps:
                - {id: alpha-pro, market: chat, launch: 2024-06-01, retention: {d30: 0.4}}
            addEvents:
              - {date: 2024-07-01, kind: budget, company: zeta, multiplier: 0.5}
            set:
              companies.alpha.apps.alpha-pro.qualityFactor: 1.2
            """);

        var loaded = ScenarioLoader.Load(file);

        var pro = loaded.Info.Company("alpha").Apps.Single(a => a.Id == "alpha-pro");
        Assert.Equal((new DateOnly(2024, 6, 1), 0.4, 1.2), (pro.Launch, pro.Retention.D30, pro.QualityFactor));
        Assert.Equal(["alpha", "zeta"], loaded.Info.Events.Select(e => e.Company!));
    }

    [Fact]
    public void A_list_item_without_an_id_is_addressed_by_its_index()
    {
        var loaded = LoadBase("companies.alpha.revenue.0.monthlyUsd=300000", "events.0.multiplier=3");

        Assert.Equal(300_000, loaded.Info.Company("alpha").Revenue.Single().MonthlyUsd);
        Assert.Equal(3, loaded.Info.Events.Single().Multiplier);
    }

    [Fact]
    public void The_hash_covers_the_base_the_what_if_and_the_set_options_in_order()
    {
        var file = WhatIf("set:\n  companies.zeta.cashUsd: 7000000\n");
        var bytes = File.ReadAllBytes(Path.Combine(_dir, "base.yaml")).Concat(File.ReadAllBytes(file))
            .Concat("\0events.0.multiplier=3"u8.ToArray()).ToArray();

        var loaded = ScenarioLoader.Load(file, ["events.0.multiplier=3"]);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), loaded.Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_dir, "base.yaml")))), LoadBase().Sha256);
    }

    // ---- the programmatic API ----

    [Fact]
    public void Apply_changes_one_number_as_the_set_option_does()
    {
        var loaded = LoadBase();

        var applied = ScenarioOverrides.Apply(loaded, "companies.alpha.policy.poachRate", 1.5);
        applied = ScenarioOverrides.Apply(applied, "events.0.multiplier", 3);

        var viaOptions = LoadBase("companies.alpha.policy.poachRate=1.5", "events.0.multiplier=3");
        Assert.Equal(viaOptions.Info.Fingerprint(), applied.Info.Fingerprint());
        Assert.Equal(viaOptions.Sha256, applied.Sha256);
        Assert.Equal<string>(["companies.alpha.policy.poachRate=1.5", "events.0.multiplier=3"], applied.Sets);
    }

    [Fact]
    public void Numeric_paths_list_every_number_and_each_can_be_applied()
    {
        var loaded = LoadBase();

        var numbers = ScenarioOverrides.NumericPaths(loaded);

        Assert.Contains(new NumericParameter("companies.zeta.policy.arbitrationProbability", 0.1), numbers);
        Assert.Contains(new NumericParameter("companies.alpha.revenue.0.monthlyUsd", 100_000), numbers);
        Assert.Contains(new NumericParameter("events.0.multiplier", 2), numbers);
        Assert.DoesNotContain(numbers, n => n.Path.StartsWith("seed", StringComparison.Ordinal) || n.Path.EndsWith(".id", StringComparison.Ordinal));
        Assert.All(numbers, n => Assert.Equal(loaded.Info.Fingerprint(), ScenarioOverrides.Apply(loaded, n.Path, n.Value).Info.Fingerprint()));
    }

    // ---- the command line and the what-if library ----

    [Fact]
    public async Task A_malformed_set_option_exits_2_naming_the_option()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await SimCommand.InvokeAsync(["validate", Path.Combine(_dir, "base.yaml"), "--set", "companies.alpha"], stdout, stderr);

        Assert.Equal(2, code);
        Assert.Contains("--set:1:1: (option): expected PATH=VALUE", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_takes_list_items_out_by_id_or_index_before_set_applies()
    {
        var file = WhatIf("remove:\n  - events.0\n  - companies.alpha.revenue.0\n");

        var loaded = ScenarioLoader.Load(file);
        var plain = LoadBase();

        Assert.Equal(plain.Info.Events.Length - 1, loaded.Info.Events.Length);
        Assert.Empty(loaded.Info.Company("alpha").Revenue);
    }

    [Theory]
    [InlineData("remove:\n  - events.nine\n", 4, "unknown path 'events.nine'")]
    [InlineData("remove:\n  - companies.alpha.cashUsd\n", 4, "'companies.alpha.cashUsd' is not a list item")]
    [InlineData("remove: events.0\n", 3, "expected a list of paths of list items to remove")]
    public void Remove_of_something_that_is_not_a_list_item_is_an_error_at_its_line(string yaml, int line, string message)
    {
        var error = Single(() => ScenarioLoader.Load(WhatIf(yaml)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void What_ifs_that_copy_baseline_values_stay_in_step_with_the_baseline()
    {
        var baseline = ScenarioLoader.Load(Repo.Baseline).Info;
        var noTalentWar = ScenarioLoader.Load(Path.Combine(Repo.Scenarios, "what-if", "no-talent-war.yaml")).Info;
        var kimi = ScenarioLoader.Load(Path.Combine(Repo.Scenarios, "what-if", "kimi-doubles-marketing.yaml")).Info;
        var doubao = ScenarioLoader.Load(Path.Combine(Repo.Scenarios, "what-if", "doubao-retention-like-kimi.yaml")).Info;

        static double D30(ScenarioInfo info, string app) => info.Apps.Single(a => a.App.Id == app).App.Retention.D30;
        Assert.Equal(D30(baseline, "kimi"), D30(doubao, "doubao"));

        // remove: takes out exactly the documented moves and the filing, and nothing else.
        static string Json(IEnumerable<EventInfo> events) => System.Text.Json.JsonSerializer.Serialize(events.Select(e => e with { Order = 0 }));
        Assert.Equal(Json(baseline.Events.Where(e => e.Kind is not (EventKind.Move or EventKind.Filing))), Json(noTalentWar.Events));
        Assert.NotEqual(baseline.Events.Length, noTalentWar.Events.Length);

        var policy = baseline.Company("moonshot").Policy;
        var shares = kimi.Events.Where(e => e.Kind == EventKind.Policy && e.Company == "moonshot")
            .Select(e => e.Changes.ToDictionary(c => c.Field, c => c.Value)).ToList();
        Assert.Equal(2 * policy.MarketingShare, shares[0]["marketingShare"], 9);
        Assert.Equal((policy.SalaryShare, policy.ComputeShare, policy.MarketingShare),
            (shares[^1]["salaryShare"], shares[^1]["computeShare"], shares[^1]["marketingShare"]));
    }

    [Fact]
    public void Every_what_if_extends_the_baseline_and_says_what_it_asks()
    {
        var files = Directory.GetFiles(Path.Combine(Repo.Scenarios, "what-if"), "*.yaml");

        Assert.True(files.Length >= 6, $"{files.Length} what-if files");
        Assert.All(files, f =>
        {
            var loaded = ScenarioLoader.Load(f);
            Assert.StartsWith("extends: ../baseline.yaml", File.ReadAllLines(f).First(l => !l.StartsWith('#')), StringComparison.Ordinal);
            Assert.Equal(Path.GetFileNameWithoutExtension(f), loaded.Info.Name);
            Assert.NotEqual("", loaded.Info.Description);
            Assert.EndsWith("?", loaded.Info.Question, StringComparison.Ordinal);
        });
    }
}
