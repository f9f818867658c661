using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simulation.Cli.Commands;

namespace Simulation.Cli.Bench;

/// <summary>The figures of a <c>sim bench</c> run as plain-text tables (stdout) and as JSON (<c>--json FILE</c>).</summary>
public static class BenchReport
{
    /// <summary>Orleans (replicate placement) within this factor of the reference runner on the Monte Carlo.</summary>
    public const double RatioTarget = 1.5;

    /// <summary>1,000 baseline replicates within this many seconds (on 2 cores).</summary>
    public const double ThousandRunsTargetSeconds = 10;

    /// <summary>The company engine's targets (issue 11): awaited fan-outs to the companies per tick, extra wall time per grain call, and its per-tick cost over the reference's at <see cref="CompanyRatioSize"/> companies.</summary>
    public const double FanOutsTarget = 2;
    public const double ExtraMicrosecondsPerCallTarget = 5;
    public const double CompanyRatioTarget = 3;
    public const int CompanyRatioSize = 1000;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Machine(MachineInfo machine)
    {
        var sb = new StringBuilder();
        foreach (var line in machine.Lines().Concat(machine.LoadLines()))
        {
            sb.AppendLine(line);
        }
        if (machine.Build != "Release")
        {
            sb.AppendLine("warning: a Debug build; measure with -c Release (dotnet run --project src/Simulation.Cli -c Release -- bench)");
        }
        sb.AppendLine("The machine may be shared: other processes' load moves these figures; read the spread and the load average.");
        return sb.ToString();
    }

    public static string Throughput(string scenario, int parallel, int repeat, int companyUpTo, IReadOnlyList<ThroughputRow> rows)
    {
        var table = new List<string[]> { new[] { "runs", "engine / placement", "wall s", "spread [min-max]", "runs/s", "ratio", "CPU ms/run", "CPU ratio", "alloc/run" } };
        table.AddRange(rows.Select(r => new[]
        {
            r.Runs.ToString("N0", Invariant),
            r.Engine,
            r.WallSeconds.ToString("0.000", Invariant),
            $"{r.Timing.Wall.Spread:P0} [{r.Timing.Wall.Min:0.000}-{r.Timing.Wall.Max:0.000}]",
            r.RunsPerSecond.ToString(r.RunsPerSecond >= 100 ? "0" : "0.0", Invariant),
            r.Ratio is { } ratio ? $"{ratio:0.00}x" : "-",
            r.CpuMillisecondsPerRun.ToString("0.0", Invariant),
            r.CpuRatio is { } cpuRatio ? $"{cpuRatio:0.00}x" : "-",
            $"{r.AllocatedBytesPerRun / 1e6:0.0} MB",
        }));
        var sb = new StringBuilder();
        sb.AppendLine(Invariant, $"Monte Carlo throughput on {scenario}: K = {parallel} replicates in flight, median of {repeat} repeat(s)");
        sb.AppendLine("wall s: median wall time of the batch; ratio: over the reference's at the same N (single run, orleans: over single run, reference);");
        sb.AppendLine("CPU ms/run: CPU time of the whole process per run (the cost, whatever else the machine does); alloc/run: bytes allocated per run");
        SummaryTable.AppendTable(sb, table);
        if (rows.Max(r => r.Runs) > companyUpTo)
        {
            sb.AppendLine(Invariant, $"orleans company placement measured only up to {companyUpTo:N0} runs (it is slow; --skip-company-above N changes that)");
        }
        return sb.ToString();
    }

