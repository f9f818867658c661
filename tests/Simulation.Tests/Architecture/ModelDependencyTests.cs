using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.Rules;
using Simulation.Model.State;
using Simulation.Scenarios;
using Simulation.Tests.Support;

namespace Simulation.Tests.Architecture;

/// <summary>The model knows nothing of Orleans; its wire form, in Simulation.Contracts, loses nothing.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ModelDependencyTests(ClusterFixture fixture)
{
    /// <summary>Every public property, computed ones included, and NaN allowed: an independent view of a value.</summary>
    private static readonly JsonSerializerOptions Everything = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private IServiceProvider Services => fixture.Cluster.Client.ServiceProvider;

    [Fact]
    public void The_calibration_assembly_references_no_Orleans_assembly_its_evaluator_on_a_cluster_is_injected()
    {
        var names = typeof(Simulation.Calibration.Calibrator).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.Contains("MathNet.Numerics", names);
        Assert.DoesNotContain(names, n => n.StartsWith("Orleans", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(names, n => n.StartsWith("Microsoft.Orleans", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_model_assembly_references_no_Orleans_assembly()
    {
        var names = typeof(ScenarioInfo).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.Contains("MathNet.Numerics", names);
        Assert.DoesNotContain(names, n => n.StartsWith("Orleans", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_baseline_scenario_crosses_the_Orleans_serializer_unchanged()
    {
        var scenario = ScenarioLoader.Load(Repo.Baseline).Info;

        var copy = RoundTrip(scenario);

        Assert.NotSame(scenario, copy);
        AssertSameScenario(scenario, copy);
        Assert.Equal(scenario.Legal, copy.Legal);
        Assert.Equal(scenario.Quality, copy.Quality);
        Assert.Equal(scenario.Companies.Select(c => c.Policy), copy.Companies.Select(c => c.Policy));
        Assert.Equal(scenario.Events.Select(e => (e.Date, e.Kind, e.To, e.Multiplier)), copy.Events.Select(e => (e.Date, e.Kind, e.To, e.Multiplier)));
    }

    [Fact]
    public void Every_scenario_file_crosses_the_Orleans_serializer_unchanged()
    {
        foreach (var file in Repo.AllScenarios())
        {
            var scenario = ScenarioLoader.Load(file).Info;
            AssertSameScenario(scenario, RoundTrip(scenario));
        }
    }

    [Fact]
    public void A_phase_message_crosses_the_Orleans_serializer_unchanged_to_the_last_bit()
    {
        var app = new AppOutcome
        {
            App = "a", Company = "c", NewUsers = 0.1 + 0.2, NewUsersMonth = double.Epsilon, Active = -0.0, Mau = 1e308,
            Wau = double.NaN, Share = 1.0 / 3, AttractionShare = double.PositiveInfinity, RetentionD30 = 0.3, RelativeQuality = Math.PI,
            SwitchIn = 1e-9, SwitchOut = 2, Churned = 3, SwitchInMonth = 4, SwitchOutMonth = 5, ChurnFactor = 0.7,
        };
        var outcome = new MarketOutcome
        {
            Market = "m", Tick = 7, Potential = 123_456.789, NeverAdopted = 1, ActivePeople = 2, Lapsed = 3, PotentialGrowth = 0,
            NewAdopters = 1e-300, Reactivated = 4, Lapsing = 5, AttractionFactor = 1.5, MultiHoming = 1.3,
            Mau = 42, Wau = double.NaN, NewUsersMonth = 5, Apps = [app, app with { App = "b" }],
        };

        var copy = RoundTrip(outcome);

        Assert.Equal(JsonSerializer.Serialize(outcome, Everything), JsonSerializer.Serialize(copy, Everything));
        Assert.True(outcome.Apps.SequenceEqual(copy.Apps), "apps differ");
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(copy.Apps[0].Active));
        Assert.True(double.IsNaN(copy.Wau));
    }

    [Fact]
    public void A_company_state_crosses_the_Orleans_serializer_unchanged_and_is_deep_copied()
    {
        var scenario = ScenarioLoader.Load(Repo.Baseline).Info;
        var state = CompanyRules.Create(new ScenarioContext(scenario, scenario.Seed), scenario.Companies[0]);
        state.CashUsd = 1.0 / 7;
        state.ReactionUntilTick = 12;

        var copy = RoundTrip(state);
        var clone = Services.GetRequiredService<DeepCopier>().Copy(state);

        Assert.Equal(JsonSerializer.Serialize(state, Everything), JsonSerializer.Serialize(copy, Everything));
        Assert.Equal(JsonSerializer.Serialize(state, Everything), JsonSerializer.Serialize(clone, Everything));
        Assert.NotSame(state.Headcount, clone.Headcount);
    }

    [Fact]
    public void Immutable_model_records_are_handed_over_without_a_copy_inside_a_silo()
    {
        var scenario = ScenarioLoader.Load(Repo.Baseline).Info;
        var copier = Services.GetRequiredService<DeepCopier>();
        TickReport report = new() { Tick = 1, Companies = [], Markets = [], Events = [] };

        Assert.Same(scenario, copier.Copy(scenario));
        Assert.Same(report, copier.Copy(report));
        ImmutableArray<TickReport> reports = [report];
        Assert.Same(report, copier.Copy(reports)[0]);
    }

    private static void AssertSameScenario(ScenarioInfo expected, ScenarioInfo actual)
    {
        Assert.Equal(JsonSerializer.Serialize(expected, Everything), JsonSerializer.Serialize(actual, Everything));
        Assert.Equal(expected.Fingerprint(), actual.Fingerprint());
    }

    private T RoundTrip<T>(T value)
    {
        var serializer = Services.GetRequiredService<Serializer>();
        return serializer.Deserialize<T>(serializer.SerializeToArray(value))!;
    }
}
