using System.Collections.Immutable;
using Simulation.Cli.Engines;
using Simulation.Experiments;
using Simulation.Scenarios;
using Simulation.Tests.Support;
using Simulation.Workshop;

namespace Simulation.Tests.Workshop;

/// <summary>A workshop's scenario (the teams' decisions as events) plays the same on the Orleans engine; the domain stays plain C#.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkshopEngineTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_session_scenario_with_policy_and_offer_events_plays_the_same_on_the_orleans_engine_as_on_the_reference_runner()
    {
        var session = SessionTests.NewSession("moonshot", "alibaba");
        foreach (var entry in new[]
        {
            SessionTests.Entry(Actions.Open, 1),
            SessionTests.Decide(1, "moonshot", new DecisionInput
            {
                Version = 1,
                Policy = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, double>("poachRate", 2)]),
                Offers = [new OfferInput("alibaba-lead-b", 150_000)],
            }),
            SessionTests.Decide(1, "alibaba", SessionTests.Policy(1, ("nonCompeteShare", 1), ("arbitrationProbability", 1))),
            SessionTests.Entry(Actions.Advance, 1, minutes: 2),
        })
        {
            session = session.Apply(entry).Session;
        }
        var scenario = session.ScenarioThrough(1) with { End = session.Setup.Plan[2].LastDay };
        var loaded = new LoadedScenario(scenario, "workshop", "sha", new Simulation.Scenarios.Yaml.ProvenanceLog());

        var orleans = await Runs.RenderAsync(new OrleansEngine(fixture.Grains), loaded, scenario.Seed);
        var reference = await Runs.RenderAsync(new ReferenceEngine(), loaded, scenario.Seed);

        Assert.Equal(reference["events.csv"], orleans["events.csv"]);
        Assert.Equal(reference["ticks.csv"], orleans["ticks.csv"]);
        Assert.Contains(",poach,alibaba-lead-b,alibaba,moonshot,", reference["events.csv"]);
    }

    [Fact]
    public void The_workshop_domain_references_neither_Orleans_nor_ASP_NET_Core()
    {
        var names = typeof(WorkshopSession).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.Contains("Simulation.Model", names);
        Assert.DoesNotContain(names, n => n.StartsWith("Orleans", StringComparison.OrdinalIgnoreCase) || n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
