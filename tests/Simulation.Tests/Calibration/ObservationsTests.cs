using System.Globalization;
using Simulation.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Simulation.Tests.Calibration;

/// <summary>seeds/observations.yaml: the record beyond the article, each value with its source, each used by a baseline target or marked unused.</summary>
public sealed class ObservationsTests
{
    private static readonly string File = Path.Combine(Repo.Root, "seeds", "observations.yaml");

    private static IReadOnlyList<YamlMappingNode> Observations()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(File);
        stream.Load(reader);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return [.. ((YamlSequenceNode)root.Children[new YamlScalarNode("observations")]).Children.Cast<YamlMappingNode>()];
    }

    private static string? Field(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlScalarNode)v).Value : null;

    [Fact]
    public void Every_observation_cites_a_source_and_is_used_by_the_target_it_names_or_says_why_not()
    {
        var observations = Observations();
        var targets = Runs.Baseline.Info.Targets.ToDictionary(t => t.Id);

        Assert.True(observations.Count >= 6);
        Assert.All(observations, o =>
        {
            var id = Field(o, "id");
            Assert.False(string.IsNullOrWhiteSpace(Field(o, "source")), $"{id}: no source");
            var unused = Field(o, "unused");
            if (unused is not null)
            {
                Assert.False(string.IsNullOrWhiteSpace(unused), $"{id}: unused without a reason");
                return;
            }
            var targetId = Field(o, "target");
            Assert.True(targetId is not null && targets.ContainsKey(targetId), $"{id}: names no baseline target ({targetId})");
            var target = targets[targetId!];
            Assert.Equal($"seeds/observations.yaml:{o.Start.Line}", target.Source);
            Assert.Equal(Field(o, "month"), target.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture));
            Assert.Equal(double.Parse(Field(o, "value")!, CultureInfo.InvariantCulture), target.Value);
        });
    }

    [Fact]
    public void Every_baseline_target_citing_the_record_is_an_observation_of_it()
    {
        var lines = Observations().Select(o => $"seeds/observations.yaml:{o.Start.Line}").ToHashSet();

        Assert.All(Runs.Baseline.Info.Targets.Where(t => t.Source?.StartsWith("seeds/observations.yaml", StringComparison.Ordinal) == true),
            t => Assert.Contains(t.Source!, lines));
    }
}
