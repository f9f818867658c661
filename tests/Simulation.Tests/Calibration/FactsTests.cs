using System.Text.RegularExpressions;
using Simulation.Scenarios;
using Simulation.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Simulation.Tests.Calibration;

/// <summary>seeds/facts.yaml: every figure of the article, each quoted from its line.</summary>
public sealed partial class FactsTests
{
    private static readonly string Seeds = Path.Combine(Repo.Root, "seeds");
    private static readonly string[] Article = File.ReadAllLines(Path.Combine(Seeds, "000_3b102c28aee96500.txt"));

    private static IReadOnlyList<YamlMappingNode> Facts()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Seeds, "facts.yaml"));
        stream.Load(reader);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return [.. ((YamlSequenceNode)root.Children[new YamlScalarNode("facts")]).Children.Cast<YamlMappingNode>()];
    }

    private static string Field(YamlMappingNode fact, string key) => ((YamlScalarNode)fact.Children[new YamlScalarNode(key)]).Value!;

    [Fact]
    public void The_article_is_kept_unchanged_in_seeds()
    {
        var shared = Path.Combine(Repo.Root, "..", "shared", "seeds", "000_3b102c28aee96500.txt");
        if (File.Exists(shared))
        {
            Assert.Equal(File.ReadAllBytes(shared), File.ReadAllBytes(Path.Combine(Seeds, "000_3b102c28aee96500.txt")));
        }
        Assert.Equal(43, Article.Length);
    }

    [Fact]
    public void Every_fact_quotes_its_line_verbatim_and_says_what_it_sets()
    {
        var facts = Facts();

        Assert.True(facts.Count >= 60);
        Assert.Equal(facts.Count, facts.Select(f => Field(f, "id")).Distinct().Count());
        Assert.All(facts, f =>
        {
            var line = int.Parse(Field(f, "line"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains(Field(f, "quote"), Article[line - 1]);
            Assert.Contains(Field(f, "sets"), new[] { "parameter", "target", "event", "none" });
            Assert.False(string.IsNullOrWhiteSpace(Field(f, "model")));
        });
    }

    [Fact]
    public void Every_figure_of_the_article_is_covered_by_a_fact_on_its_line()
    {
        var quotes = Facts().GroupBy(f => int.Parse(Field(f, "line"), System.Globalization.CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Select(f => Field(f, "quote")).ToList());
        var missing = new List<string>();
        for (var i = 0; i < Article.Length; i++)
        {
            if (SectionNumber().IsMatch(Article[i]))
            {
                continue;
            }
            foreach (Match m in Figure().Matches(Article[i]))
            {
                if (!quotes.GetValueOrDefault(i + 1, []).Any(q => q.Contains(m.Value, StringComparison.Ordinal)))
                {
                    missing.Add($"line {i + 1}: {m.Value}");
                }
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_number_in_the_baseline_says_where_it_comes_from()
    {
        // A target's figures are cited by the target's own source: field.
        var unsourced = Runs.Baseline.Provenance
            .Where(p => p.Kind == Simulation.Scenarios.Yaml.Provenance.None && !p.Path.StartsWith("targets.", StringComparison.Ordinal))
            .Select(p => $"line {p.Line}: {p.Path}")
            .ToList();

        Assert.Empty(unsourced);
    }

    [GeneratedRegex(@"[0-9]+(\.[0-9]+)?")]
    private static partial Regex Figure();

    [GeneratedRegex(@"^\s*[0-9]+\s*$")]
    private static partial Regex SectionNumber();
}
