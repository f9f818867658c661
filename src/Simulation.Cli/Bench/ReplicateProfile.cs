using System.Diagnostics;
using Simulation.Cli.Engines;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Phases;
using Simulation.Model.Metrics;
using Simulation.Model.Rules;

namespace Simulation.Cli.Bench;

/// <summary>One part of a replicate's cost, in milliseconds per replicate (median over the replicates timed).</summary>
public sealed record ProfilePart(string Part, double MillisecondsPerRun, double Share);

/// <summary>
/// Where a replicate's time goes: the steps of <see cref="Replicates.Play"/> and of the fold timed apart,
/// one replicate after another on one thread, then the same replicates through one
/// <see cref="Simulation.Contracts.IReplicateGrain"/> call each, whose extra time is the grain call's cost.
/// </summary>
public static class ReplicateProfile
{
    public const string ContextBuild = "scenario context build (collector's)";
    public const string RunnerBuild = "runner build (its own context, states)";
    public const string Ticks = "runner: ticks";
    public const string Collect = "collector: monthly rows";
    public const string Result = "result: ReplicateResult.From";
    public const string Fold = "aggregation: BandAggregator.Add";
    public const string GrainCall = "grain call (replicate placement) over in-process";

    public static async Task<IReadOnlyList<ProfilePart>> MeasureAsync(ScenarioInfo scenario, ulong baseSeed, int runs, IGrainFactory grains)
    {
        var parts = new Dictionary<string, List<double>>();
        void Add(string part, TimeSpan elapsed) => (parts.TryGetValue(part, out var list) ? list : parts[part] = []).Add(elapsed.TotalMilliseconds);

        var bands = new BandAggregator();
        var grainRunner = new GrainReplicates(grains);
        var grainExtra = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var seed = Seeds.For(baseSeed, i);
            var total = Stopwatch.StartNew();
            var clock = Stopwatch.StartNew();
            var context = new ScenarioContext(scenario, seed);
            Add(ContextBuild, clock.Elapsed);
            clock.Restart();
            var runner = new TimedTicker(new ReferenceTicker(scenario, seed));
            Add(RunnerBuild, clock.Elapsed);
            var collector = new DataCollector(context, tickRows: false);
            var collect = TimeSpan.Zero;
            await Replicates.PlayAsync(runner, report =>
            {
                clock.Restart();
                collector.Collect(report);
                collect += clock.Elapsed;
            });
            var ticks = runner.Elapsed;
            Add(Ticks, ticks);
            Add(Collect, collect);
            clock.Restart();
            var result = ReplicateResult.From(i, seed, collector);
            Add(Result, clock.Elapsed);
            var inProcess = total.Elapsed;
            clock.Restart();
            bands.Add(result);
            Add(Fold, clock.Elapsed);

            // The same replicate again through a grain, right after: the pair sees about the same load.
            clock.Restart();
            await grainRunner.RunAsync(scenario, seed, i);
            grainExtra.Add((clock.Elapsed - inProcess).TotalMilliseconds);
        }
        var grainCall = Measured.MedianOf(grainExtra);

        var medians = parts.Select(p => (Part: p.Key, Ms: Measured.MedianOf(p.Value))).Append((Part: GrainCall, Ms: grainCall)).ToList();
        var sum = medians.Sum(p => Math.Max(0, p.Ms));
        return [.. medians.Select(p => new ProfilePart(p.Part, p.Ms, sum > 0 ? Math.Max(0, p.Ms) / sum : 0))];
    }
}

/// <summary>A ticker whose <see cref="Elapsed"/> adds up the time spent in its ticks (not in collecting their reports).</summary>
internal sealed class TimedTicker(ITicker inner) : ITicker
{
    public TimeSpan Elapsed { get; private set; }

    public int NextTick => inner.NextTick;

    public int TickCount => inner.TickCount;

    public async ValueTask<IReadOnlyList<TickReport>> AdvanceAsync(int ticks)
    {
        var clock = Stopwatch.StartNew();
        var reports = await inner.AdvanceAsync(ticks);
        Elapsed += clock.Elapsed;
        return reports;
    }
}
