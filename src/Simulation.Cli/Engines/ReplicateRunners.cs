using Orleans.Core.Internal;
using Simulation.Contracts;
using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Metrics;
using Simulation.Model.Rules;

namespace Simulation.Cli.Engines;

/// <summary>The plain loop, each replicate on a thread of its own: replicates run in parallel, no Orleans.</summary>
public sealed class ReferenceReplicates : IReplicateRunner
{
    public string Engine => "reference";

    public string? Placement => null;

    public Task<ReplicateResult> RunAsync(ScenarioInfo scenario, ulong seed, int index) =>
        Task.Factory.StartNew(() => Replicate.Run(scenario, seed, index), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}

/// <summary>Placement "replicate": one <see cref="IReplicateGrain"/> call plays a whole replicate.</summary>
public sealed class GrainReplicates(IGrainFactory grains) : IReplicateRunner
{
    private readonly string _batch = $"batch-{Guid.NewGuid():N}";

    public string Engine => "orleans";

    public string? Placement => "replicate";

    public Task<ReplicateResult> RunAsync(ScenarioInfo scenario, ulong seed, int index) =>
        grains.GetGrain<IReplicateGrain>(ReplicateKeys.Of(_batch, index)).Run(scenario, seed, index);
}

/// <summary>
/// Placement "company": each replicate is a run on the per-company grains, driven through its
/// <see cref="IRunGrain"/> in the slices <see cref="OrleansEngine"/> uses. When a replicate has finished,
/// its run, company, market and talent-market grains are deactivated, so a batch holds the grains of the
/// runs in flight only (with <see cref="TransientGrainStorage"/>, nothing else of a finished run stays).
/// </summary>
public sealed class CompanyGrainReplicates(IGrainFactory grains) : IReplicateRunner
{
    public string Engine => "orleans";

    public string? Placement => "company";

    public async Task<ReplicateResult> RunAsync(ScenarioInfo scenario, ulong seed, int index)
    {
        var runId = $"replicate-{Guid.NewGuid():N}";
        var collector = new DataCollector(new ScenarioContext(scenario, seed), tickRows: false);
        var run = grains.GetGrain<IRunGrain>(GrainKeys.Run(runId));
        await run.Start(scenario, seed);
        RunProgress step;
        do
        {
            step = await run.Advance(OrleansEngine.TicksPerCall);
            foreach (var report in step.Reports)
            {
                collector.Collect(report);
            }
        }
        while (!step.Finished);
        await DeactivateAsync(scenario, runId);
        return ReplicateResult.From(index, seed, collector);
    }

    private async Task DeactivateAsync(ScenarioInfo scenario, string runId)
    {
        IEnumerable<IAddressable> all =
        [
            grains.GetGrain<IRunGrain>(GrainKeys.Run(runId)),
            grains.GetGrain<ITalentMarketGrain>(GrainKeys.Talent(runId)),
            .. scenario.Companies.Select(c => grains.GetGrain<ICompanyGrain>(GrainKeys.Company(runId, c.Id))),
            .. scenario.Markets.Select(m => grains.GetGrain<IMarketGrain>(GrainKeys.Market(runId, m.Id))),
        ];
        await Task.WhenAll(all.Select(g => g.AsReference<IGrainManagementExtension>().DeactivateOnIdle().AsTask()));
    }
}
