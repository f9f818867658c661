using Simulation.Cli.Engines;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Engine;

namespace Simulation.Cli.Bench;

/// <summary>The reference runner's cost per tick on a synthetic market of one size (<see cref="Ticks"/>: ticks timed per sample).</summary>
public sealed record EntityRow(SyntheticScenario Size, int Ticks, Measured Timing)
{
    /// <summary>The runner thread's CPU time per tick: the cost, little moved by other processes' load.</summary>
    public double MicrosecondsPerTick => Timing.ThreadCpu.Median * 1e6 / Ticks;

    public double WallMicrosecondsPerTick => Timing.Wall.Median * 1e6 / Ticks;

    /// <summary>The fastest repeat: the cost least disturbed by other processes (load only ever adds time).</summary>
    public double BestMicrosecondsPerTick => Timing.ThreadCpu.Min * 1e6 / Ticks;

    public double MicrosecondsPerEntityTick => MicrosecondsPerTick / Size.Entities;
}

/// <summary>The cost per tick (the runner thread's CPU time) in one calendar year of a long run.</summary>
public sealed record WindowRow(int Year, int FromTick, int ToTick, Measured Timing)
{
    public double MicrosecondsPerTick => Timing.ThreadCpu.Median * 1e6 / (ToTick - FromTick);

    public double BestMicrosecondsPerTick => Timing.ThreadCpu.Min * 1e6 / (ToTick - FromTick);

    public double WallMicrosecondsPerTick => Timing.Wall.Median * 1e6 / (ToTick - FromTick);
}

/// <param name="EntityExponent">Of the median cost against entities; <paramref name="BestEntityExponent"/> of the fastest repeats'.</param>
/// <param name="Orleans">The per-company Orleans engine at every size, then on the baseline scenario when there is one.</param>
public sealed record ScalingResult(IReadOnlyList<EntityRow> Entities, double EntityExponent, double BestEntityExponent, SyntheticScenario LongRun,
    IReadOnlyList<WindowRow> Windows, IReadOnlyList<OrleansScalingRow> Orleans);

/// <summary>
/// Per-tick cost of the reference runner against the number of entities (one year of week ticks per size, in the
/// proportions of the 1,000-company market: <see cref="SyntheticScenario.Scaled"/>; <paramref name="poachRate"/> a fixed poach rate instead)
/// and against elapsed ticks (one long run, timed year by year), and of the per-company Orleans engine
/// against it at every size and on the baseline (<see cref="CompanyEngineBench"/>). The reference runner's cost is the CPU time of the thread it runs on (wall time is
/// printed too); the Orleans engine's is wall time. Only ticks are timed: building a runner and collecting
/// metrics are not.
/// </summary>
public sealed class ScalingBench(IGrainFactory grains, int repeat, TextWriter log, double? poachRate = null, (string Name, ScenarioInfo Info)? baseline = null)
{
    /// <summary>Companies x runs per sample in the entity sweep: 10 companies play their year 20 times per sample, 200 and more once.</summary>
    private const int RunsPerSample = 200;

    /// <summary>A market of the entity sweep.</summary>
    private SyntheticScenario Sized(int companies) => SyntheticScenario.Scaled(companies, poachRate: poachRate);

    public async Task<ScalingResult> RunAsync(IReadOnlyList<int> sizes, int years, CancellationToken ct)
    {
        var entities = await EntitiesAsync(sizes, ct);
        var exponent = LogLogSlope(entities.Select(e => (double)e.Size.Entities), entities.Select(e => e.MicrosecondsPerTick));
        var bestExponent = LogLogSlope(entities.Select(e => (double)e.Size.Entities), entities.Select(e => e.BestMicrosecondsPerTick));
        // The long run uses the middle size; the Orleans comparison every size, then the baseline.
        var ordered = sizes.Distinct().Order().ToList();
        var middle = ordered[ordered.Count / 2];
        var longRun = SyntheticScenario.WithCompanies(middle, years);
        var windows = await WindowsAsync(longRun, ct);
        var orleans = new List<OrleansScalingRow>();
        var company = new CompanyEngineBench(grains, repeat, log);
        foreach (var companies in ordered)
        {
            // The markets of the entity sweep: at 1,000 companies, the 1,000-company, 100,000-researcher, 50-market one.
            var size = Sized(companies);
            orleans.Add(await company.MeasureAsync(size.Name, size.Build(), ct));
        }
        if (baseline is { } b)
        {
            orleans.Add(await company.MeasureAsync(b.Name, b.Info, ct));
        }
        return new ScalingResult(entities, exponent, bestExponent, longRun, windows, orleans);
    }

