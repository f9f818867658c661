using Orleans.Runtime.Placement;
using Simulation.Cli.Engines;
using Simulation.Cli.Hosting;
using Simulation.Contracts;
using Simulation.Model.Config;
using Simulation.Model.Rules;
using Simulation.Tests.Support;

namespace Simulation.Tests.Cluster;

/// <summary>
/// A run's prepared scenario (<c>ScenarioContext</c>) on real <c>sim silo</c> processes: one per silo and run, whatever
/// the number of the run's grains there, and dropped when they are deactivated.
/// </summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ScenarioContextOnClusterTests(SharedSilos cluster)
{
    [Fact]
    public async Task Company_grains_of_one_run_spread_over_three_silos_build_the_scenario_context_once_per_silo_and_drop_it_when_deactivated()
    {
        await cluster.WaitIdleAsync();
        var prepared = cluster.Silos.Select(s => s.Contexts.Prepared).ToArray();
        await using var client = await ConnectAsync(cluster);
        var grains = client.Client;
        // The baseline's 11 companies, stored as a run would store them, each activated on the silo its call names
        // (4, 4 and 3 a silo), none of them on the silo of the run's scenario grain alone.
        var (scenario, runId) = await BeginSpreadAsync(grains);

        // Each silo says what it holds at most four times a second.
        await cluster.Silos[0].WaitForAsync(() => cluster.Silos.Sum(s => s.Holding.Companies) == scenario.Companies.Length,
            TimeSpan.FromSeconds(10), "the silos to say they hold the run's 11 companies");
        Assert.All(cluster.Silos, s => Assert.True(s.Holding.Companies >= 3, $"{s.Name} holds {s.Holding.Companies} companies\n{cluster.Cluster.Output}"));
        // One context a silo, not one per company grain called from another silo than the scenario grain's.
        Assert.Equal(prepared.Select(p => (p + 1, 1)), cluster.Silos.Select(s => s.Contexts));

        // The run's end deactivates its grains: every silo lets its context go.
        await OrleansTicker.DeactivateAsync(grains, scenario, runId);
        await cluster.Silos[0].WaitForAsync(() => cluster.Silos.Select((s, i) => s.Contexts == (prepared[i] + 1, 0) && s.Holding.Companies == 0).All(x => x),
            TimeSpan.FromSeconds(10), "the silos to drop the run's context");
    }

    [Fact]
    public async Task Company_grains_of_one_run_on_three_silos_fetch_each_ticks_roster_once_per_silo_not_once_per_company_and_as_changes_after_the_first()
    {
        await cluster.WaitIdleAsync();
        var rosters = cluster.Silos.Select(s => s.Rosters).ToArray();
        await using var client = await ConnectAsync(cluster);
        var grains = client.Client;
        // The baseline's 11 companies begun on the silos their calls name (4, 4 and 3 a silo), with tick 0's roster
        // given, as a test may; then the run starts (its companies keep what they began with) and plays five ticks.
        var (scenario, runId) = await BeginSpreadAsync(grains);
        var run = grains.GetGrain<IRunGrain>(GrainKeys.Run(runId));
        await run.Start(scenario, scenario.Seed);
        var progress = await run.Advance(0, 5);
        Assert.Equal(5, progress.NextTick);

        // The rosters of ticks 1 to 5, each fetched once by each silo's companies of the run (3 or 4 of them): 5 a
        // silo, where a roster in each company's call would make none and a fetch per company 15 or 20. On the two silos
        // without the scheduler tick 1's comes whole (the companies began on a roster given, so the silo holds none) and
        // ticks 2 to 5 as the changes from the one before; the scheduler's silo is handed each roster itself.
        await cluster.Silos[0].WaitForAsync(() => cluster.Silos.Count(s => s.Holding.Runs == 1) == 1, TimeSpan.FromSeconds(10), "a silo to say it holds the run's scheduler");
        var scheduler = cluster.Silos.Single(s => s.Holding.Runs == 1);
        await cluster.Silos[0].WaitForAsync(
            () => cluster.Silos.Select((s, i) => s.Rosters == (rosters[i].Fetched + 5, rosters[i].AsChanges + (s == scheduler ? 0 : 4)) && s.Holding.Companies >= 3).All(x => x),
            TimeSpan.FromSeconds(10), "each silo to say its companies fetched 5 rosters, 4 of them as changes on the two silos without the scheduler");
        await OrleansTicker.DeactivateAsync(grains, scenario, runId);
    }

    private static Task<ClusterClient> ConnectAsync(SharedSilos cluster) =>
        ClusterClient.ConnectAsync(new ClusterTarget(ClusterAddress.TryParse(TestRedis.Url, out _)!, cluster.Cluster.ClusterId), CancellationToken.None);

    /// <summary>
    /// Stores the baseline for a new run and begins its 11 companies on the cluster's three silos in turn (4, 4 and 3 a
    /// silo, each on the silo its call names), with tick 0's roster given.
    /// </summary>
    private static async Task<(ScenarioInfo Scenario, string RunId)> BeginSpreadAsync(IGrainFactory grains)
    {
        var silos = (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.OrderBy(s => s.ToString()).ToArray();
        Assert.Equal(3, silos.Length);
        var scenario = Runs.Baseline.Info;
        var runId = $"run-{Guid.NewGuid():N}";
        await grains.GetGrain<IScenarioGrain>(GrainKeys.Scenario(runId)).Store(scenario, scenario.Seed);
        var context = new ScenarioContext(scenario, scenario.Seed);
        var view = TalentRules.View(context, TalentRules.Create(context), 0);
        for (var i = 0; i < scenario.Companies.Length; i++)
        {
            RequestContext.Set(IPlacementDirector.PlacementHintKey, silos[i % silos.Length]);
            try
            {
                await grains.GetGrain<ICompanyGrain>(GrainKeys.Company(runId, scenario.Companies[i].Id)).Begin(scenario.Companies[i].Id, view);
            }
            finally
            {
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }
        }
        return (scenario, runId);
    }
}
