using Orleans.Runtime.Messaging;
using Orleans.Runtime.Placement;
using Simulation.Cli.Hosting;
using Simulation.Contracts;

namespace Simulation.Cli.Engines;

/// <summary>
/// The silos of a cluster as a client sees them, for spreading a batch: the active silos (polled from the
/// management grain every <see cref="PollEvery"/>), each with its core count and the calls this client has in
/// flight on it. <see cref="Lease"/> picks the silo with the fewest calls per core; a lease's token is cancelled
/// when its silo leaves the active set (killed, stopped, declared dead), so a call on it can give up at once and
/// run again elsewhere. A client learns of a killed silo only this way: a call in flight on it would otherwise
/// wait for the response time-out.
/// </summary>
public sealed class SiloPool : IAsyncDisposable
{
    public static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a batch waits for a silo when none is active before it fails.</summary>
    public static readonly TimeSpan NoSiloTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    private readonly IGrainFactory _grains;
    private readonly TextWriter? _log;
    private readonly object _gate = new();
    private readonly Dictionary<SiloAddress, Slot> _slots = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TimeSpan _longestCall;
    private Task? _polling;

    private SiloPool(IGrainFactory grains, TextWriter? log)
    {
        _grains = grains;
        _log = log;
    }

    /// <summary>Reads the active silos once and starts following them.</summary>
    /// <exception cref="ClusterException">No silo is active.</exception>
    public static async Task<SiloPool> StartAsync(IGrainFactory grains, TextWriter? log, CancellationToken ct = default)
    {
        var pool = new SiloPool(grains, log);
        await pool.RefreshAsync(ct);
        if (pool.Count == 0)
        {
            throw new ClusterException("the cluster has no active silo");
        }
        pool._polling = pool.PollAsync();
        return pool;
    }

    /// <summary>Active silos.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>Cores over the active silos: a batch's default number of replicates in flight.</summary>
    public int Cores
    {
        get
        {
            lock (_gate)
            {
                return _slots.Values.Sum(s => s.Cores);
            }
        }
    }

    /// <summary>Whether <paramref name="silo"/> is in the active set (as last polled).</summary>
    public bool IsActive(SiloAddress silo)
    {
        lock (_gate)
        {
            return _slots.ContainsKey(silo);
        }
    }

    /// <summary>Silos that left the active set since the pool started.</summary>
    public int Lost { get; private set; }

    /// <summary>Completes when the next silo is lost (any silo: a call may have gone through its gateway).</summary>
    public Task NextLoss
    {
        get
        {
            lock (_gate)
            {
                return _lost.Task;
            }
        }
    }

    /// <summary>
    /// How long a call in flight when another silo was lost may still take before it is given up: twice the longest
    /// call so far and 2 s (30 s before any call has ended). A client's call goes through a gateway, which need not be
    /// the silo that plays it; when that gateway dies, the call's answer is lost and nothing says so.
    /// </summary>
    public TimeSpan Grace
    {
        get
        {
            lock (_gate)
            {
                return _longestCall == TimeSpan.Zero ? TimeSpan.FromSeconds(30) : 2 * _longestCall + TimeSpan.FromSeconds(2);
            }
        }
    }

    /// <summary>Notes how long a call took (for <see cref="Grace"/>).</summary>
    public void Took(TimeSpan call)
    {
        lock (_gate)
        {
            if (call > _longestCall)
            {
                _longestCall = call;
            }
        }
    }

    /// <summary>How long a silo whose call failed (<see cref="Suspect"/>) gets no new calls while another silo can take them.</summary>
    public static readonly TimeSpan SuspectFor = TimeSpan.FromSeconds(2);

    /// <summary>Tries of one call before it fails: each lost try means a silo was lost under it.</summary>
    public const int MaxAttempts = 8;

    /// <summary>What a call plays, for the line that says a lost silo's calls run again (replicate(s), evaluation(s)).</summary>
    public string Unit { get; set; } = "replicate(s)";

