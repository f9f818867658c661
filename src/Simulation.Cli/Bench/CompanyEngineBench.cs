using Simulation.Cli.Engines;
using Simulation.Contracts;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Engine;

namespace Simulation.Cli.Bench;

/// <summary>
/// The per-company Orleans engine against the reference runner on one scenario: only the ticks are timed (starting
/// the run, which activates the grains, is not), in wall time (the grains run on every core). Fan-outs and calls
/// are the ones the scheduler counted while playing.
/// </summary>
/// <param name="Name">The scenario's name (a synthetic size or a file).</param>
/// <param name="Companies">Companies (one grain each).</param>
/// <param name="Calls">What the scheduler asked of the companies over one run.</param>
/// <param name="OnCluster">
/// Played on a cluster's silos: this process's CPU time is then only the client's, so the CPU figures (<see cref="CpuRatio"/>,
/// <see cref="OverheadCpuMicrosecondsPerCall"/>) are NaN and wall time is the measure.
/// </param>
public sealed record OrleansScalingRow(string Name, int Companies, int Ticks, Measured Reference, Measured Orleans, RunCalls Calls, bool OnCluster = false)
{
    /// <summary>Awaited fan-outs to the company grains per tick, as counted.</summary>
    public double FanOutsPerTick => (double)Calls.FanOuts / Calls.Ticks;

    /// <summary>Grain calls to the companies per tick, as counted: the calls whose cost the engine adds.</summary>
    public double CallsPerTick => (double)Calls.CompanyCalls / Calls.Ticks;

    public double ReferenceMicrosecondsPerTick => Reference.Wall.Median * 1e6 / Ticks;

    public double OrleansMicrosecondsPerTick => Orleans.Wall.Median * 1e6 / Ticks;

    public double Ratio => OrleansMicrosecondsPerTick / ReferenceMicrosecondsPerTick;

    /// <summary>Process CPU time of the Orleans engine over the reference's (thread-pool spinning included).</summary>
    public double CpuRatio => OnCluster ? double.NaN : Orleans.Cpu.Median / Reference.Cpu.Median;

    public double OverheadMicrosecondsPerCall => (OrleansMicrosecondsPerTick - ReferenceMicrosecondsPerTick) / CallsPerTick;

    /// <summary>The same in process CPU time (every thread's): what the calls cost the machine, which other processes' load moves less than wall time.</summary>
    public double OverheadCpuMicrosecondsPerCall => OnCluster ? double.NaN : (Orleans.Cpu.Median - Reference.Cpu.Median) * 1e6 / Ticks / CallsPerTick;

    public double OverheadMicrosecondsPerCompanyTick => (OrleansMicrosecondsPerTick - ReferenceMicrosecondsPerTick) / Companies;

    /// <summary>Bytes the process allocated per tick (median of the repeats).</summary>
    public double ReferenceBytesPerTick => Reference.MedianAllocatedBytes / Ticks;

    public double OrleansBytesPerTick => Orleans.MedianAllocatedBytes / Ticks;
}

/// <summary>
/// Orleans's own cost of a call where the bench ran (<see cref="CompanyEngineBench.FloorAsync"/>): <paramref name="FanOuts"/> fan-outs of
/// <paramref name="Calls"/> empty calls per sample. On a cluster its process CPU time is only the client's, so NaN.
/// </summary>
public sealed record CallFloor(int Calls, int FanOuts, Measured Timing, bool OnCluster = false)
{
    public double MicrosecondsPerCall => Timing.Wall.Median * 1e6 / (Calls * FanOuts);

    public double CpuMicrosecondsPerCall => OnCluster ? double.NaN : Timing.Cpu.Median * 1e6 / (Calls * FanOuts);
}

/// <param name="silos">
/// On a cluster (<c>sim bench --scaling --cluster</c>), its silos: the runs play there as <c>sim run --cluster</c> plays them
/// (<see cref="OrleansEngine"/>: a slice lost with a silo is asked again, the grains are deactivated at the end).
/// </param>
public sealed class CompanyEngineBench(IGrainFactory grains, int repeat, TextWriter log, SiloPool? silos = null)
{
    public async Task<OrleansScalingRow> MeasureAsync(string name, ScenarioInfo info, CancellationToken ct)
    {
        // A warm-up of each, then the repeats in turn (so a change in the machine's load falls on both).
        await ReferenceAsync(info, ct);
        var calls = (await OrleansAsync(info, ct)).Calls;
        var (reference, orleans) = (new List<Sample>(), new List<Sample>());
        for (var r = 1; r <= repeat; r++)
        {
            reference.Add(await ReferenceAsync(info, ct));
            var played = await OrleansAsync(info, ct);
            orleans.Add(played.Sample);
            calls = played.Calls;
        }
        var row = new OrleansScalingRow(name, info.Companies.Length, info.CreateCalendar().Count, new Measured(reference), new Measured(orleans), calls, silos is not null);
        await log.WriteLineAsync(
            $"bench: orleans per-company engine{Where}, {name}: {row.OrleansMicrosecondsPerTick:0} µs/tick against {row.ReferenceMicrosecondsPerTick:0} (wall), {row.FanOutsPerTick:0.00} fan-outs/tick");
        return row;
    }

