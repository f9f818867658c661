using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Json.Schema;
using Simulation.Model.Config;
using Simulation.Scenarios;
using Simulation.Scenarios.Reference;
using Simulation.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Simulation.Tests.Reference;

/// <summary>Each scenario field is declared once, and the schema, README's table and the parameter lists follow from it.</summary>
public class DeclarationTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(Repo.Scenarios, ScenarioSchema.FileName))));

    [Fact]
    public void Every_settable_property_of_every_configuration_record_is_declared_or_derived()
    {
        var records = typeof(ScenarioInfo).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ScenarioInfo).Namespace && t.IsClass && t.GetMethod("<Clone>$") is not null && t != typeof(ParamDeclaration))
            .ToList();

        Assert.Contains(typeof(PolicyInfo), records);
        foreach (var record in records)
        {
            var declared = ParamReflection.Of(record).Select(d => d.Property.Name).ToHashSet();
            var settable = record.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is not null && p.GetCustomAttribute<DerivedAttribute>() is null)
                .Select(p => p.Name);
            Assert.All(settable, name => Assert.Contains(name, declared));
        }
    }

    [Fact]
    public void The_committed_schema_is_what_sim_schema_prints()
    {
        var committed = File.ReadAllText(Path.Combine(Repo.Scenarios, ScenarioSchema.FileName));

        Assert.True(committed == ScenarioSchema.Text(),
            $"scenarios/{ScenarioSchema.FileName} is out of date: run 'dotnet run --project src/Simulation.Cli -- schema > scenarios/{ScenarioSchema.FileName}'");
    }

    [Fact]
    public void Every_shipped_scenario_names_the_schema_on_its_first_line_and_validates_against_it()
    {
        foreach (var file in Repo.AllScenarios())
        {
            var first = File.ReadLines(file).First();
            var relative = Path.GetRelativePath(Path.GetDirectoryName(file)!, Path.Combine(Repo.Scenarios, ScenarioSchema.FileName)).Replace('\\', '/');
            Assert.Equal($"# yaml-language-server: $schema={relative}", first);

            var result = Evaluate(Json(File.ReadAllText(file)), OutputFormat.List);

            Assert.True(result.IsValid, $"{file}: {string.Join("; ", Problems(result))}");
        }
    }

    [Theory]
    [InlineData("markets.0.potential", "-5")]
    [InlineData("markets.0.potnetial", "5")]
    [InlineData("companies.0.policy.poachRate", "'fast'")]
    [InlineData("tick", "hour")]
    [InlineData("events.0.kind", "party")]
    [InlineData("companies.0.apps.0.retention.d30", "{value: 0.3}")]
    public void A_wrong_field_fails_the_schema(string path, string yaml)
    {
        var json = Json(File.ReadAllText(Repo.Baseline));
        var (parent, key) = Locate(json, path);
        parent[key] = Json(yaml);

        Assert.False(Evaluate(json).IsValid, $"{path}: {yaml} should fail");
    }

    [Fact]
    public void An_event_of_one_kind_with_another_kinds_field_or_without_its_required_one_fails_the_schema()
    {
        var json = Json(File.ReadAllText(Repo.Baseline));
        var events = (JsonArray)json["events"]!;
        var funding = events.OfType<JsonObject>().First(e => (string?)e["kind"] == "funding");

        funding["person"] = "zhou-chang";
        Assert.False(Evaluate(json).IsValid);
        funding.Remove("person");
        funding.Remove("amountUsd");
        Assert.False(Evaluate(json).IsValid);
    }

    [Fact]
    public void Readme_carries_the_reference_table_of_every_declared_field()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        const string start = "<!-- parameters: sim schema --table -->\n";
        const string end = "<!-- /parameters -->";
        var from = readme.IndexOf(start, StringComparison.Ordinal);
        var to = readme.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, "README lacks the parameter table markers");

        Assert.Equal(ParameterCatalog.MarkdownTable(), readme[(from + start.Length)..to]);
    }

    [Fact]
    public void Every_path_of_the_reference_table_that_names_a_baseline_number_can_be_set()
    {
        var loaded = ScenarioLoader.Load(Repo.Baseline);
        var numbers = ScenarioOverrides.NumericPaths(loaded);

        Assert.Contains(numbers, n => n.Path == "markets.china-aigc.potential");
        Assert.Contains(numbers, n => n.Path == "events.flow-founded.multiplier");
        Assert.DoesNotContain(numbers, n => n.Path.StartsWith("targets.", StringComparison.Ordinal) || n.Path == "seed");
        foreach (var n in numbers)
        {
            var declaration = ParameterCatalog.Find(n.Path);
            Assert.True(declaration is not null && declaration.Use.HasFlag(ParamUse.Sweep), n.Path);
            var changed = ScenarioOverrides.Apply(loaded, n.Path, n.Value);
            Assert.Equal(loaded.Info.Fingerprint(), changed.Info.Fingerprint());
        }
    }

    [Fact]
    public void A_policy_event_may_change_exactly_the_fields_declared_as_decisions()
    {
        var decisions = ParamReflection.Of(typeof(PolicyInfo)).Where(d => d.Use.HasFlag(ParamUse.Decision)).Select(d => d.Key).ToList();

        Assert.Contains("poachRate", decisions);
        Assert.DoesNotContain("nonCompeteMonths", decisions);
        var policy = new PolicyInfo();
        foreach (var key in decisions)
        {
            var changed = new PolicyChange { Field = key, Value = 0.125 }.ApplyTo(policy);
            Assert.Equal(0.125, (double)ParamReflection.Find(typeof(PolicyInfo), key)!.Property.GetValue(changed)!);
        }
    }

    // ---- YAML as JSON, with YAML 1.2's core schema for plain scalars ----

    private static JsonNode Json(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return ToJson(stream.Documents[0].RootNode)!;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(e => KeyValuePair.Create(((YamlScalarNode)e.Key).Value!, ToJson(e.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode s when s.Style != YamlDotNet.Core.ScalarStyle.Plain => JsonValue.Create(s.Value),
        YamlScalarNode { Value: null or "" or "~" or "null" } => null,
        YamlScalarNode { Value: "true" } => JsonValue.Create(true),
        YamlScalarNode { Value: "false" } => JsonValue.Create(false),
        YamlScalarNode s when long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        YamlScalarNode s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => null,
    };

    private static (JsonNode Parent, string Key) Locate(JsonNode root, string path)
    {
        var segments = path.Split('.');
        var node = root;
        foreach (var segment in segments[..^1])
        {
            node = int.TryParse(segment, out var i) ? node[i]! : node[segment]!;
        }
        return (node, segments[^1]);
    }

    private static EvaluationResults Evaluate(JsonNode json, OutputFormat format = OutputFormat.Flag) =>
        Schema.Value.Evaluate(System.Text.Json.JsonSerializer.SerializeToElement(json), new EvaluationOptions { OutputFormat = format });

    private static IEnumerable<string> Problems(EvaluationResults result) =>
        (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(10);
}
