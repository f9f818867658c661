using System.Diagnostics;
using Orleans.Core.Internal;
using Simulation.Contracts;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Cli.Engines;

/// <summary>
/// A run's scheduler grain (<see cref="IRunGrain"/>) as a <see cref="ITicker"/> for <see cref="Replicates.PlayAsync(ITicker, Action{TickReport}, int, IProgress{ValueTuple{int, int}}?, CancellationToken)"/>.
/// It asks for the reports from the first tick it has not received, so a call that failed (a grain or a silo lost
/// mid-slice) is asked again and the run resumes from its stored checkpoint without losing or repeating a report.
/// </summary>
/// <remarks>
/// On a cluster (given its <see cref="SiloPool"/>) a call can also be lost without a word: a client's call goes
/// through a gateway, and when that gateway or the silo holding the scheduler dies, no answer and no error ever
/// come (the client's response time-out is half an hour). So when the silo the scheduler last answered from leaves
/// the cluster, a call still out is asked again at once; when another silo leaves, the call is given twice the
/// longest call so far plus 2 s, then asked again. The scheduler, reactivated on another silo if it was lost,
/// resumes from its checkpoints in storage.
/// </remarks>
public sealed class OrleansTicker : ITicker
{
    /// <summary>Calls of a slice that failed with a cluster error (not a refusal) are tried this many times in all...</summary>
    public const int Attempts = 12;

    /// <summary>... and for at most this long after the first failure (a silo's eviction takes a few seconds on a loaded machine).</summary>
    public static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(60);

    /// <summary>How long a call may take when a silo was lost before any call had ended.</summary>
    private static readonly TimeSpan FirstGrace = TimeSpan.FromSeconds(30);

    private readonly IRunGrain _run;
    private readonly SiloPool? _silos;
    private readonly TextWriter? _log;
    private readonly CancellationToken _ct;
    private TimeSpan _longestCall;
    /// <summary>The silo the scheduler last answered from.</summary>
    private SiloAddress? _scheduler;
    /// <summary>The pool's count of lost silos when a call last began to be watched: a loss after it is one the next call must heed.</summary>
    private int _lossesSeen;

    private OrleansTicker(IRunGrain run, int tickCount, SiloPool? silos, TextWriter? log, CancellationToken ct)
    {
        _run = run;
        TickCount = tickCount;
        _silos = silos;
        _log = log;
        _ct = ct;
        _lossesSeen = silos?.Lost ?? 0;
    }

    public int NextTick { get; private set; }

    public int TickCount { get; private set; }

    /// <summary>What the scheduler asked of the company grains for the ticks received so far (counted by the scheduler).</summary>
    public RunCalls Calls { get; private set; }

    /// <summary>Slices asked again after a cluster error or a call lost with a silo.</summary>
    public int Retries { get; private set; }

    /// <summary>Starts the run of <paramref name="runId"/> on its scheduler grain.</summary>
    /// <param name="silos">On a cluster, its silos: a call out when one of them is lost is asked again (see the remarks).</param>
    /// <param name="log">Where a call asked again is said (stderr).</param>
    /// <param name="ct">Gives up the wait for this call and every later slice (Ctrl+C): an <see cref="OperationCanceledException"/>.</param>
    public static async Task<OrleansTicker> StartAsync(IGrainFactory grains, string runId, ScenarioInfo scenario, ulong seed, SiloPool? silos = null, TextWriter? log = null, CancellationToken ct = default)
    {
        var run = grains.GetGrain<IRunGrain>(GrainKeys.Run(runId));
        var ticker = new OrleansTicker(run, scenario.CreateCalendar().Count, silos, log, ct);
        // Start is idempotent (same scenario and seed): asked again like a slice.
        await ticker.CallAsync(async () =>
        {
            await run.Start(scenario, seed);
            return true;
        }, "the run's start");
        return ticker;
    }

    /// <summary>Deactivates a finished run's scheduler and company grains and clears its stored scenario.</summary>
    public static async Task DeactivateAsync(IGrainFactory grains, ScenarioInfo scenario, string runId)
    {
        var all = new List<IAddressable>(scenario.Companies.Length + 1) { grains.GetGrain<IRunGrain>(GrainKeys.Run(runId)) };
        foreach (var company in scenario.Companies)
        {
            all.Add(grains.GetGrain<ICompanyGrain>(GrainKeys.Company(runId, company.Id)));
        }
        await Task.WhenAll(all.Select(g => g.AsReference<IGrainManagementExtension>().DeactivateOnIdle().AsTask()));
        await grains.GetGrain<IScenarioGrain>(GrainKeys.Scenario(runId)).Clear();
    }