    /// <summary>The targets of issue #4 against the largest N measured.</summary>
    public static string ThroughputTargets(IReadOnlyList<ThroughputRow> rows, int cores)
    {
        var n = rows.Max(r => r.Runs);
        var reference = rows.Single(r => r.Runs == n && r.Engine == ThroughputBench.Reference);
        var replicate = rows.Single(r => r.Runs == n && r.Engine == ThroughputBench.OrleansReplicate);
        var scale = 1000.0 / n;
        var extrapolated = n == 1000 ? "" : $" (extrapolated from {n:N0} runs)";
        var sb = new StringBuilder();
        sb.AppendLine("Targets");
        sb.AppendLine(Invariant,
            $"- orleans replicate placement within {RatioTarget}x of the reference on {n:N0} runs: {replicate.Ratio:0.00}x wall, {replicate.CpuRatio:0.00}x CPU  {Verdict(replicate.Ratio <= RatioTarget)}");
        var best = Math.Min(reference.WallSeconds, replicate.WallSeconds) * scale;
        sb.AppendLine(Invariant,
            $"- 1,000 runs under {ThousandRunsTargetSeconds} s on 2 cores: reference {reference.WallSeconds * scale:0.0} s, orleans replicate {replicate.WallSeconds * scale:0.0} s{extrapolated}, on {cores} cores  {Verdict(best < ThousandRunsTargetSeconds)}");
        sb.AppendLine(Invariant,
            $"  with the cores to itself: {reference.CpuMillisecondsPerRun:0.0} ms of CPU per run x 1,000 / {cores} cores = {reference.CpuMillisecondsPerRun * 1000 / cores / 1e3:0.0} s");
        return sb.ToString();
    }

    public static string Profile(IReadOnlyList<ProfilePart> parts, int runs)
    {
        var table = new List<string[]> { new[] { "part", "ms per run", "share" } };
        table.AddRange(parts.Select(p => new[] { p.Part, p.MillisecondsPerRun.ToString("0.00", Invariant), p.Share.ToString("P0", Invariant) }));
        var sb = new StringBuilder();
        sb.AppendLine(Invariant, $"Where a replicate's time goes: {runs} replicates one after another on one thread (median per part)");
        SummaryTable.AppendTable(sb, table, leftColumns: 1);
        sb.AppendLine("grain call: each replicate played again through one IReplicateGrain call right after, minus its in-process time (median of the pairs; below 0: lost in the noise)");
        return sb.ToString();
    }