    /// <summary>
    /// Makes a call on the least loaded silo (<see cref="LeaseAsync"/>, named to Orleans by a placement hint) and, when that
    /// silo is lost under it, makes it again on another (try <c>attempt</c> from 0; at most <see cref="MaxAttempts"/>): the
    /// call must be a pure function of its arguments, so a retry gives what the lost try would have. The call gets a token
    /// that is cancelled when it is given up: its silo left the cluster, or another silo (perhaps its gateway) was lost and
    /// it took longer than <see cref="Grace"/> after that, or <paramref name="ct"/> was cancelled (then this throws).
    /// A call that failed with a connection or rejection error is retried too, and its silo is suspected
    /// (<see cref="Suspect"/>). Any other failure is the call's own and is thrown.
    /// </summary>
    /// <exception cref="ClusterException">No silo came back in time.</exception>
    public async Task<T> CallAsync<T>(Func<SiloAddress, int, CancellationToken, Task<T>> call, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            using var lease = await LeaseAsync();
            using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(lease.Gone, ct);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var loss = NextLoss;
            RequestContext.Set(IPlacementDirector.PlacementHintKey, lease.Silo);
            Task<T> task;
            try
            {
                task = call(lease.Silo, attempt, giveUp.Token);
            }
            finally
            {
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }
            try
            {
                // Another silo lost while this call is out: it may have been the call's gateway. Wait a grace, then try again.
                while (await Task.WhenAny(task, loss) != task)
                {
                    loss = NextLoss;
                    if (await Task.WhenAny(task, Task.Delay(Grace, ct)) != task)
                    {
                        giveUp.Cancel();
                    }
                }
                var result = await task;
                Took(clock.Elapsed);
                return result;
            }
            catch (Exception e) when (!ct.IsCancellationRequested && attempt + 1 < MaxAttempts && IsSiloLoss(e, giveUp.Token))
            {
                if (!lease.Gone.IsCancellationRequested && e is not OperationCanceledException)
                {
                    Suspect(lease.Silo);
                }
            }
        }
    }

    /// <summary>The call was lost with its silo (not a failure of the call itself, which comes back as its own exception).</summary>
    private static bool IsSiloLoss(Exception e, CancellationToken givenUp) => e switch
    {
        OperationCanceledException => givenUp.IsCancellationRequested,
        SiloUnavailableException or ConnectionFailedException or OrleansMessageRejectionException or TimeoutException => true,
        _ => false,
    };

    /// <summary>
    /// Takes the least loaded active silo (calls per core), not a suspect one unless all are, waiting up to
    /// <see cref="NoSiloTimeout"/> while there is none.
    /// </summary>
    /// <exception cref="ClusterException">No silo came back in time.</exception>
    public async Task<SiloLease> LeaseAsync()
    {
        var deadline = DateTime.UtcNow + NoSiloTimeout;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                Slot? best = null;
                var now = DateTime.UtcNow;
                var trusted = _slots.Values.Any(s => s.SuspectUntil <= now);
                foreach (var slot in _slots.Values.Where(s => !trusted || s.SuspectUntil <= now))
                {
                    // Fewest calls per core; ties go to the lower address, so a pick does not depend on hashing.
                    if (best is null || (long)slot.InFlight * best.Cores < (long)best.InFlight * slot.Cores
                        || ((long)slot.InFlight * best.Cores == (long)best.InFlight * slot.Cores && slot.Address.CompareTo(best.Address) < 0))
                    {
                        best = slot;
                    }
                }
                if (best is not null)
                {
                    best.InFlight++;
                    return new SiloLease(this, best);
                }
                changed = _changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new ClusterException($"no silo of the cluster has been active for {NoSiloTimeout.TotalSeconds:0} s");
            }
            await Task.WhenAny(changed, Task.Delay(left < PollEvery ? left : PollEvery));
        }
    }

    /// <summary>
    /// Says a call on a silo failed with a connection or rejection error: it gets no new call for <see cref="SuspectFor"/>
    /// while others can take them (its calls in flight go on: the failure may have been another silo's, the gateway's;
    /// if it is dead, the membership says so within about two seconds and they are given up then).
    /// </summary>
    public void Suspect(SiloAddress silo)
    {
        lock (_gate)
        {
            if (_slots.TryGetValue(silo, out var slot))
            {
                slot.SuspectUntil = DateTime.UtcNow + SuspectFor;
            }
        }
    }

    private void Release(Slot slot)
    {
        lock (_gate)
        {
            slot.InFlight--;
        }
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PollEvery, _stop.Token);
                await RefreshAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // The management grain's silo may be the one that just died: ask again next time.
            }
        }
    }

    private async Task RefreshAsync(CancellationToken ct)
    {
        var hosts = await _grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(CallTimeout, ct);
        var active = hosts.Where(h => h.Value == SiloStatus.Active).Select(h => h.Key).ToHashSet();
        List<SiloAddress> joined;
        List<Slot> left = [];
        lock (_gate)
        {
            foreach (var gone in _slots.Keys.Where(s => !active.Contains(s)).ToList())
            {
                _slots.Remove(gone, out var slot);
                left.Add(slot!);
            }
            joined = [.. active.Where(s => !_slots.ContainsKey(s))];
        }
        foreach (var slot in left)
        {
            Leave(slot, "left the cluster");
        }
        foreach (var silo in joined)
        {
            var cores = await CoresOf(silo, ct);
            lock (_gate)
            {
                if (!_slots.ContainsKey(silo))
                {
                    _slots[silo] = new Slot(silo, cores);
                }
                _changed.TrySetResult();
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private async Task<int> CoresOf(SiloAddress silo, CancellationToken ct)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return Math.Max(1, await _grains.GetGrain<IReplicateGrain>("cores").Cores().WaitAsync(CallTimeout, ct));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Environment.ProcessorCount;
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>Outside the lock (cancelling runs the calls' continuations): a silo's calls give up and run again elsewhere.</summary>
    private void Leave(Slot slot, string why)
    {
        int inFlight;
        TaskCompletionSource lost;
        lock (_gate)
        {
            Lost++;
            inFlight = slot.InFlight;
            lost = _lost;
            _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        if (inFlight > 0)
        {
            _log?.WriteLine($"sim: silo {slot.Address} {why}; its {inFlight} unfinished {Unit} run again on another silo");
        }
        slot.Gone.Cancel();
        lost.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_polling is not null)
        {
            await _polling;
        }
        _stop.Dispose();
    }

    internal sealed class Slot(SiloAddress address, int cores)
    {
        public SiloAddress Address { get; } = address;

        public int Cores { get; } = cores;

        public int InFlight { get; set; }

        public DateTime SuspectUntil { get; set; }

        public CancellationTokenSource Gone { get; } = new();
    }

    /// <summary>A call's hold on a silo: its address, a token cancelled when the silo leaves, released when disposed.</summary>
    public sealed class SiloLease : IDisposable
    {
        private readonly SiloPool _pool;
        private readonly Slot _slot;
        private int _released;

        internal SiloLease(SiloPool pool, Slot slot)
        {
            _pool = pool;
            _slot = slot;
        }

        public SiloAddress Silo => _slot.Address;

        /// <summary>Cancelled when the silo leaves the active set.</summary>
        public CancellationToken Gone => _slot.Gone.Token;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _pool.Release(_slot);
            }
        }
    }
}