    /// <summary>
    /// <see cref="DeactivateAsync"/> for a run played on a cluster: tidying only (the run's files do not depend on it, and
    /// grains left idle are collected by their silos anyway), so a silo lost meanwhile or a slow answer (10 s) is said on
    /// <paramref name="log"/> and never fails the run.
    /// </summary>
    public static async Task TidyAsync(IGrainFactory grains, ScenarioInfo scenario, string runId, string what, TextWriter? log, CancellationToken ct = default)
    {
        try
        {
            await DeactivateAsync(grains, scenario, runId).WaitAsync(TimeSpan.FromSeconds(10), ct);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            log?.WriteLine($"sim: {what} grains could not all be deactivated ({e.GetType().Name}); their silos collect them when idle");
        }
    }

    public async ValueTask<IReadOnlyList<TickReport>> AdvanceAsync(int ticks)
    {
        var from = NextTick;
        var step = await CallAsync(() => _run.Advance(from, ticks), $"the run's slice from tick {from}");
        NextTick += step.Reports.Length;
        _scheduler = step.Silo;
        TickCount = step.TickCount;
        Calls = new RunCalls
        {
            Ticks = Calls.Ticks + step.Calls.Ticks,
            FanOuts = Calls.FanOuts + step.Calls.FanOuts,
            CompanyCalls = Calls.CompanyCalls + step.Calls.CompanyCalls,
        };
        return step.Reports;
    }

    /// <summary>Makes a call, and makes it again after a cluster error or when it was lost with a silo.</summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call, string what)
    {
        Stopwatch? failing = null;
        var retried = false;
        for (var attempt = 1; ; attempt++)
        {
            _ct.ThrowIfCancellationRequested();
            try
            {
                return await WatchAsync(call(), retried);
            }
            catch (Exception e) when (IsClusterError(e) && !_ct.IsCancellationRequested && attempt < Attempts && (failing ??= Stopwatch.StartNew()).Elapsed < RetryFor)
            {
                Retries++;
                retried = true;
                _log?.WriteLine($"sim: {what} failed ({Reason(e)}); asked again (try {attempt + 1})");
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 250 * attempt)), _ct);
            }
        }
    }

    /// <summary>
    /// Waits for <paramref name="call"/>; on a cluster, gives it up (a <see cref="CallLostException"/>) when the silo its
    /// scheduler last answered from was lost, or when another silo was lost (it may have been the call's gateway) and the
    /// call does not end soon after. A silo lost since the last call was watched (during the pause before a retry) counts
    /// as lost while this call is out; and a call made again after a failure (<paramref name="retried"/>: its silo may be
    /// gone, or going, unknown to the client yet) is given the same grace from its start, so a retry that never answers
    /// is asked again rather than waiting out the client's half-hour response time-out. <see cref="_ct"/> ends any wait.
    /// </summary>
    private async Task<T> WatchAsync<T>(Task<T> call, bool retried)
    {
        if (_silos is null)
        {
            return await call.WaitAsync(_ct);
        }
        var clock = Stopwatch.StartNew();
        var loss = _silos.NextLoss;
        // A loss after NextLoss was read completes it; one before is counted in Lost (both change under the pool's lock).
        var missed = _silos.Lost != _lossesSeen;
        var lost = missed || retried;
        _lossesSeen = _silos.Lost;
        var after = missed || !retried ? "a silo left the cluster" : "it was asked again";
        while (lost || await Task.WhenAny(call, loss).WaitAsync(_ct) != call)
        {
            if (!lost)
            {
                loss = _silos.NextLoss;
                _lossesSeen = _silos.Lost;
                after = "a silo left the cluster";
            }
            lost = false;
            if (_scheduler is { } scheduler && !_silos.IsActive(scheduler))
            {
                // The scheduler's silo is gone: nothing will answer.
                Abandon(call);
                _scheduler = null;
                throw new CallLostException($"the run's scheduler was on {scheduler}, which left the cluster");
            }
            var grace = _longestCall == TimeSpan.Zero ? FirstGrace : 2 * _longestCall + TimeSpan.FromSeconds(2);
            if (await Task.WhenAny(call, loss, Task.Delay(grace, _ct)).WaitAsync(_ct) != call && !loss.IsCompleted)
            {
                _ct.ThrowIfCancellationRequested();
                // Its answer will never come: observe the abandoned call's fault, if any, and ask again.
                Abandon(call);
                throw new CallLostException($"no answer {grace.TotalSeconds:0.0} s after {after}");
            }
        }
        var result = await call;
        if (clock.Elapsed > _longestCall)
        {
            _longestCall = clock.Elapsed;
        }
        return result;
    }

    /// <summary>Observes a given-up call's fault, if it ever has one.</summary>
    private static void Abandon(Task call) =>
        _ = call.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);

    private static bool IsClusterError(Exception e) => e is OrleansException or TimeoutException or CallLostException;

    private static string Reason(Exception e) => e is CallLostException ? e.Message : $"{e.GetType().Name}: {e.Message.Split('\n')[0].TrimEnd('.')}";

    /// <summary>A call whose answer was lost with a silo (or its gateway).</summary>
    private sealed class CallLostException(string message) : Exception(message);
}