    public static string Scaling(ScalingResult result, int repeat)
    {
        var sb = new StringBuilder();
        var first = result.Entities[0];
        var cluster = result.Cluster;
        // On a cluster the company engine is what is measured against entities and elapsed ticks, in wall time.
        var engine = cluster is null ? "reference runner" : $"company-per-grain engine on {cluster.SilosSaid}";
        if (cluster is not null)
        {
            sb.AppendLine(Invariant, $"On the cluster of {cluster.Address} (cluster id {cluster.ClusterId}): {cluster.SilosSaid}, {cluster.SiloCores} cores as the silos reported them at the start (silos on one machine share its cores)");
            sb.AppendLine("The company-per-grain engine (OrleansEngine) plays on the silos as `sim run --cluster` does, its checkpoints in the cluster's Redis; the reference runner plays in this process, for the comparison");
            sb.AppendLine();
        }
        sb.AppendLine(cluster is null
            ? string.Create(Invariant, $"Per-tick cost against entities: reference runner, one year of {first.Size.Tick.ToString().ToLowerInvariant()} ticks per size (small sizes several times per sample), median of {repeat} repeat(s)")
            : string.Create(Invariant, $"Per-tick cost against entities: {engine}, one year of {first.Size.Tick.ToString().ToLowerInvariant()} ticks per size, median of {repeat} repeat(s)"));
        sb.AppendLine(cluster is null
            ? string.Create(Invariant, $"µs/tick: CPU time of the runner's thread per tick, median (best: the fastest repeat; wall time beside it); entities: companies + researchers ({first.Size.Researchers / first.Size.Companies} per company) + apps ({first.Size.AppsPerCompany} per company)")
            : string.Create(Invariant, $"µs/tick: wall time per tick (the engine's work runs in the silos' processes), median (best: the fastest repeat); entities: companies + researchers ({first.Size.Researchers / first.Size.Companies} per company) + apps ({first.Size.AppsPerCompany} per company)"));
        sb.AppendLine(result.Entities.Select(e => e.Size.PoachRate * e.Size.Researchers).Distinct().Count() == 1
            ? string.Create(Invariant, $"every company poaches, approaching {first.Size.PoachRate * first.Size.Researchers:0.#} stars a month at every size (poach rate {SyntheticScenario.StarApproachesPerMonth:0.#} / researchers); a market has {SyntheticScenario.CompaniesPerMarket * first.Size.AppsPerCompany} apps")
            : string.Create(Invariant, $"every company poaches at a fixed rate of {first.Size.PoachRate:0.####} a month per star: its approaches grow with the roster, the offers as companies x researchers"));
        var entities = new List<string[]> { Without(cluster, 8, new[] { "companies", "researchers", "apps", "markets", "entities", "µs/tick", "spread", "best", "wall µs/tick", "µs/entity/tick", "vs smallest" }) };
        entities.AddRange(result.Entities.Select(e => Without(cluster, 8, new[]
        {
            e.Size.Companies.ToString(Invariant),
            e.Size.Researchers.ToString(Invariant),
            (e.Size.Companies * e.Size.AppsPerCompany).ToString(Invariant),
            e.Size.Markets.ToString(Invariant),
            e.Size.Entities.ToString(Invariant),
            e.MicrosecondsPerTick.ToString("0.0", Invariant),
            e.Cost.Spread.ToString("P0", Invariant),
            e.BestMicrosecondsPerTick.ToString("0.0", Invariant),
            e.WallMicrosecondsPerTick.ToString("0.0", Invariant),
            e.MicrosecondsPerEntityTick.ToString("0.000", Invariant),
            $"{e.MicrosecondsPerEntityTick / first.MicrosecondsPerEntityTick:0.00}x",
        })));
        SummaryTable.AppendTable(sb, entities, leftColumns: 0);
        sb.AppendLine(double.IsFinite(result.EntityExponent)
            ? string.Create(Invariant, $"cost ~ entities^{result.EntityExponent:0.00} (best repeats: ^{result.BestEntityExponent:0.00}; least squares on log-log; 1 is linear, 2 quadratic)")
            : "cost ~ entities^? (the exponent needs two sizes or more)");
        sb.AppendLine();

        var w0 = result.Windows[0];
        sb.AppendLine(Invariant,
            $"Per-tick cost against elapsed ticks: {engine}, {result.LongRun.Companies} companies, {result.LongRun.Researchers} researchers, {result.LongRun.Years} year(s) of day ticks, timed year by year, median of {repeat} repeat(s)");
        var windows = new List<string[]> { Without(cluster, 5, new[] { "year", "ticks", "µs/tick", "spread", "best", "wall µs/tick", "vs first year", "best vs first" }) };
        windows.AddRange(result.Windows.Select(w => Without(cluster, 5, new[]
        {
            w.Year.ToString(Invariant),
            $"{w.FromTick}-{w.ToTick}",
            w.MicrosecondsPerTick.ToString("0.0", Invariant),
            w.Cost.Spread.ToString("P0", Invariant),
            w.BestMicrosecondsPerTick.ToString("0.0", Invariant),
            w.WallMicrosecondsPerTick.ToString("0.0", Invariant),
            $"{w.MicrosecondsPerTick / w0.MicrosecondsPerTick:0.00}x",
            $"{w.BestMicrosecondsPerTick / w0.BestMicrosecondsPerTick:0.00}x",
        })));
        SummaryTable.AppendTable(sb, windows, leftColumns: 0);
        var perTick = result.Windows.Select(w => w.MicrosecondsPerTick).ToList();
        var best = result.Windows.Select(w => w.BestMicrosecondsPerTick).ToList();
        sb.AppendLine(Invariant,
            $"last year over first: {perTick[^1] / perTick[0]:0.00}x (best repeats: {best[^1] / best[0]:0.00}x); costliest year over cheapest: {perTick.Max() / perTick.Min():0.00}x (best repeats: {best.Max() / best.Min():0.00}x); flat is 1");
        sb.AppendLine();

        sb.AppendLine(cluster is null
            ? string.Create(Invariant, $"Per-company Orleans engine (OrleansEngine: a grain per company; the job and user markets played in the run's scheduler grain) against the reference runner, ticks only, median of {repeat} repeat(s)")
            : string.Create(Invariant, $"Per-company Orleans engine (OrleansEngine: a grain per company; the job and user markets played in the run's scheduler grain) on {cluster.SilosSaid} against the reference runner in this process, ticks only, median of {repeat} repeat(s)"));
        sb.AppendLine(cluster is null
            ? "µs/tick: wall time per tick; fan-outs and calls: awaited fan-outs to the company grains and calls in them per tick, counted by the scheduler; extra: the Orleans engine's wall time over the reference's, per company call and per company (extra CPU: the same in process CPU time); CPU ratio: process CPU time (idle thread-pool spinning included); KB/tick: bytes the process allocated"
            : "µs/tick: wall time per tick; fan-outs and calls: awaited fan-outs to the company grains and calls in them per tick, counted by the scheduler; extra: the Orleans engine's wall time over the reference's, per company call and per company; CPU ratio and extra CPU: not measured on a cluster (the engine's CPU time is spent in the silos' processes); KB/tick: bytes this process allocated (the orleans column: the client's)");
        var orleans = new List<string[]> { new[] { "scenario", "companies", "ticks", "reference µs/tick", "orleans µs/tick", "ratio", "CPU ratio", "fan-outs/tick", "calls/tick", "extra µs/call", "extra CPU µs/call", "extra µs/company/tick", "reference KB/tick", "orleans KB/tick" } };
        orleans.AddRange(result.Orleans.Select(o => new[]
        {
            o.Name,
            o.Companies.ToString(Invariant),
            o.Ticks.ToString(Invariant),
            o.ReferenceMicrosecondsPerTick.ToString("0.0", Invariant),
            o.OrleansMicrosecondsPerTick.ToString("0.0", Invariant),
            $"{o.Ratio:0.00}x",
            double.IsFinite(o.CpuRatio) ? $"{o.CpuRatio:0.0}x" : "-",
            o.FanOutsPerTick.ToString("0.000", Invariant),
            o.CallsPerTick.ToString("0.#", Invariant),
            o.OverheadMicrosecondsPerCall.ToString("0.0", Invariant),
            double.IsFinite(o.OverheadCpuMicrosecondsPerCall) ? o.OverheadCpuMicrosecondsPerCall.ToString("0.0", Invariant) : "-",
            o.OverheadMicrosecondsPerCompanyTick.ToString("0.0", Invariant),
            (o.ReferenceBytesPerTick / 1024).ToString("0.0", Invariant),
            (o.OrleansBytesPerTick / 1024).ToString("0.0", Invariant),
        }));
        SummaryTable.AppendTable(sb, orleans, leftColumns: 1);
        AppendCompanyTargets(sb, result.Orleans, result.Floor);
        if (cluster is not null)
        {
            sb.AppendLine();
            sb.AppendLine(cluster.SilosLost == 0 && cluster.Silos == cluster.SilosAtEnd
                ? string.Create(Invariant, $"Ran on {cluster.SilosSaid} ({cluster.Address}, cluster id {cluster.ClusterId}): {cluster.Silos} active at the start and at the end")
                : string.Create(Invariant, $"Ran on {cluster.SilosSaid} ({cluster.Address}, cluster id {cluster.ClusterId}): {cluster.SilosLost} lost meanwhile; what they held was asked again of the others, and that time is in the figures"));
        }
        return sb.ToString();
    }