    /// <summary>The slope of log(cost) on log(size): 1 is linear, 2 quadratic; NaN with fewer than two sizes.</summary>
    public static double LogLogSlope(IEnumerable<double> sizes, IEnumerable<double> costs)
    {
        var x = sizes.Select(v => Math.Log(v)).ToArray();
        var y = costs.Select(v => Math.Log(v)).ToArray();
        return x.Distinct().Count() < 2 ? double.NaN : MathNet.Numerics.Fit.Line(x, y).B;
    }

    private async Task<List<EntityRow>> EntitiesAsync(IReadOnlyList<int> sizes, CancellationToken ct)
    {
        // Tiered JIT: play enough ticks first that the code is optimised before the smallest size is timed.
        await TimeRunsAsync(Sized(sizes.Min()).Build(), Math.Max(1, 2 * RunsPerSample / sizes.Min()));
        await TimeRunsAsync(Sized(sizes.Max()).Build(), 1);
        var rows = new List<EntityRow>();
        foreach (var companies in sizes)
        {
            var size = Sized(companies);
            var info = size.Build();
            // Small markets play the year several times per sample, so every sample is long enough to time.
            var runs = Math.Max(1, RunsPerSample / companies);
            await TimeRunsAsync(info, runs);
            var samples = new List<Sample>();
            for (var r = 1; r <= repeat; r++)
            {
                ct.ThrowIfCancellationRequested();
                samples.Add(await TimeRunsAsync(info, runs));
            }
            var row = new EntityRow(size, runs * info.CreateCalendar().Count, new Measured(samples));
            rows.Add(row);
            await log.WriteLineAsync($"bench: {companies} companies, {size.Researchers} researchers: {row.MicrosecondsPerTick:0.0} µs/tick (thread CPU)");
        }
        return rows;
    }

    /// <summary>Plays <paramref name="runs"/> fresh runners to their end; only their ticks are timed.</summary>
    private static Task<Sample> TimeRunsAsync(ScenarioInfo info, int runs)
    {
        var runners = Enumerable.Range(0, runs).Select(_ => new ReferenceRunner(info, info.Seed)).ToList();
        return Sample.TakeAsync(() =>
        {
            foreach (var runner in runners)
            {
                runner.RunToEnd();
            }
            return Task.CompletedTask;
        });
    }

    private async Task<List<WindowRow>> WindowsAsync(SyntheticScenario size, CancellationToken ct)
    {
        var info = size.Build();
        var calendar = info.CreateCalendar();
        var years = Enumerable.Range(0, calendar.Count).GroupBy(t => calendar[t].Start.Year)
            .Select(g => (Year: g.Key, From: g.First(), To: g.Last() + 1)).ToList();
        var samples = years.Select(_ => new List<Sample>()).ToList();
        for (var r = 0; r <= repeat; r++)
        {
            var runner = new ReferenceRunner(info, info.Seed);
            for (var w = 0; w < years.Count; w++)
            {
                ct.ThrowIfCancellationRequested();
                var sample = await Sample.TakeAsync(() =>
                {
                    runner.Advance(years[w].To - years[w].From);
                    return Task.CompletedTask;
                });
                if (r > 0)
                {
                    samples[w].Add(sample); // r = 0 is the warm-up
                }
            }
            await log.WriteLineAsync($"bench: long run of {size.Years} years, {size.Companies} companies: {(r == 0 ? "warm-up" : $"repeat {r}/{repeat}")} done");
        }
        return [.. years.Select((y, w) => new WindowRow(y.Year, y.From, y.To, new Measured(samples[w])))];
    }
}
