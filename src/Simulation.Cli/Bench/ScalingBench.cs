using Simulation.Cli.Engines;
using Simulation.Cli.Hosting;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Engine;

namespace Simulation.Cli.Bench;

/// <summary>
/// The cost per tick on a synthetic market of one size (<see cref="Ticks"/>: ticks timed per sample): the reference runner's,
/// or (<paramref name="Wall"/>) the company engine's on a cluster, whose cost is wall time.
/// </summary>
public sealed record EntityRow(SyntheticScenario Size, int Ticks, Measured Timing, bool Wall = false)
{
    /// <summary>What the cost is measured in: the runner thread's CPU time (little moved by other processes' load), or wall time.</summary>
    public Stats Cost => Wall ? Timing.Wall : Timing.ThreadCpu;

    /// <summary>The cost per tick (median of the repeats).</summary>
    public double MicrosecondsPerTick => Cost.Median * 1e6 / Ticks;

    public double WallMicrosecondsPerTick => Timing.Wall.Median * 1e6 / Ticks;

    /// <summary>The fastest repeat: the cost least disturbed by other processes (load only ever adds time).</summary>
    public double BestMicrosecondsPerTick => Cost.Min * 1e6 / Ticks;

    public double MicrosecondsPerEntityTick => MicrosecondsPerTick / Size.Entities;
}

/// <summary>The cost per tick (the runner thread's CPU time, or with <paramref name="Wall"/> wall time) in one calendar year of a long run.</summary>
public sealed record WindowRow(int Year, int FromTick, int ToTick, Measured Timing, bool Wall = false)
{
    public Stats Cost => Wall ? Timing.Wall : Timing.ThreadCpu;

    public double MicrosecondsPerTick => Cost.Median * 1e6 / (ToTick - FromTick);

    public double BestMicrosecondsPerTick => Cost.Min * 1e6 / (ToTick - FromTick);

    public double WallMicrosecondsPerTick => Timing.Wall.Median * 1e6 / (ToTick - FromTick);
}

/// <param name="EntityExponent">Of the median cost against entities; <paramref name="BestEntityExponent"/> of the fastest repeats'.</param>
/// <param name="Orleans">The per-company Orleans engine at every size, then on the baseline scenario when there is one.</param>
/// <param name="Cluster">
/// Null in process; on a cluster, its silos: then <paramref name="Entities"/> and <paramref name="Windows"/> are the company
/// engine's, played there, in wall time.
/// </param>
/// <param name="Floor">Orleans's own cost of a call there, in fan-outs as wide as the largest size's companies.</param>
public sealed record ScalingResult(IReadOnlyList<EntityRow> Entities, double EntityExponent, double BestEntityExponent, SyntheticScenario LongRun,
    IReadOnlyList<WindowRow> Windows, IReadOnlyList<OrleansScalingRow> Orleans, ClusterFigures? Cluster = null, CallFloor? Floor = null);

/// <summary>The cluster <c>sim bench --scaling --cluster</c> ran on: its silos (and their cores, as they report them) at the start and the end.</summary>
public sealed record ClusterFigures(string Address, string ClusterId, int Silos, int SiloCores, int SilosAtEnd, int SilosLost)
{
    /// <summary>"3 silos", or "3 silos at the start, 2 at the end" when one was lost or joined meanwhile.</summary>
    public string SilosSaid => Silos == SilosAtEnd && SilosLost == 0
        ? $"{Silos} silo{(Silos == 1 ? "" : "s")}"
        : $"{Silos} silo{(Silos == 1 ? "" : "s")} at the start, {SilosAtEnd} at the end";
}

/// <summary>A cluster to measure the company engine on: the one asked for and the silos the client follows.</summary>
public sealed record ClusterRun(ClusterTarget Target, SiloPool Silos);