    /// <summary>The row without its column <paramref name="column"/> on a cluster (the wall-time column, which is then the cost column itself).</summary>
    private static string[] Without(ClusterFigures? cluster, int column, string[] row) =>
        cluster is null ? row : [.. row.Take(column), .. row.Skip(column + 1)];

    /// <summary>The company engine's targets, each against the figure it is judged on.</summary>
    private static void AppendCompanyTargets(StringBuilder sb, IReadOnlyList<OrleansScalingRow> rows, CallFloor? floor)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var fanOuts = rows.Max(o => o.FanOutsPerTick);
        sb.AppendLine(Invariant, $"target: at most {FanOutsTarget:0} fan-outs to the companies per tick: {fanOuts:0.000} at most ({Verdict(fanOuts <= FanOutsTarget)}; the first tick's decisions come with the start's fan-out, not counted here)");
        var largest = rows.Where(o => o.Name.StartsWith("synthetic", StringComparison.Ordinal)).DefaultIfEmpty(rows[0]).MaxBy(o => o.Companies)!;
        // Judged on CPU time: other processes' load stretches the reference's wall time as much as the engine's, which
        // can push the wall-time difference below the target, even below zero, without any call getting cheaper.
        sb.AppendLine(largest.OnCluster
            ? string.Create(Invariant, $"target: at most {ExtraMicrosecondsPerCallTarget:0} µs extra per grain call: {largest.OverheadMicrosecondsPerCall:0.0} µs of wall time at {largest.Companies} companies ({Verdict(largest.OverheadMicrosecondsPerCall <= ExtraMicrosecondsPerCallTarget)}; judged on wall time on a cluster: the silos' CPU time is not this process's)")
            : string.Create(Invariant, $"target: at most {ExtraMicrosecondsPerCallTarget:0} µs extra per grain call: {largest.OverheadCpuMicrosecondsPerCall:0.0} µs of CPU at {largest.Companies} companies ({Verdict(largest.OverheadCpuMicrosecondsPerCall <= ExtraMicrosecondsPerCallTarget)}; {largest.OverheadMicrosecondsPerCall:0.0} in wall time)"));
        if (floor is not null)
        {
            sb.AppendLine(floor.OnCluster
                ? string.Create(Invariant, $"  under it, Orleans's own cost of a call in this run: {floor.MicrosecondsPerCall:0.0} µs of wall time per call, in fan-outs of {floor.Calls:N0} empty calls to as many grains on the silos")
                : string.Create(Invariant, $"  under it, Orleans's own cost of a call in this run: {floor.CpuMicrosecondsPerCall:0.0} µs of CPU and {floor.MicrosecondsPerCall:0.0} µs of wall time per call, in fan-outs of {floor.Calls:N0} empty calls to as many grains"));
        }
        if (largest.Companies >= CompanyRatioSize)
        {
            sb.AppendLine(Invariant, $"target: within {CompanyRatioTarget:0}x of the reference per tick at {CompanyRatioSize:N0} companies: {largest.Ratio:0.00}x ({Verdict(largest.Ratio <= CompanyRatioTarget)})");
        }
        else
        {
            sb.AppendLine(Invariant, $"target: within {CompanyRatioTarget:0}x of the reference per tick at {CompanyRatioSize:N0} companies: not measured (largest size {largest.Companies}; add it to --sizes)");
        }
        if (rows.FirstOrDefault(o => !o.Name.StartsWith("synthetic", StringComparison.Ordinal)) is { } baseline)
        {
            sb.AppendLine(Invariant, $"baseline ({baseline.Name}, {baseline.Companies} companies): {baseline.Ratio:0.00}x the reference per tick, as measured");
        }
    }

    public static JsonNode? MachineJson(MachineInfo machine) =>
        JsonSerializer.SerializeToNode(machine, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });

    public static JsonArray ThroughputJson(IReadOnlyList<ThroughputRow> rows) =>
        [.. rows.Select(r => (JsonNode)new JsonObject
        {
            ["runs"] = r.Runs,
            ["engine"] = r.Engine,
            ["wall_seconds_median"] = r.WallSeconds,
            ["wall_seconds"] = Values(r.Timing, s => s.Seconds),
            ["cpu_seconds"] = Values(r.Timing, s => s.CpuSeconds),
            ["runs_per_second"] = r.RunsPerSecond,
            ["cpu_ms_per_run"] = r.CpuMillisecondsPerRun,
            ["compared_with"] = r.ComparedWith,
            ["ratio"] = r.Ratio,
            ["cpu_ratio"] = r.CpuRatio,
            ["allocated_bytes_per_run"] = r.AllocatedBytesPerRun,
        })];

    public static JsonArray ProfileJson(IReadOnlyList<ProfilePart> parts) =>
        [.. parts.Select(p => (JsonNode)new JsonObject { ["part"] = p.Part, ["ms_per_run"] = p.MillisecondsPerRun, ["share"] = p.Share })];

    /// <summary>
    /// The scaling figures; with <c>--cluster</c>, first the silos it ran on, and the company engine's costs in wall time only
    /// (its CPU time is spent in the silos' processes).
    /// </summary>
    public static JsonObject ScalingJson(ScalingResult result)
    {
        var json = new JsonObject();
        var wall = result.Cluster is not null;
        if (result.Cluster is { } cluster)
        {
            json["engine"] = "orleans-company";
            json["clock"] = "wall";
            json["silos"] = cluster.Silos;
            json["cluster"] = new JsonObject
            {
                ["address"] = cluster.Address,
                ["cluster_id"] = cluster.ClusterId,
                ["silos"] = cluster.Silos,
                ["silo_cores"] = cluster.SiloCores,
                ["silos_at_end"] = cluster.SilosAtEnd,
                ["silos_lost"] = cluster.SilosLost,
            };
        }
        json["entities"] = new JsonArray([.. result.Entities.Select(e =>
        {
            var row = new JsonObject
            {
                ["companies"] = e.Size.Companies,
                ["researchers"] = e.Size.Researchers,
                ["apps"] = e.Size.Companies * e.Size.AppsPerCompany,
                ["markets"] = e.Size.Markets,
                ["poach_rate"] = e.Size.PoachRate,
                ["entities"] = e.Size.Entities,
                ["ticks_per_sample"] = e.Ticks,
            };
            Costs(row, wall, e.WallMicrosecondsPerTick, e.MicrosecondsPerTick, e.BestMicrosecondsPerTick);
            row[wall ? "wall_us_per_entity_tick" : "thread_cpu_us_per_entity_tick"] = e.MicrosecondsPerEntityTick;
            Seconds(row, wall, e.Timing);
            return (JsonNode)row;
        })]);
        json["entity_exponent"] = Finite(result.EntityExponent);
        json["best_entity_exponent"] = Finite(result.BestEntityExponent);
        json["elapsed"] = new JsonObject
        {
            ["companies"] = result.LongRun.Companies,
            ["researchers"] = result.LongRun.Researchers,
            ["years"] = result.LongRun.Years,
            ["windows"] = new JsonArray([.. result.Windows.Select(w =>
            {
                var row = new JsonObject { ["year"] = w.Year, ["from_tick"] = w.FromTick, ["to_tick"] = w.ToTick };
                Costs(row, wall, w.WallMicrosecondsPerTick, w.MicrosecondsPerTick, w.BestMicrosecondsPerTick);
                Seconds(row, wall, w.Timing);
                return (JsonNode)row;
            })]),
        };
        json["orleans"] = OrleansJson(result.Orleans);
        if (result.Floor is { } floor)
        {
            json["call_floor"] = new JsonObject
            {
                ["calls_per_fan_out"] = floor.Calls,
                ["fan_outs_per_sample"] = floor.FanOuts,
                ["wall_us_per_call"] = floor.MicrosecondsPerCall,
                ["cpu_us_per_call"] = Finite(floor.CpuMicrosecondsPerCall),
                ["samples"] = floor.Timing.Samples.Count,
            };
        }
        return json;
    }

    /// <summary>A row's cost per tick: the runner thread's CPU and the wall time, or on a cluster the wall time and its best repeat.</summary>
    private static void Costs(JsonObject row, bool wall, double wallPerTick, double perTick, double bestPerTick)
    {
        if (wall)
        {
            row["wall_us_per_tick"] = wallPerTick;
            row["best_wall_us_per_tick"] = bestPerTick;
        }
        else
        {
            row["thread_cpu_us_per_tick"] = perTick;
            row["wall_us_per_tick"] = wallPerTick;
        }
    }

    /// <summary>A row's samples in seconds: the thread's CPU and the wall time, or on a cluster the wall time alone.</summary>
    private static void Seconds(JsonObject row, bool wall, Measured timing)
    {
        if (!wall)
        {
            row["thread_cpu_seconds"] = Values(timing, s => s.ThreadCpuSeconds);
        }
        row["wall_seconds"] = Values(timing, s => s.Seconds);
    }

    private static JsonArray OrleansJson(IReadOnlyList<OrleansScalingRow> rows) =>
        [.. rows.Select(o => (JsonNode)new JsonObject
        {
            ["scenario"] = o.Name,
            ["companies"] = o.Companies,
            ["ticks"] = o.Ticks,
            ["reference_wall_us_per_tick"] = o.ReferenceMicrosecondsPerTick,
            ["orleans_wall_us_per_tick"] = o.OrleansMicrosecondsPerTick,
            ["ratio"] = o.Ratio,
            ["cpu_ratio"] = Finite(o.CpuRatio),
            ["company_fan_outs_per_tick"] = o.FanOutsPerTick,
            ["company_calls_per_tick"] = o.CallsPerTick,
            ["extra_wall_us_per_call"] = o.OverheadMicrosecondsPerCall,
            ["extra_cpu_us_per_call"] = Finite(o.OverheadCpuMicrosecondsPerCall),
            ["reference_allocated_bytes_per_tick"] = o.ReferenceBytesPerTick,
            ["orleans_allocated_bytes_per_tick"] = o.OrleansBytesPerTick,
        })];

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static string Verdict(bool met) => met ? "met" : "MISSED";

    private static JsonArray Values(Measured measured, Func<Sample, double> value) =>
        [.. measured.Samples.Select(s => double.IsFinite(value(s)) ? (JsonNode?)value(s) : null)];
}
