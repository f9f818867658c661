using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Metrics;
using Simulation.Model.Phases;
using Simulation.Model.Rules;

namespace Simulation.Experiments;

/// <summary>
/// Something that plays a run's ticks in slices: the reference runner in process (<see cref="ReferenceTicker"/>),
/// or a run's scheduler grain (the Orleans ticker lives with the grains' host).
/// </summary>
public interface ITicker
{
    int NextTick { get; }

    int TickCount { get; }

    /// <summary>Plays up to <paramref name="ticks"/> ticks (fewer at the end) and returns their reports in tick order.</summary>
    ValueTask<IReadOnlyList<TickReport>> AdvanceAsync(int ticks);
}

/// <summary>The plain loop's runner as a <see cref="ITicker"/>: completes synchronously.</summary>
public sealed class ReferenceTicker(ReferenceRunner runner) : ITicker
{
    public ReferenceTicker(ScenarioInfo scenario, ulong seed) : this(new ReferenceRunner(scenario, seed))
    {
    }

    public int NextTick => runner.NextTick;

    public int TickCount => runner.TickCount;

    public ValueTask<IReadOnlyList<TickReport>> AdvanceAsync(int ticks) => ValueTask.FromResult(runner.Advance(ticks));
}

/// <summary>A <see cref="SupplyReplay"/> as a <see cref="ITicker"/>: completes synchronously.</summary>
public sealed class ReplayTicker(SupplyReplay replay) : ITicker
{
    public int NextTick => replay.NextTick;

    public int TickCount => replay.TickCount;

    public ValueTask<IReadOnlyList<TickReport>> AdvanceAsync(int ticks) => ValueTask.FromResult(replay.Advance(ticks));
}

/// <summary>
/// THE replicate loop: advance a ticker in slices and hand every tick's report to a collector, up to a stop
/// tick, with cancellation between slices and progress after each. Every run of every experiment and engine
/// goes through <see cref="PlayAsync"/>: a single run, a Monte Carlo replicate (in process, in a replicate
/// grain, or on per-company grains), a sweep or sensitivity point, a calibration evaluation, the benchmarks.
/// </summary>
public static class Replicates
{
    /// <summary>Ticks per slice (about a month of day ticks): a grain call stays short and progress can be shown.</summary>
    public const int TicksPerCall = 31;

    /// <summary>Plays <paramref name="ticker"/> up to <paramref name="stopTick"/> (exclusive; clamped to its end).</summary>
    /// <param name="progress">Ticks played and the ticks to play, after each slice.</param>
    public static async ValueTask PlayAsync(
        ITicker ticker, Action<TickReport> collect, int stopTick = int.MaxValue, IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        var stop = Math.Min(stopTick, ticker.TickCount);
        while (ticker.NextTick < stop)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var report in await ticker.AdvanceAsync(Math.Min(TicksPerCall, stop - ticker.NextTick)))
            {
                collect(report);
            }
            progress?.Report((ticker.NextTick, stop));
        }
    }

    /// <summary>A replicate's monthly rows and end state, collected from <paramref name="ticker"/> (monthly rows only).</summary>
    public static Task<ReplicateResult> PlayAsync(ITicker ticker, ScenarioInfo scenario, ulong seed, int index, int stopTick = int.MaxValue) =>
        PlayAsync(ticker, new ScenarioContext(scenario, seed), index, stopTick);

    private static async Task<ReplicateResult> PlayAsync(ITicker ticker, ScenarioContext context, int index, int stopTick)
    {
        var collector = new DataCollector(context, tickRows: false);
        await PlayAsync(ticker, collector.Collect, stopTick);
        return ReplicateResult.From(index, context.Seed, collector);
    }

    /// <summary>Plays a replicate in process with the reference runner, on the calling thread.</summary>
    public static ReplicateResult Play(ScenarioInfo scenario, ulong seed, int index, int stopTick = int.MaxValue)
    {
        // The runner and the collector share one prepared scenario.
        var context = new ScenarioContext(scenario, seed);
        return PlayAsync(new ReferenceTicker(new ReferenceRunner(context)), context, index, stopTick).GetAwaiter().GetResult();
    }

    /// <summary>The first tick after <paramref name="lastMonth"/> (or the tick count when the scenario ends within it): where a replicate that needs no later month stops.</summary>
    public static int StopAfter(ScenarioInfo scenario, DateOnly lastMonth)
    {
        var calendar = scenario.CreateCalendar();
        var next = new DateOnly(lastMonth.Year, lastMonth.Month, 1).AddMonths(1);
        if (next > scenario.End)
        {
            return calendar.Count;
        }
        // A week tick can straddle the month's end: the month's last tick is the one that contains its last day.
        var containing = calendar.IndexOf(next);
        return calendar[containing].Start < next ? containing + 1 : containing;
    }

    /// <summary>
    /// Plays in process up to <paramref name="stopTick"/> and returns the collector (monthly rows, events, end
    /// state): what target checks need beyond a <see cref="ReplicateResult"/>.
    /// </summary>
    public static DataCollector Collect(ScenarioInfo scenario, ulong seed, int stopTick = int.MaxValue) =>
        Collect(new ScenarioContext(scenario, seed), stopTick);

    /// <summary>As <see cref="Collect(ScenarioInfo, ulong, int)"/> on a prepared scenario, adding the run's supply side to <paramref name="recording"/> if given.</summary>
    public static DataCollector Collect(ScenarioContext context, int stopTick, SupplyRecord? recording = null)
    {
        var collector = new DataCollector(context, tickRows: false);
        PlayAsync(new ReferenceTicker(new ReferenceRunner(context) { Recording = recording }), collector.Collect, stopTick).AsTask().GetAwaiter().GetResult();
        return collector;
    }

    /// <summary>
    /// What <see cref="Collect(ScenarioContext, int, SupplyRecord?)"/> gives, played with the supply side of <paramref name="record"/>
    /// (made with the same scenario but for demand-side numbers, the same seed and at least as many ticks:
    /// <see cref="SupplyReplay"/>, taking the outcomes of the markets <paramref name="recordedMarkets"/> marks from the record);
    /// null where cash binds and the run must be played whole.
    /// </summary>
    public static DataCollector? Replay(ScenarioContext context, int stopTick, SupplyRecord record, IReadOnlyList<bool>? recordedMarkets = null)
    {
        if (record.Count < Math.Min(stopTick, context.Calendar.Count))
        {
            return null;
        }
        var collector = new DataCollector(context, tickRows: false);
        try
        {
            PlayAsync(new ReplayTicker(new SupplyReplay(context, record, recordedMarkets)), collector.Collect, stopTick).AsTask().GetAwaiter().GetResult();
            return collector;
        }
        catch (SupplyReplayDiverged)
        {
            return null;
        }
    }
}