/// <summary>
/// Per-tick cost of the reference runner against the number of entities (one year of week ticks per size, in the
/// proportions of the 1,000-company market: <see cref="SyntheticScenario.Scaled"/>; <paramref name="poachRate"/> a fixed poach rate instead)
/// and against elapsed ticks (one long run, timed year by year), and of the per-company Orleans engine
/// against it at every size and on the baseline (<see cref="CompanyEngineBench"/>). The reference runner's cost is the CPU time of the thread it runs on (wall time is
/// printed too); the Orleans engine's is wall time. Only ticks are timed: building a runner and collecting
/// metrics are not. Given a <paramref name="cluster"/>, the company engine is what is measured against entities and elapsed
/// ticks, on that cluster's silos, in wall time (the reference runner still plays in this process, for the comparison).
/// </summary>
public sealed class ScalingBench(IGrainFactory grains, int repeat, TextWriter log, double? poachRate = null, (string Name, ScenarioInfo Info)? baseline = null,
    ClusterRun? cluster = null)
{
    /// <summary>Companies x runs per sample in the entity sweep: 10 companies play their year 20 times per sample, 200 and more once.</summary>
    private const int RunsPerSample = 200;

    /// <summary>Runs of the smallest size played untimed on a cluster before the sweep (about 500 ticks).</summary>
    private const int ClusterWarmUpRuns = 10;

    /// <summary>A market of the entity sweep.</summary>
    private SyntheticScenario Sized(int companies) => SyntheticScenario.Scaled(companies, poachRate: poachRate);

    public async Task<ScalingResult> RunAsync(IReadOnlyList<int> sizes, int years, CancellationToken ct)
    {
        if (cluster is not null)
        {
            return await OnClusterAsync(sizes, years, cluster, ct);
        }
        var entities = await EntitiesAsync(sizes, ct);
        var exponent = LogLogSlope(entities.Select(e => (double)e.Size.Entities), entities.Select(e => e.MicrosecondsPerTick));
        var bestExponent = LogLogSlope(entities.Select(e => (double)e.Size.Entities), entities.Select(e => e.BestMicrosecondsPerTick));
        // The long run uses the middle size; the Orleans comparison every size, then the baseline.
        var ordered = sizes.Distinct().Order().ToList();
        var middle = ordered[ordered.Count / 2];
        var longRun = SyntheticScenario.WithCompanies(middle, years);
        var windows = await WindowsAsync(longRun, null, ct);
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
        var floor = await company.FloorAsync(ordered[^1], ct);
        return new ScalingResult(entities, exponent, bestExponent, longRun, windows, orleans, Floor: floor);
    }

    /// <summary>
    /// The company engine on the cluster's silos: its cost per tick at every size (one run of a year per sample, measured
    /// against the reference runner in this process), the exponent of those costs, the long run year by year, the baseline.
    /// </summary>
    private async Task<ScalingResult> OnClusterAsync(IReadOnlyList<int> sizes, int years, ClusterRun on, CancellationToken ct)
    {
        var (silos, cores, lostBefore) = (on.Silos.Count, on.Silos.Cores, on.Silos.Lost);
        await log.WriteLineAsync($"bench: the company engine on {silos} silo(s) of {on.Target} ({cores} cores as they report them)");
        var company = new CompanyEngineBench(grains, repeat, log, on.Silos);
        var ordered = sizes.Distinct().Order().ToList();
        // Tiered JIT, in the silos this time: on silos that never played, the first sizes would be timed on unoptimised code.
        await company.WarmUpAsync(Sized(ordered[0]).Build(), ClusterWarmUpRuns, ct);
        var orleans = new List<OrleansScalingRow>();
        var entities = new List<EntityRow>();
        foreach (var companies in ordered)
        {
            var size = Sized(companies);
            var row = await company.MeasureAsync(size.Name, size.Build(), ct);
            orleans.Add(row);
            entities.Add(new EntityRow(size, row.Ticks, row.Orleans, Wall: true));
        }
        var exponent = LogLogSlope(entities.Select(e => (double)e.Size.Entities), entities.Select(e => e.MicrosecondsPerTick));
        var bestExponent = LogLogSlope(entities.Select(e => (double)e.Size.Entities), entities.Select(e => e.BestMicrosecondsPerTick));
        var longRun = SyntheticScenario.WithCompanies(ordered[ordered.Count / 2], years);
        var windows = await WindowsAsync(longRun, company, ct);
        if (baseline is { } b)
        {
            orleans.Add(await company.MeasureAsync(b.Name, b.Info, ct));
        }
        var floor = await company.FloorAsync(ordered[^1], ct);
        var figures = new ClusterFigures(on.Target.Address.ToString(), on.Target.ClusterId, silos, cores, on.Silos.Count, on.Silos.Lost - lostBefore);
        return new ScalingResult(entities, exponent, bestExponent, longRun, windows, orleans, figures, floor);
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

    /// <summary>The long run timed year by year: on the reference runner, or (<paramref name="company"/>) on the company engine in wall time.</summary>
    private async Task<List<WindowRow>> WindowsAsync(SyntheticScenario size, CompanyEngineBench? company, CancellationToken ct)
    {
        var info = size.Build();
        var calendar = info.CreateCalendar();
        var years = Enumerable.Range(0, calendar.Count).GroupBy(t => calendar[t].Start.Year)
            .Select(g => (Year: g.Key, From: g.First(), To: g.Last() + 1)).ToList();
        var samples = years.Select(_ => new List<Sample>()).ToList();
        for (var r = 0; r <= repeat; r++)
        {
            var played = company is null
                ? await ReferenceYearsAsync(info, years.Select(y => y.To - y.From).ToList(), ct)
                : await company.StretchesAsync(info, years.Select(y => y.To).ToList(), ct);
            if (r > 0)
            {
                for (var w = 0; w < years.Count; w++)
                {
                    samples[w].Add(played[w]); // r = 0 is the warm-up
                }
            }
            await log.WriteLineAsync($"bench: long run of {size.Years} years, {size.Companies} companies{(company is null ? "" : ", company engine on the cluster")}: {(r == 0 ? "warm-up" : $"repeat {r}/{repeat}")} done");
        }
        return [.. years.Select((y, w) => new WindowRow(y.Year, y.From, y.To, new Measured(samples[w]), Wall: company is not null))];
    }

    /// <summary>One reference run played year by year (<paramref name="lengths"/>: each year's ticks), each year timed.</summary>
    private static async Task<List<Sample>> ReferenceYearsAsync(ScenarioInfo info, IReadOnlyList<int> lengths, CancellationToken ct)
    {
        var runner = new ReferenceRunner(info, info.Seed);
        var samples = new List<Sample>(lengths.Count);
        foreach (var length in lengths)
        {
            ct.ThrowIfCancellationRequested();
            samples.Add(await Sample.TakeAsync(() =>
            {
                runner.Advance(length);
                return Task.CompletedTask;
            }));
        }
        return samples;
    }
}