    /// <summary>
    /// Orleans's own cost of a call here: fan-outs of <paramref name="calls"/> empty calls to as many grains
    /// (<see cref="IPingGrain"/>), awaited together as the scheduler awaits its companies, after a warm-up; each repeat
    /// times <see cref="FloorFanOuts"/> of them. The floor under <see cref="OrleansScalingRow.OverheadMicrosecondsPerCall"/>.
    /// </summary>
    public async Task<CallFloor> FloorAsync(int calls, CancellationToken ct)
    {
        var pings = new IPingGrain[calls];
        for (var i = 0; i < calls; i++)
        {
            pings[i] = grains.GetGrain<IPingGrain>(i);
        }
        var answers = new Task<int>[calls];
        async Task FanOutsAsync(int fanOuts)
        {
            for (var f = 0; f < fanOuts; f++)
            {
                ct.ThrowIfCancellationRequested();
                for (var i = 0; i < calls; i++)
                {
                    answers[i] = pings[i].Ping(f);
                }
                await Task.WhenAll(answers);
            }
        }
        await FanOutsAsync(FloorFanOuts);
        var samples = new List<Sample>(repeat);
        for (var r = 0; r < repeat; r++)
        {
            samples.Add(await Sample.TakeAsync(() => FanOutsAsync(FloorFanOuts)));
        }
        await Task.WhenAll(pings.Select(p => p.Leave()));
        var floor = new CallFloor(calls, FloorFanOuts, new Measured(samples), silos is not null);
        await log.WriteLineAsync($"bench: Orleans's own cost of a call{Where}: {floor.MicrosecondsPerCall:0.0} µs (wall) in fan-outs of {calls}");
        return floor;
    }

    /// <summary>Fan-outs timed per repeat of <see cref="FloorAsync"/>.</summary>
    public const int FloorFanOuts = 50;

    /// <summary>Plays <paramref name="runs"/> runs untimed: fresh silos compile the engine's code as they go (tiered JIT), which one run per size does not cover.</summary>
    public async Task WarmUpAsync(ScenarioInfo info, int runs, CancellationToken ct)
    {
        for (var r = 0; r < runs; r++)
        {
            ct.ThrowIfCancellationRequested();
            await OrleansAsync(info, ct);
        }
    }

    /// <summary>
    /// One run of the engine played up to each of <paramref name="stops"/> in turn (tick indices, ascending), each stretch
    /// timed in wall time; starting the run is not timed.
    /// </summary>
    public async Task<IReadOnlyList<Sample>> StretchesAsync(ScenarioInfo info, IReadOnlyList<int> stops, CancellationToken ct)
    {
        var runId = $"bench-{Guid.NewGuid():N}";
        var ticker = await StartAsync(info, runId, ct);
        var samples = new List<Sample>(stops.Count);
        foreach (var stop in stops)
        {
            ct.ThrowIfCancellationRequested();
            samples.Add(await Sample.TakeAsync(() => Replicates.PlayAsync(ticker, _ => { }, stop, ct: ct).AsTask().WaitAsync(ct)));
        }
        await EndAsync(info, runId, ct);
        return samples;
    }

    private string Where => silos is null ? "" : $" on {silos.Count} silo(s)";

    private static Task<Sample> ReferenceAsync(ScenarioInfo info, CancellationToken ct)
    {
        var ticker = new ReferenceTicker(new ReferenceRunner(info, info.Seed));
        return Sample.TakeAsync(() => Replicates.PlayAsync(ticker, _ => { }, ct: ct).AsTask());
    }

    private async Task<(Sample Sample, RunCalls Calls)> OrleansAsync(ScenarioInfo info, CancellationToken ct)
    {
        var runId = $"bench-{Guid.NewGuid():N}";
        var ticker = await StartAsync(info, runId, ct);
        var sample = await Sample.TakeAsync(() => Replicates.PlayAsync(ticker, _ => { }, ct: ct).AsTask().WaitAsync(ct));
        await EndAsync(info, runId, ct);
        return (sample, ticker.Calls);
    }

    /// <summary>
    /// Starts a run (not timed). Ctrl+C is heeded even while a grain call is out (a call the cluster never answers would
    /// otherwise keep the bench until the client's response time-out).
    /// </summary>
    private Task<OrleansTicker> StartAsync(ScenarioInfo info, string runId, CancellationToken ct) =>
        OrleansTicker.StartAsync(grains, runId, info, info.Seed, silos, silos is null ? null : log, ct).WaitAsync(ct);

    /// <summary>Deactivates the run's grains: on a cluster as a clustered run does (tidying that never fails the bench).</summary>
    private Task EndAsync(ScenarioInfo info, string runId, CancellationToken ct) =>
        silos is null ? OrleansTicker.DeactivateAsync(grains, info, runId) : OrleansTicker.TidyAsync(grains, info, runId, "the bench's run", log, ct);
}
