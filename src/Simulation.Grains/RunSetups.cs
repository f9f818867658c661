using Simulation.Contracts;
using Simulation.Model.Phases;
using Simulation.Model.Rules;

namespace Simulation.Grains;

/// <summary>
/// How a run's grains find the scenario they play: one prepared scenario (<see cref="ScenarioContext"/>) per run and per
/// silo, fetched once from the run's <see cref="IScenarioGrain"/> by the first of the run's grains to activate here and
/// shared by all the others, wherever the scenario grain lives (a call from another silo hands each caller its own
/// deserialised copy: fetched per grain, a thousand companies would build a thousand contexts). A context does not change
/// while a run plays, so sharing it across threads is safe. Each grain holds a <see cref="Lease"/>; when the last one of a
/// run is let go (its grains deactivated at the run's end, or collected when idle), the run's context is dropped.
/// </summary>
public static class RunSetups
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, Prepared> Runs = [];
    private static long s_built;
    private static long s_rosters;
    private static long s_changes;

    /// <summary>Scenario contexts this process has built (one per run per silo; what <c>sim silo</c> reports).</summary>
    public static long Built => Interlocked.Read(ref s_built);

    /// <summary>Rosters this process has fetched from the runs' schedulers (one per run per silo per tick; what <c>sim silo</c> reports).</summary>
    public static long RostersFetched => Interlocked.Read(ref s_rosters);

    /// <summary>Of <see cref="RostersFetched"/>, those sent as the changes from the roster of the tick before (what <c>sim silo</c> reports).</summary>
    public static long RosterChangesFetched => Interlocked.Read(ref s_changes);

    /// <summary>Runs whose scenario context this process holds now.</summary>
    public static int Held
    {
        get
        {
            lock (Gate)
            {
                return Runs.Count;
            }
        }
    }

    /// <summary>
    /// The context of the run <paramref name="grainKey"/> belongs to, held until the lease is disposed; null before the run
    /// has stored its setup (then nothing is held).
    /// </summary>
    public static async Task<Lease?> AcquireAsync(IGrainFactory grains, string grainKey)
    {
        var run = GrainKeys.RunOf(grainKey);
        Prepared prepared;
        lock (Gate)
        {
            if (!Runs.TryGetValue(run, out prepared!))
            {
                prepared = new Prepared(run, PrepareAsync(grains, run));
                Runs[run] = prepared;
            }
            prepared.Holders++;
        }
        ScenarioContext? context = null;
        try
        {
            context = await prepared.Context;
        }
        finally
        {
            if (context is null)
            {
                // Not stored yet, or the fetch failed: the next grain to activate asks again.
                Release(prepared);
            }
        }
        return context is null ? null : new Lease(prepared, context);
    }

    public static InvalidOperationException NotStarted(string grainKey) =>
        new($"grain {grainKey} belongs to run {GrainKeys.RunOf(grainKey)}, which has not been started");

    private static async Task<ScenarioContext?> PrepareAsync(IGrainFactory grains, string run)
    {
        if (await grains.GetGrain<IScenarioGrain>(GrainKeys.Scenario(run)).Setup() is not { } setup)
        {
            return null;
        }
        Interlocked.Increment(ref s_built);
        return new ScenarioContext(setup.Scenario, setup.Seed);
    }

    private static void Release(Prepared prepared)
    {
        lock (Gate)
        {
            if (--prepared.Holders == 0 && Runs.TryGetValue(prepared.Run, out var kept) && ReferenceEquals(kept, prepared))
            {
                Runs.Remove(prepared.Run);
            }
        }
    }

    internal sealed class Prepared(string run, Task<ScenarioContext?> context)
    {
        public string Run { get; } = run;

        public Task<ScenarioContext?> Context { get; } = context;

        /// <summary>Grains holding (or waiting for) this context; guarded by <see cref="Gate"/>.</summary>
        public int Holders { get; set; }

        private (int Tick, Task<MarketView> View)? _view;

        /// <summary>
        /// The roster of <paramref name="tick"/> from the run's scheduler, fetched by the first of the run's grains here
        /// to ask and shared with the others (a failed fetch is not kept: the next to ask fetches again). Holding the
        /// roster of the tick before, it is sent only the changes from it. Rosters are deterministic, so one fetched for a
        /// tick is the one a slice played again would share, and changes from it make the same next roster.
        /// </summary>
        public Task<MarketView> View(IGrainFactory grains, int tick, SiloAddress here)
        {
            lock (this)
            {
                if (_view is { } kept && kept.Tick == tick && !kept.View.IsFaulted && !kept.View.IsCanceled)
                {
                    return kept.View;
                }
                var basis = _view is { } before && before.Tick == tick - 1 && before.View.IsCompletedSuccessfully ? before.View.Result : null;
                var fetch = FetchAsync(grains, tick, basis, here);
                _view = (tick, fetch);
                Interlocked.Increment(ref s_rosters);
                return fetch;
            }
        }

        private async Task<MarketView> FetchAsync(IGrainFactory grains, int tick, MarketView? basis, SiloAddress here)
        {
            var changes = await grains.GetGrain<IRunGrain>(GrainKeys.Run(Run)).View(tick, basis?.Tick ?? -1, here);
            if (changes.Since >= 0)
            {
                Interlocked.Increment(ref s_changes);
            }
            return changes.ApplyTo(basis);
        }
    }

    /// <summary>A grain's hold on its run's context: dispose it when the grain deactivates.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly Prepared _prepared;
        private int _released;

        internal Lease(Prepared prepared, ScenarioContext context)
        {
            _prepared = prepared;
            Context = context;
        }

        public ScenarioContext Context { get; }

        /// <summary>The run's roster of <paramref name="tick"/>, fetched from its scheduler once per silo, <paramref name="here"/> (see <see cref="IRunGrain.View"/>).</summary>
        public Task<MarketView> View(IGrainFactory grains, int tick, SiloAddress here) => _prepared.View(grains, tick, here);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Release(_prepared);
            }
        }
    }
}
