using Simulation.Scenarios.Yaml;

namespace Simulation.Tests.Scenarios;

public class YamlReaderTests
{
    private const string File = "scenarios/test.yaml";

    private static YamlDocument Parse(string text) => YamlDocument.Parse(text, File);

    private static ScenarioError SingleError(YamlDocument doc) => Assert.Single(doc.Errors.Errors);

    [Fact]
    public void Syntax_error_is_reported_with_its_line_instead_of_an_exception()
    {
        var doc = Parse("name: x\na: 1\n  b: 2\n");

        var error = SingleError(doc);
        Assert.Equal(3, error.Line);
        Assert.Contains("syntax error", error.Message);
        Assert.StartsWith($"{File}:3:", error.ToString());
    }

    [Fact]
    public void Unclosed_bracket_is_reported_as_a_syntax_error_near_its_line()
    {
        var doc = Parse("name: x\nshares: [1, 2\nnext: 3\n");

        var error = SingleError(doc);
        Assert.InRange(error.Line, 2, 3);
        Assert.Contains("syntax error", error.Message);
    }

    [Fact]
    public void Unterminated_quote_is_reported_where_the_string_starts()
    {
        var doc = Parse("name: x\ntitle: 'open\n");

        var error = SingleError(doc);
        Assert.Equal((2, 8), (error.Line, error.Column));
    }

    [Fact]
    public void Reading_after_a_syntax_error_adds_no_further_errors()
    {
        var doc = Parse("a: 1\n  b: 2\n");
        var root = doc.Root.AsMap();

        root.Number("innovation", min: 0, max: 1);
        root.String("name");
        root.List("companies", n => n.AsMap());
        root.RejectUnknown();

        SingleError(doc);
    }

    [Fact]
    public void Unknown_key_is_reported_with_line_and_nearest_valid_keys()
    {
        var doc = Parse("""
            name: x
            policy:
              marketing: 0.2
              markting: 0.1
            """);
        var root = doc.Root.AsMap();
        root.String("name");
        var policy = root.Required("policy").AsMap();
        policy.Number("marketing");
        policy.OptionalNumber("pricing");
        policy.RejectUnknown();
        root.RejectUnknown();

        var error = SingleError(doc);
        Assert.Equal(new ScenarioError(File, 4, 3, "policy.markting", "unknown field 'markting'; did you mean 'marketing'?"), error);
    }

    [Fact]
    public void Unknown_key_lists_up_to_three_near_keys_nearest_first()
    {
        var doc = Parse("cost: 1\n");
        var root = doc.Root.AsMap();
        foreach (var key in new[] { "coast", "cast", "costs", "host", "budget" })
        {
            root.OptionalNumber(key);
        }

        root.RejectUnknown();

        Assert.Equal("unknown field 'cost'; did you mean 'cast', 'coast' or 'costs'?", SingleError(doc).Message);
    }

    [Fact]
    public void Unknown_key_far_from_every_valid_key_lists_the_valid_keys_sorted()
    {
        var doc = Parse("name: x\nzzzzzz: 1\n");
        var root = doc.Root.AsMap();
        root.String("name");
        root.OptionalNumber("start");
        root.RejectUnknown();

        var error = SingleError(doc);
        Assert.Equal("zzzzzz", error.Path);
        Assert.Equal("unknown field 'zzzzzz'; expected one of: name, start", error.Message);
    }

    [Fact]
    public void Wrong_type_is_reported_with_line_column_and_path()
    {
        var doc = Parse("""
            companies:
              - name: a
                budget: {cash: 10}
              - name: b
                budget:
                  cash: abc
            """);
        var cash = doc.Root.AsMap().List("companies", n => n.AsMap().Required("budget").AsMap().Number("cash"));

        Assert.Equal(2, cash.Count);
        Assert.Equal(10, cash[0]);
        Assert.Equal(new ScenarioError(File, 6, 13, "companies.1.budget.cash", "expected a number, got 'abc'"), SingleError(doc));
    }

    [Fact]
    public void Mapping_where_a_list_is_expected_is_reported_once_without_cascading_errors()
    {
        var doc = Parse("companies:\n  name: a\nmarket: [1, 2]\n");
        var root = doc.Root.AsMap();
        var companies = root.List("companies", n => n.AsMap().String("name"));
        var market = root.Required("market").AsMap();
        market.Number("size");
        market.RejectUnknown();

        Assert.Empty(companies);
        Assert.Equal(
            ["companies: expected a list, got a mapping", "market: expected a mapping, got a list"],
            doc.Errors.Errors.Select(e => $"{e.Path}: {e.Message}"));
    }

