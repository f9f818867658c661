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
public sealed record OrleansScalingRow(string Name, int Companies, int Ticks, Measured Reference, Measured Orleans, RunCalls Calls)
{
    /// <summary>Awaited fan-outs to the company grains per tick, as counted.</summary>
    public double FanOutsPerTick => (double)Calls.FanOuts / Calls.Ticks;

    /// <summary>Grain calls to the companies per tick, as counted: the calls whose cost the engine adds.</summary>
    public double CallsPerTick => (double)Calls.CompanyCalls / Calls.Ticks;

    public double ReferenceMicrosecondsPerTick => Reference.Wall.Median * 1e6 / Ticks;

    public double OrleansMicrosecondsPerTick => Orleans.Wall.Median * 1e6 / Ticks;

    public double Ratio => OrleansMicrosecondsPerTick / ReferenceMicrosecondsPerTick;

    /// <summary>Process CPU time of the Orleans engine over the reference's (thread-pool spinning included).</summary>
    public double CpuRatio => Orleans.Cpu.Median / Reference.Cpu.Median;

    public double OverheadMicrosecondsPerCall => (OrleansMicrosecondsPerTick - ReferenceMicrosecondsPerTick) / CallsPerTick;

    /// <summary>The same in process CPU time (every thread's): what the calls cost the machine, which other processes' load moves less than wall time.</summary>
    public double OverheadCpuMicrosecondsPerCall => (Orleans.Cpu.Median - Reference.Cpu.Median) * 1e6 / Ticks / CallsPerTick;

    public double OverheadMicrosecondsPerCompanyTick => (OrleansMicrosecondsPerTick - ReferenceMicrosecondsPerTick) / Companies;

    /// <summary>Bytes the process allocated per tick (median of the repeats).</summary>
    public double ReferenceBytesPerTick => Reference.MedianAllocatedBytes / Ticks;

    public double OrleansBytesPerTick => Orleans.MedianAllocatedBytes / Ticks;
}

public sealed class CompanyEngineBench(IGrainFactory grains, int repeat, TextWriter log)
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
        var row = new OrleansScalingRow(name, info.Companies.Length, info.CreateCalendar().Count, new Measured(reference), new Measured(orleans), calls);
        await log.WriteLineAsync(
            $"bench: orleans per-company engine, {name}: {row.OrleansMicrosecondsPerTick:0} µs/tick against {row.ReferenceMicrosecondsPerTick:0} (wall), {row.FanOutsPerTick:0.00} fan-outs/tick");
        return row;
    }

    private static Task<Sample> ReferenceAsync(ScenarioInfo info, CancellationToken ct)
    {
        var ticker = new ReferenceTicker(new ReferenceRunner(info, info.Seed));
        return Sample.TakeAsync(() => Replicates.PlayAsync(ticker, _ => { }, ct: ct).AsTask());
    }

    private async Task<(Sample Sample, RunCalls Calls)> OrleansAsync(ScenarioInfo info, CancellationToken ct)
    {
        var runId = $"bench-{Guid.NewGuid():N}";
        var ticker = await OrleansTicker.StartAsync(grains, runId, info, info.Seed);
        var sample = await Sample.TakeAsync(() => Replicates.PlayAsync(ticker, _ => { }, ct: ct).AsTask());
        await OrleansTicker.DeactivateAsync(grains, info, runId);
        return (sample, ticker.Calls);
    }
}
