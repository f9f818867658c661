using Orleans.Core.Internal;
using Simulation.Cli.Engines;
using Simulation.Contracts;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Tests.Support;

namespace Simulation.Tests.Engine;

/// <summary>
/// The per-company engine on a cluster with persistent (memory) storage, its grains losing their activations or
/// their calls at chosen points of a run: every run must give the reference runner's files byte for byte.
/// </summary>
[Collection(FaultClusterCollection.Name)]
public sealed class CompanyGrainRecoveryTests(FaultClusterFixture fixture)
{
    private static ulong Seed => Runs.Baseline.Info.Seed;

    private static string[] CompanyIds => [.. Runs.Baseline.Info.Companies.Select(c => c.Id)];

    [Fact]
    public async Task Company_grains_that_lose_their_activation_in_the_middle_of_a_tick_leave_the_run_byte_identical()
    {
        var runId = $"mid-tick-{Guid.NewGuid():N}";
        var faults = new[]
        {
            // Between Produce and Settle of one tick, in the first slice (its checkpoint is the start's) and later ones.
            new Fault(GrainKeys.Company(runId, CompanyIds[0]), "Produce", 5, FaultKind.DeactivateAfter),
            new Fault(GrainKeys.Company(runId, CompanyIds[3]), "Produce", 40, FaultKind.DeactivateAfter),
            // Between two ticks, and right after writing a checkpoint (the last tick of a slice).
            new Fault(GrainKeys.Company(runId, CompanyIds[5]), "Settle", 100, FaultKind.DeactivateAfter),
            new Fault(GrainKeys.Company(runId, CompanyIds[1]), "Settle", 61, FaultKind.DeactivateAfter),
        };
        FaultInjector.Plan(faults);

        var engine = new ScriptedEngine(fixture.Grains, runId);
        var grains = await Runs.RenderAsync(engine, Runs.Baseline, Seed);

        await AssertLikeReferenceAsync(grains);
        Assert.All(faults, f => Assert.Contains(f, FaultInjector.Fired));
        // The slices with a fault were played again from their checkpoints: more fan-outs than two a tick.
        Assert.True(engine.Ticker!.Calls.FanOuts > 2 * engine.Ticker.Calls.Ticks);
    }

    [Fact]
    public async Task Calls_that_fail_in_the_middle_of_a_tick_make_the_scheduler_play_the_slice_again_and_leave_the_run_byte_identical()
    {
        var runId = $"failed-call-{Guid.NewGuid():N}";
        var faults = new[]
        {
            new Fault(GrainKeys.Company(runId, CompanyIds[2]), "Settle", 45, FaultKind.FailBefore),
            new Fault(GrainKeys.Company(runId, CompanyIds[7]), "Produce", 0, FaultKind.FailBefore),
            new Fault(GrainKeys.Company(runId, CompanyIds[4]), "Produce", 300, FaultKind.FailBefore),
        };
        FaultInjector.Plan(faults);

        var grains = await Runs.RenderAsync(new ScriptedEngine(fixture.Grains, runId), Runs.Baseline, Seed);

        await AssertLikeReferenceAsync(grains);
        Assert.All(faults, f => Assert.Contains(f, FaultInjector.Fired));
    }

    [Fact]
    public async Task A_scheduler_that_fails_more_often_than_it_replays_is_resumed_by_its_caller_from_its_last_checkpoint()
    {
        var runId = $"run-lost-{Guid.NewGuid():N}";
        // One more failure than the scheduler plays a slice again: it passes the failure on and loses its activation.
        var key = GrainKeys.Company(runId, CompanyIds[6]);
        var faults = Enumerable.Range(0, Simulation.Grains.RunGrain.Replays + 1)
            .Select(i => new Fault(key, i % 2 == 0 ? "Produce" : "Settle", 200 + i, FaultKind.FailBefore)).ToArray();
        // Every fault is at a later tick than the one before, so each replay of the slice meets the next one.
        FaultInjector.Plan(faults);

        var engine = new ScriptedEngine(fixture.Grains, runId);
        var grains = await Runs.RenderAsync(engine, Runs.Baseline, Seed);

        await AssertLikeReferenceAsync(grains);
        Assert.All(faults, f => Assert.Contains(f, FaultInjector.Fired));
        Assert.Equal(1, engine.Ticker!.Retries);
    }

    [Fact]
    public async Task Every_grain_of_a_run_deactivated_after_every_slice_resumes_from_storage_and_the_run_is_byte_identical()
    {
        var runId = $"every-slice-{Guid.NewGuid():N}";
        var scenario = Runs.Baseline.Info;
        IAddressable[] all =
        [
            fixture.Grains.GetGrain<IRunGrain>(GrainKeys.Run(runId)),
            .. scenario.Companies.Select(c => fixture.Grains.GetGrain<ICompanyGrain>(GrainKeys.Company(runId, c.Id))),
        ];
        var slices = 0;
        async Task DeactivateAll()
        {
            slices++;
            await Task.WhenAll(all.Select(g => g.AsReference<IGrainManagementExtension>().DeactivateOnIdle().AsTask()));
        }

        var grains = await Runs.RenderAsync(new ScriptedEngine(fixture.Grains, runId, DeactivateAll), Runs.Baseline, Seed);

        await AssertLikeReferenceAsync(grains);
        Assert.True(slices > 30);
    }

    private static async Task AssertLikeReferenceAsync(IReadOnlyDictionary<string, string> grains)
    {
        var reference = await Runs.RenderAsync(new ReferenceEngine(), Runs.Baseline, Seed);
        foreach (var file in Runs.EngineFreeFiles)
        {
            Assert.Equal(reference[file], grains[file]);
        }
    }

    /// <summary>The Orleans engine on a run id the test chooses, with something done after every slice.</summary>
    private sealed class ScriptedEngine(IGrainFactory grains, string runId, Func<Task>? afterSlice = null) : IRunEngine
    {
        public OrleansTicker? Ticker { get; private set; }

        public string Name => "orleans";

        public async Task RunAsync(ScenarioInfo scenario, ulong seed, Action<TickReport> collect, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
        {
            Ticker = await OrleansTicker.StartAsync(grains, runId, scenario, seed);
            await Replicates.PlayAsync(afterSlice is null ? Ticker : new AfterSlice(Ticker, afterSlice), collect, progress: progress, ct: ct);
        }
    }

    private sealed class AfterSlice(ITicker inner, Func<Task> after) : ITicker
    {
        public int NextTick => inner.NextTick;

        public int TickCount => inner.TickCount;

        public async ValueTask<IReadOnlyList<TickReport>> AdvanceAsync(int ticks)
        {
            var reports = await inner.AdvanceAsync(ticks);
            await after();
            return reports;
        }
    }
}