    [Fact]
    public void Out_of_range_number_names_the_bounds_and_the_value()
    {
        var doc = Parse("innovation: 1.5\nimitation: -2\nshare: 3\n");
        var root = doc.Root.AsMap();

        var p = root.Number("innovation", min: 0, max: 1);
        root.OptionalNumber("imitation", min: 0);
        root.NumberOr("share", 0.5, max: 1);

        Assert.InRange(p, 0, 1);
        Assert.Equal(
            ["expected a number in [0, 1], got 1.5", "expected a number >= 0, got -2", "expected a number <= 1, got 3"],
            doc.Errors.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Missing_required_field_is_reported_at_the_line_of_its_mapping()
    {
        var doc = Parse("name: x\nmarket:\n  size: 10\n");
        var market = doc.Root.AsMap().Required("market").AsMap();

        var size = market.Number("size");
        var growth = market.Number("growth", min: 0.1);

        Assert.Equal(10, size);
        Assert.Equal(0.1, growth);
        Assert.Equal(new ScenarioError(File, 3, 3, "market", "missing required field 'growth'"), SingleError(doc));
    }

    [Fact]
    public void Required_field_with_no_value_is_reported_at_the_field()
    {
        var doc = Parse("name:\nstart: ~\n");
        var root = doc.Root.AsMap();

        Assert.Null(root.String("name"));
        Assert.Equal(DateOnly.MinValue, root.Date("start"));
        Assert.Equal(
            ["1:6 name: required field 'name' has no value", "2:8 start: required field 'start' has no value"],
            doc.Errors.Errors.Select(e => $"{e.Line}:{e.Column} {e.Path}: {e.Message}"));
    }

    [Fact]
    public void Optional_fields_that_are_absent_or_null_give_null_or_the_fallback()
    {
        var doc = Parse("events: ~\nnote: ''\n");
        var root = doc.Root.AsMap();

        Assert.Null(root.Optional("events"));
        Assert.Null(root.Optional("missing"));
        Assert.Equal("", root.String("note", required: false));
        Assert.Null(root.OptionalNumber("imitation"));
        Assert.Equal(7, root.NumberOr("x", 7));
        Assert.Equal(3, root.IntOr("n", 3));
        Assert.True(root.BoolOr("flag", true));
        Assert.Null(root.OptionalDate("end"));
        Assert.Empty(root.List("companies", n => n, required: false));
        Assert.Empty(root.Dict("weights", (_, n) => n));
        root.RejectUnknown();
        Assert.False(doc.Errors.HasErrors);
    }

    [Fact]
    public void All_errors_are_reported_at_once_sorted_by_line_and_column()
    {
        var doc = Parse("""
            name: 12
            start: 2024/01/01
            companies:
              - {name: a, share: x}
              - name: b
                share: 2
            strat: fast
            """);
        var root = doc.Root.AsMap();
        // Read in an order different from the file's.
        var companies = root.List("companies", n =>
        {
            var c = n.AsMap();
            var share = c.Number("share", 0, 1);
            c.String("name");
            return share;
        });
        root.Date("start");
        root.String("name", oneOf: ["alpha", "beta"]);
        root.Number("innovation");
        root.RejectUnknown();

        var ex = Assert.Throws<ScenarioException>(doc.Errors.ThrowIfAny);

        string[] expected =
        [
            $"{File}:1:1: (root): missing required field 'innovation'",
            $"{File}:1:7: name: expected one of alpha, beta, got '12'",
            $"{File}:2:8: start: expected a date as yyyy-MM-dd or yyyy-MM, got '2024/01/01'",
            $"{File}:4:22: companies.0.share: expected a number, got 'x'",
            $"{File}:6:12: companies.1.share: expected a number in [0, 1], got 2",
            $"{File}:7:1: strat: unknown field 'strat'; did you mean 'start'?",
        ];
        Assert.Equal(expected, ex.Errors.Select(e => e.ToString()));
        Assert.Equal(string.Join('\n', expected), ex.Message);
        Assert.Equal(2, companies.Count);
    }

    [Fact]
    public void No_errors_means_ThrowIfAny_does_nothing()
    {
        var doc = Parse("name: x\n");
        Assert.Equal("x", doc.Root.AsMap().String("name"));

        doc.Errors.ThrowIfAny();
        Assert.False(doc.Errors.HasErrors);
    }

    [Theory]
    [InlineData("2024-03-15", 2024, 3, 15)]
    [InlineData("2024-03", 2024, 3, 1)]
    [InlineData("'2030-12-31'", 2030, 12, 31)]
    public void Dates_are_read_as_year_month_day_or_as_the_first_of_a_month(string text, int year, int month, int day)
    {
        var doc = Parse($"start: {text}\n");

        Assert.Equal(new DateOnly(year, month, day), doc.Root.AsMap().Date("start"));
        Assert.False(doc.Errors.HasErrors);
    }

    [Theory]
    [InlineData("2024/03/15")]
    [InlineData("15.03.2024")]
    [InlineData("2024-3-5")]
    [InlineData("2024-02-30")]
    [InlineData("2024")]
    [InlineData("2024-03-15T00:00:00")]
    public void Other_date_formats_are_errors_naming_the_expected_format(string text)
    {
        var doc = Parse($"start: {text}\n");

        doc.Root.AsMap().OptionalDate("start");

        Assert.Equal($"expected a date as yyyy-MM-dd or yyyy-MM, got '{text}'", SingleError(doc).Message);
    }

    [Theory]
    [InlineData("0.345", 0.345)]
    [InlineData("4.1976e7", 41_976_000)]
    [InlineData("3.2e-3", 0.0032)]
    [InlineData("-12", -12)]
    [InlineData("\"0.5\"", 0.5)]
    public void Numbers_are_read_with_the_invariant_culture_and_scientific_notation(string text, double expected)
    {
        var doc = Parse($"x: {text}\n");

        Assert.Equal(expected, doc.Root.AsMap().Number("x"));
        Assert.False(doc.Errors.HasErrors);
    }

    [Theory]
    [InlineData("abc", "expected a number, got 'abc'")]
    [InlineData("1_000_000", "expected a number, got '1_000_000'")]
    [InlineData("0,5", "expected a number, got '0,5'")]
    [InlineData(".inf", "expected a number, got '.inf'")]
    [InlineData("NaN", "expected a finite number, got 'NaN'")]
    [InlineData("Infinity", "expected a finite number, got 'Infinity'")]
    [InlineData("1e400", "expected a finite number, got '1e400'")]
    [InlineData("[1]", "expected a number, got a list")]
    public void Malformed_or_non_finite_numbers_are_errors(string text, string message)
    {
        var doc = Parse($"x: {text}\n");

        doc.Root.AsMap().Number("x");

        Assert.Equal(message, SingleError(doc).Message);
    }

    [Fact]
    public void Integers_accept_integral_scientific_notation_and_check_bounds()
    {
        var doc = Parse("population: 4.1976e7\nticks: 12\nhalf: 1.5\nbig: 1e12\nsmall: 0\n");
        var root = doc.Root.AsMap();

        Assert.Equal(41_976_000L, root.Required("population").AsLong());
        Assert.Equal(12, root.Int("ticks", min: 1));
        root.IntOr("half", 1);
        root.Int("big");
        Assert.Equal(1, root.Int("small", min: 1, max: 10));

        Assert.Equal(
            [
                "expected an integer, got '1.5'",
                "expected an integer in [-2147483648, 2147483647], got 1000000000000",
                "expected an integer in [1, 10], got 0",
            ],
            doc.Errors.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Booleans_are_true_or_false()
    {
        var doc = Parse("a: true\nb: False\nc: yes\n");
        var root = doc.Root.AsMap();

        Assert.True(root.BoolOr("a", false));
        Assert.False(root.BoolOr("b", true));
        Assert.True(root.BoolOr("c", true));
        Assert.Equal("expected true or false, got 'yes'", SingleError(doc).Message);
    }

    [Fact]
    public void String_outside_its_allowed_values_lists_them()
    {
        var doc = Parse("mode: fsat\n");

        Assert.Null(doc.Root.AsMap().String("mode", oneOf: ["fast", "exact"]));
        Assert.Equal("expected one of fast, exact, got 'fsat'", SingleError(doc).Message);
    }

    [Fact]
    public void Dict_binds_arbitrary_keys_in_ordinal_order_with_their_paths()
    {
        var doc = Parse("weights:\n  b: 2\n  a: 1\n  C: x\n");
        var paths = new List<string>();

        var weights = doc.Root.AsMap().Dict("weights", (key, n) =>
        {
            paths.Add(n.Path);
            return n.AsDouble() ?? -1;
        });

        Assert.Equal(["C", "a", "b"], weights.Keys);
        Assert.Equal([-1, 1, 2], weights.Values);
        Assert.Equal(["weights.b", "weights.a", "weights.C"], paths);
        Assert.Equal("weights.C", SingleError(doc).Path);
    }

    [Fact]
    public void List_items_have_indexed_paths_and_their_own_positions()
    {
        var doc = Parse("shares:\n  - 0.1\n  - 0.2\n");

        var items = doc.Root.AsMap().Required("shares").AsList();

        Assert.Equal(["shares.0", "shares.1"], items.Select(i => i.Path));
        Assert.Equal([(2, 5), (3, 5)], items.Select(i => (i.Line, i.Column)));
        Assert.Equal([0.1, 0.2], items.Select(i => i.AsDouble()));
    }

    [Fact]
    public void Root_path_is_shown_as_root_and_an_empty_file_is_reported()
    {
        var doc = Parse("");

        doc.Root.AsMap().String("name");

        Assert.Equal(new ScenarioError(File, 1, 1, "(root)", "expected a mapping, got nothing"), SingleError(doc));
    }

    [Fact]
    public void Root_that_is_a_list_is_reported_when_a_mapping_is_expected()
    {
        var doc = Parse("- 1\n- 2\n");

        doc.Root.AsMap().RejectUnknown();

        Assert.Equal("(root): expected a mapping, got a list", $"{SingleError(doc).Path}: {SingleError(doc).Message}");
    }

    [Fact]
    public void Duplicate_keys_are_all_reported_with_their_paths()
    {
        var doc = Parse("""
            name: a
            market:
              size: 1
              size: 2
            companies:
              - name: x
                name: y
            name: b
            """);

        Assert.Equal(
            [
                $"{File}:4:3: market.size: duplicate key 'size'",
                $"{File}:7:5: companies.0.name: duplicate key 'name'",
                $"{File}:8:1: name: duplicate key 'name'",
            ],
            doc.Errors.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Unknown_alias_is_reported_and_known_aliases_work()
    {
        var ok = Parse("base: &b 0.5\ncopy: *b\n");
        Assert.Equal(0.5, ok.Root.AsMap().Number("copy"));
        Assert.False(ok.Errors.HasErrors);

        var bad = Parse("base: 0.5\ncopy: *nope\n");
        Assert.Equal(new ScenarioError(File, 2, 7, "copy", "unknown alias '*nope'"), SingleError(bad));
    }

    [Fact]
    public void A_second_document_in_the_file_is_an_error()
    {
        var doc = Parse("name: a\n---\nname: b\n");

        Assert.Equal("a", doc.Root.AsMap().String("name"));
        Assert.Equal((2, 1), (SingleError(doc).Line, SingleError(doc).Column));
    }

    [Fact]
    public void Numbers_with_provenance_are_recorded_with_kind_and_text()
    {
        var doc = Parse("""
            plain: 0.345
            sourced: {value: 0.345, source: "seeds/000_3b102c28aee96500.txt:22"}
            fitted:
              value: 3.2e-3
              fitted: "sim calibrate scenarios/baseline.yaml (2026-11-29)"
              fit: {min: 1e-4, max: 1e-2}
            assumed: {value: 0.5, assumption: "one-line reason"}
            """);
        var root = doc.Root.AsMap();

        Assert.Equal(0.345, root.Number("plain", 0, 1));
        Assert.Equal(0.345, root.OptionalNumber("sourced", 0, 1));
        Assert.Equal(0.0032, root.Number("fitted", min: 0));
        Assert.Equal(0.5, root.NumberOr("assumed", 0.1));
        root.RejectUnknown();

        Assert.False(doc.Errors.HasErrors, string.Join('\n', doc.Errors.Errors));
        Assert.Equal(
            [
                new Provenance("plain", 1, "none", null, 0.345, null, null),
                new Provenance("sourced", 2, "source", "seeds/000_3b102c28aee96500.txt:22", 0.345, null, null),
                new Provenance("fitted", 4, "fitted", "sim calibrate scenarios/baseline.yaml (2026-11-29)", 0.0032, 1e-4, 1e-2),
                new Provenance("assumed", 7, "assumption", "one-line reason", 0.5, null, null),
            ],
            doc.Provenance);
        Assert.Equal("fitted", doc.Provenance.Find("fitted")?.Kind);
    }

    [Fact]
    public void Provenance_bounds_are_checked_on_the_value()
    {
        var doc = Parse("p: {value: 1.5, assumption: guess}\n");

        var p = doc.Root.AsMap().Number("p", 0, 1);

        Assert.InRange(p, 0, 1);
        Assert.Equal(new ScenarioError(File, 1, 12, "p", "expected a number in [0, 1], got 1.5"), SingleError(doc));
        Assert.Empty(doc.Provenance);
    }

    [Theory]
    [InlineData("{value: 0.5, fitted: x, fit: {min: 0.6, max: 0.1}}", "expected fit.min < fit.max, got min 0.6 and max 0.1")]
    [InlineData("{value: 0.5, fitted: x, fit: {min: 0.1, max: 0.1}}", "expected fit.min < fit.max, got min 0.1 and max 0.1")]
    [InlineData("{value: 0.5, fitted: x, fit: {min: 0.6, max: 0.9}}", "value 0.5 is outside the fit range [0.6, 0.9]")]
    [InlineData("{value: 0.5, fitted: x, fit: {min: 0.1}}", "missing required field 'max'")]
    [InlineData("{value: 0.5, fitted: x, fit: {min: 0.1, max: 1, step: 2}}", "unknown field 'step'; expected one of: max, min, prior")]
    public void Fit_bounds_must_be_ordered_and_contain_the_value(string yaml, string message)
    {
        var doc = Parse($"p: {yaml}\n");

        doc.Root.AsMap().Number("p");

        var error = SingleError(doc);
        Assert.StartsWith("p.fit", error.Path);
        Assert.Equal(message, error.Message);
        Assert.Empty(doc.Provenance);
    }

    [Theory]
    [InlineData("{value: 0.5}", "p", "a number written as a mapping needs exactly one of 'source', 'fitted' or 'assumption' next to 'value'")]
    [InlineData("{value: 0.5, source: 'seeds/a.txt:3', assumption: why}", "p.assumption", "expected only one of 'source', 'fitted' or 'assumption', got both 'source' and 'assumption'")]
    [InlineData("{value: 0.5, source: 'notes.txt:3'}", "p.source", "expected a source as 'seeds/<file>:<line>', got 'notes.txt:3'")]
    [InlineData("{value: 0.5, source: 'seeds/a.txt'}", "p.source", "expected a source as 'seeds/<file>:<line>', got 'seeds/a.txt'")]
    [InlineData("{value: 0.5, assumption: ''}", "p.assumption", "'assumption' must not be empty")]
    [InlineData("{value: 0.5, source: 'seeds/a.txt:1', assumtion: why}", "p.assumtion", "unknown field 'assumtion'; did you mean 'assumption'?")]
    [InlineData("{source: 'seeds/a.txt:1'}", "p", "missing required field 'value'")]
    [InlineData("{value: abc, assumption: why}", "p", "expected a number, got 'abc'")]
    public void Malformed_provenance_mappings_are_errors(string yaml, string path, string message)
    {
        var doc = Parse($"p: {yaml}\n");

        doc.Root.AsMap().Number("p");

        var error = SingleError(doc);
        Assert.Equal((path, message), (error.Path, error.Message));
        Assert.Empty(doc.Provenance);
    }

    [Fact]
    public void Provenance_mapping_is_only_accepted_where_a_number_with_provenance_is_read()
    {
        var doc = Parse("n: {value: 3, assumption: why}\n");

        doc.Root.AsMap().Int("n");

        Assert.Equal("expected an integer, got a mapping", SingleError(doc).Message);
    }

    [Fact]
    public void Errors_can_be_added_by_binding_code_at_a_node()
    {
        var doc = Parse("market:\n  min: 5\n  max: 1\n");
        var market = doc.Root.AsMap().Required("market").AsMap();
        var min = market.Number("min");
        var max = market.Number("max");
        if (min > max)
        {
            doc.Errors.Add(market.Required("max"), "must be at least min");
        }

        Assert.Equal(new ScenarioError(File, 3, 8, "market.max", "must be at least min"), SingleError(doc));
    }
}
