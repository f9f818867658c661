using Simulation.Cli.Engines;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Scenarios;

namespace Simulation.Cli.Bench;

/// <summary>One line of the throughput table: N runs on one engine, repeated.</summary>
public sealed record ThroughputRow(int Runs, string Engine, Measured Timing, string? ComparedWith)
{
    public double WallSeconds => Timing.Wall.Median;

    public double RunsPerSecond => Runs / WallSeconds;

    /// <summary>CPU time of the whole process per run: what the run costs, whatever else the machine is doing.</summary>
    public double CpuMillisecondsPerRun => Timing.Cpu.Median * 1e3 / Runs;

    public double AllocatedBytesPerRun => Timing.MedianAllocatedBytes / Runs;

    /// <summary>Wall time over that of <see cref="ComparedWith"/> at the same N (above 1: slower); null for the reference itself.</summary>
    public double? Ratio { get; init; }

    /// <summary>The same ratio in CPU time.</summary>
    public double? CpuRatio { get; init; }
}

/// <summary>
/// Monte Carlo throughput in one process on one embedded silo: the same N replicates played by the
/// reference runner's threads and by each Orleans placement, plus a single run (what <c>sim run</c> plays,
/// without writing files) on each engine. Measurements are interleaved (every engine once, then again),
/// so a burst of load from other processes on a shared machine hits them alike.
/// </summary>
public sealed class ThroughputBench(IGrainFactory grains, LoadedScenario scenario, int parallel, int repeat, int companyUpTo, TextWriter log)
{
    public const string Reference = "reference";
    public const string OrleansReplicate = "orleans replicate";
    public const string OrleansCompany = "orleans company";
    public const string SingleReference = "single run, reference";
    public const string SingleOrleans = "single run, orleans";

    private ScenarioInfo Info => scenario.Info;

    private ulong Seed => scenario.Info.Seed;

    public async Task<IReadOnlyList<ThroughputRow>> RunAsync(IReadOnlyList<int> replicates, CancellationToken ct)
    {
        await WarmUpAsync(ct);
        var rows = new List<ThroughputRow>();
        foreach (var n in replicates)
        {
            var engines = EnginesFor(n);
            var samples = engines.ToDictionary(e => e.Label, _ => new List<Sample>());
            for (var r = 1; r <= repeat; r++)
            {
                foreach (var (label, _, play) in engines)
                {
                    ct.ThrowIfCancellationRequested();
                    var sample = await Sample.TakeAsync(() => play(n));
                    samples[label].Add(sample);
                    await log.WriteLineAsync($"bench: N={n,-5} repeat {r}/{repeat}  {label,-22} {sample.Seconds,8:0.000} s wall, {sample.CpuSeconds,8:0.000} s CPU");
                }
            }
            var measured = engines.Select(e => new ThroughputRow(n, e.Label, new Measured(samples[e.Label]), e.ComparedWith)).ToList();
            rows.AddRange(measured.Select(row => measured.SingleOrDefault(x => x.Engine == row.ComparedWith) is not { } baseline ? row : row with
            {
                Ratio = row.WallSeconds / baseline.WallSeconds,
                CpuRatio = row.Timing.Cpu.Median / baseline.Timing.Cpu.Median,
            }));
        }
        return rows;
    }

    /// <summary>JIT, grain activation and the thread pool's growth, before anything is timed.</summary>
    private async Task WarmUpAsync(CancellationToken ct)
    {
        await log.WriteLineAsync("bench: warming up (JIT, silo, grain activation)");
        foreach (var (_, _, play) in EnginesFor(1))
        {
            ct.ThrowIfCancellationRequested();
            await play(parallel);
        }
    }

    private List<(string Label, string? ComparedWith, Func<int, Task> Play)> EnginesFor(int n)
    {
        var engines = new List<(string, string?, Func<int, Task>)>
        {
            (Reference, null, runs => MonteCarlo.RunAsync(new ReferenceReplicates(), Info, Seed, runs, parallel)),
            (OrleansReplicate, Reference, runs => MonteCarlo.RunAsync(new GrainReplicates(grains), Info, Seed, runs, parallel)),
        };
        if (n <= companyUpTo)
        {
            engines.Add((OrleansCompany, Reference, runs => MonteCarlo.RunAsync(new CompanyGrainReplicates(grains), Info, Seed, runs, parallel)));
        }
        if (n == 1)
        {
            engines.Add((SingleReference, null, _ => SimulationRun.RunAsync(new ReferenceEngine(), scenario, Seed)));
            engines.Add((SingleOrleans, SingleReference, _ => SimulationRun.RunAsync(new OrleansEngine(grains), scenario, Seed)));
        }
        return engines;
    }
}
