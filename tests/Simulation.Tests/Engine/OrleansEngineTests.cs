using Simulation.Experiments;
using Simulation.Cli.Engines;
using Simulation.Contracts;
using Simulation.Model.Engine;
using Simulation.Model.Phases;
using Simulation.Tests.Support;

namespace Simulation.Tests.Engine;

[Collection(ClusterCollection.Name)]
public sealed class OrleansEngineTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_baseline_runs_through_the_cluster_and_matches_the_reference_runner_byte_for_byte()
    {
        var seed = Runs.Baseline.Info.Seed;
        var orleans = await Runs.RenderAsync(new OrleansEngine(fixture.Grains), Runs.Baseline, seed);
        var reference = await Runs.RenderAsync(new ReferenceEngine(), Runs.Baseline, seed);

        foreach (var file in Runs.EngineFreeFiles)
        {
            Assert.Equal(reference[file], orleans[file]);
        }
        Assert.Contains("\"engine\": \"orleans\"", orleans["summary.json"]);
    }

    [Fact]
    public async Task Two_runs_side_by_side_do_not_interfere()
    {
        var rivals = Support.TestScenarios.Rivals();
        var loaded = new Simulation.Scenarios.LoadedScenario(rivals, "rivals", "sha", new Simulation.Scenarios.Yaml.ProvenanceLog());
        var engine = new OrleansEngine(fixture.Grains);

        var both = await Task.WhenAll(Runs.RenderAsync(engine, loaded, 1), Runs.RenderAsync(engine, loaded, 2));
        var alone1 = await Runs.RenderAsync(new ReferenceEngine(), loaded, 1);
        var alone2 = await Runs.RenderAsync(new ReferenceEngine(), loaded, 2);

        Assert.Equal(alone1["ticks.csv"], both[0]["ticks.csv"]);
        Assert.Equal(alone2["ticks.csv"], both[1]["ticks.csv"]);
        Assert.Equal(alone1["events.csv"], both[0]["events.csv"]);
        Assert.Equal(alone2["events.csv"], both[1]["events.csv"]);
        Assert.NotEqual(both[0]["events.csv"], both[1]["events.csv"]);
    }

    [Fact]
    public async Task The_same_seed_gives_identical_outputs_and_another_seed_a_different_path()
    {
        var engine = new OrleansEngine(fixture.Grains);
        var first = await Runs.RenderAsync(engine, Runs.Baseline, 11);
        var again = await Runs.RenderAsync(engine, Runs.Baseline, 11);
        var other = await Runs.RenderAsync(engine, Runs.Baseline, 12);

        Assert.Equal(first, again);
        Assert.NotEqual(first["ticks.csv"], other["ticks.csv"]);
        Assert.NotEqual(first["events.csv"], other["events.csv"]);
    }

    [Fact]
    public async Task A_run_advanced_in_slices_and_paused_is_the_same_run()
    {
        var scenario = Support.TestScenarios.Rivals();
        var run = fixture.Grains.GetGrain<IRunGrain>($"slices-{Guid.NewGuid():N}");
        await run.Start(scenario, 5);
        await run.Start(scenario, 5);

        var reports = new List<TickReport>();
        foreach (var slice in new[] { 1, 3, 10, 1000 })
        {
            reports.AddRange((await run.Advance(reports.Count, slice)).Reports);
        }
        var status = await run.Status();
        var reference = new ReferenceRunner(scenario, 5).RunToEnd();

        Assert.True(status.Finished);
        Assert.Equal(reference.Count, reports.Count);
        for (var i = 0; i < reports.Count; i++)
        {
            Assert.Equivalent(reference[i], reports[i], strict: true);
        }
        Assert.Empty((await run.Advance(reports.Count, 5)).Reports);
        // A caller whose answer was lost asks again from where it is: the last slice is played again, nothing is skipped.
        var again = await run.Advance(14, 1000);
        Assert.Equal(reports.Count - 14, again.Reports.Length);
        Assert.Equivalent(reference[^1], again.Reports[^1], strict: true);
        await Assert.ThrowsAsync<InvalidOperationException>(() => run.Advance(3, 10));
    }

    [Fact]
    public async Task Every_grain_of_a_run_deactivated_between_two_slices_resumes_from_its_checkpoint_and_plays_the_same_run()
    {
        var scenario = Support.TestScenarios.Rivals();
        var runId = $"resume-{Guid.NewGuid():N}";
        var run = fixture.Grains.GetGrain<IRunGrain>(GrainKeys.Run(runId));
        await run.Start(scenario, 5);
        var reports = new List<TickReport>((await run.Advance(0, 7)).Reports);

        IEnumerable<IAddressable> grains =
        [
            run,
            fixture.Grains.GetGrain<IScenarioGrain>(GrainKeys.Scenario(runId)),
            .. scenario.Companies.Select(c => fixture.Grains.GetGrain<ICompanyGrain>(GrainKeys.Company(runId, c.Id))),
        ];
        await Task.WhenAll(grains.Select(g => g.AsReference<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle().AsTask()));
        RunProgress progress;
        do
        {
            progress = await run.Advance(reports.Count, 10);
            reports.AddRange(progress.Reports);
        }
        while (!progress.Finished);

        var reference = new ReferenceRunner(scenario, 5).RunToEnd();
        Assert.Equal(reference.Count, reports.Count);
        for (var i = 0; i < reports.Count; i++)
        {
            Assert.Equivalent(reference[i], reports[i], strict: true);
        }
    }

    [Fact]
    public async Task Starting_a_run_stores_the_scenario_once_for_the_run_and_not_in_each_grains_state()
    {
        var scenario = Support.TestScenarios.Rivals();
        var runId = $"setup-{Guid.NewGuid():N}";
        await fixture.Grains.GetGrain<IRunGrain>(GrainKeys.Run(runId)).Start(scenario, 9);

        var setup = await fixture.Grains.GetGrain<IScenarioGrain>(GrainKeys.Scenario(runId)).Setup();

        Assert.NotNull(setup);
        Assert.Equal((scenario.Fingerprint(), 9UL), (setup.Scenario.Fingerprint(), setup.Seed));
        foreach (var state in new[] { typeof(Simulation.Grains.State.CompanyGrainState), typeof(Simulation.Grains.State.CompanyCheckpoint),
                     typeof(Simulation.Grains.State.RunGrainState), typeof(Simulation.Grains.State.RunCheckpoint) })
        {
            Assert.DoesNotContain(state.GetProperties(), p => p.PropertyType == typeof(Simulation.Model.Config.ScenarioInfo));
        }
    }

    [Fact]
    public async Task A_repeated_phase_call_returns_the_same_result_and_a_tick_without_a_checkpoint_is_refused()
    {
        var scenario = Support.TestScenarios.Rivals();
        var runId = $"phases-{Guid.NewGuid():N}";
        await fixture.Grains.GetGrain<IScenarioGrain>(GrainKeys.Scenario(runId)).Store(scenario, 3);
        var company = fixture.Grains.GetGrain<ICompanyGrain>(GrainKeys.Company(runId, "a"));
        var view = new MarketView { Tick = 0, Researchers = [] };
        var talent = new CompanyTalent { Company = "a", Hires = [0.0], Leavers = [0.0], StarCount = 0, StarPayrollMonthlyUsd = 0, CompensationUsd = 0 };

        var first = await company.Begin("a", view);
        var repeat = await company.Begin("a", view);
        var supplies = await company.Produce(0, talent);
        var suppliesAgain = await company.Produce(0, talent);

        Assert.Equivalent(first, repeat, strict: true);
        Assert.Equal(0, first.Tick);
        Assert.Equivalent(supplies.Value, suppliesAgain.Value, strict: true);
        await Assert.ThrowsAsync<InvalidOperationException>(() => company.Produce(2, talent));
    }

    [Fact]
    public async Task Starting_a_run_again_with_another_seed_is_refused()
    {
        var scenario = Support.TestScenarios.Rivals();
        var run = fixture.Grains.GetGrain<IRunGrain>($"restart-{Guid.NewGuid():N}");
        await run.Start(scenario, 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => run.Start(scenario, 2));
    }

    [Fact]
    public async Task Research_luck_plays_the_same_on_the_grains_as_in_the_reference_loop()
    {
        var rivals = Support.TestScenarios.Rivals();
        var lucky = rivals with { Quality = rivals.Quality with { Volatility = 0.3 } };
        var loaded = new Simulation.Scenarios.LoadedScenario(lucky, "lucky", "sha", new Simulation.Scenarios.Yaml.ProvenanceLog());

        var orleans = await Runs.RenderAsync(new OrleansEngine(fixture.Grains), loaded, 3);
        var reference = await Runs.RenderAsync(new ReferenceEngine(), loaded, 3);
        var plain = await Runs.RenderAsync(new ReferenceEngine(), loaded with { Info = rivals }, 3);

        Assert.Equal(reference["ticks.csv"], orleans["ticks.csv"]);
        Assert.NotEqual(plain["ticks.csv"], reference["ticks.csv"]);
    }
}
