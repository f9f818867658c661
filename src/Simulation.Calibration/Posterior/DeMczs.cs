using Simulation.Model.Randomness;

namespace Simulation.Calibration.Posterior;

/// <summary>
/// Differential-evolution Markov chains with sampling from the past and snooker updates, DE-MCzs (ter Braak and Vrugt
/// 2008, Statistics and Computing 18:435-446), on a density over [0, 1]^d. A proposal is the chain's state plus the difference of two past states of all chains
/// (the archive Z) on a random subset of the coordinates (DREAM's crossover, Vrugt et al. 2009), scaled by
/// 2.38/sqrt(2d') for the d' that move, or by 1 one time in ten, to jump between modes, and reflected at the bounds; one
/// proposal in ten is a snooker update along the line to a past state (rejected outside the bounds). The differences are the posterior's own, so the proposals follow its ridges and
/// scales without tuning, and a Metropolis step keeps the posterior the chains' stationary law. The archive grows by every
/// chain's state each tenth generation and drops its older half at the end of the warm-up. Each chain runs on its own thread
/// with its own seeded random stream and reads the archive as it stood two blocks of generations before (<see cref="LaggedArchive"/>),
/// so no chain waits for another's every step, the cores stay busy, and the draws are the same on any number of cores.
/// </summary>
public sealed class DeMczs
{
    /// <summary>Generations between two additions of the chains' states to the archive (K in ter Braak and Vrugt).</summary>
    private const int ArchiveEvery = 10;
    private const double SnookerShare = 0.1;
    private const double ModeJumpShare = 0.1;
    /// <summary>The crossover probabilities 1/n, 2/n, ..., 1 a difference proposal chooses among.</summary>
    private const int Crossovers = 3;
    /// <summary>The sd of the small normal jitter added to a difference proposal (b in ter Braak and Vrugt), in unit coordinates.</summary>
    private const double JitterSd = 1e-4;

    private readonly Func<double[], CancellationToken, double> _logDensity;
    private readonly ulong _seed;
    private readonly PosteriorOptions _options;

    /// <param name="logDensity">ln of the target density up to a constant, minus infinity where it is zero; called in parallel.</param>
    public DeMczs(Func<double[], CancellationToken, double> logDensity, ulong seed, PosteriorOptions options)
    {
        _logDensity = logDensity;
        _seed = seed;
        _options = options;
    }

    /// <summary>
    /// Runs the warm-up and keeps <see cref="PosteriorOptions.Draws"/> states per chain, one every
    /// <see cref="PosteriorOptions.Thin"/> generations.
    /// </summary>
    /// <param name="archive">The initial archive (at least three points).</param>
    /// <param name="starts">Each chain's first state, and its log density in <paramref name="densities"/>.</param>
    /// <param name="progress">Proposals made so far, after each generation.</param>
    /// <returns>The kept states per chain, and each chain's share of accepted proposals after the warm-up.</returns>
    public (IReadOnlyList<double[]>[] Draws, double[] Acceptance) Run(
        IEnumerable<double[]> archive, IReadOnlyList<double[]> starts, IReadOnlyList<double> densities, Action<int>? progress = null, CancellationToken ct = default)
    {
        var chains = starts.Count;
        var initial = archive.Select(x => (double[])x.Clone()).ToArray();
        if (initial.Length < 3)
        {
            throw new ArgumentException("DE-MCzs needs an archive of at least three points", nameof(archive));
        }
        var generations = _options.Warmup + _options.Draws * _options.Thin;
        var z = new LaggedArchive(initial, chains, generations, _options.Warmup);
        var accepted = new int[chains];
        var kept = new List<double[]>[chains];
        var steps = 0;
        var lastSaid = 0;
        var gate = new object();
        // Each chain runs on its own thread, never waiting for another's step: it waits only, at an archive block,
        // for the block it is about to read (the one before last) to be complete.
        var threads = Enumerable.Range(0, chains).Select(c => Task.Factory.StartNew(() =>
        {
            var rng = RandomStreams.For(_seed, "posterior", c, "steps");
            var x = (double[])starts[c].Clone();
            var density = densities[c];
            var mine = new List<double[]>(_options.Draws);
            for (var g = 0; g < generations; g++)
            {
                var past = z.For(g, ct);
                if (Step(past, ref x, ref density, rng, ct) && g >= _options.Warmup)
                {
                    accepted[c]++;
                }
                if (g % ArchiveEvery == ArchiveEvery - 1)
                {
                    z.Deposit(g / ArchiveEvery, c, x);
                }
                if (g >= _options.Warmup && (g - _options.Warmup) % _options.Thin == _options.Thin - 1)
                {
                    mine.Add(x);
                }
                var done = Interlocked.Increment(ref steps);
                if (progress is not null && done - Volatile.Read(ref lastSaid) >= chains * ArchiveEvery)
                {
                    lock (gate)
                    {
                        if (done - lastSaid >= chains * ArchiveEvery)
                        {
                            lastSaid = done;
                            progress(done);
                        }
                    }
                }
            }
            kept[c] = mine;
        }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try
        {
            Task.WaitAll(threads, CancellationToken.None);
        }
        catch (AggregateException e) when (e.InnerExceptions.Any(x => x is OperationCanceledException))
        {
            throw new OperationCanceledException(ct);
        }
        progress?.Invoke(chains * generations);
        var afterWarmup = (double)(generations - _options.Warmup);
        return ([.. kept.Select(k => (IReadOnlyList<double[]>)k)], [.. accepted.Select(a => a / afterWarmup)]);
    }

    /// <summary>
    /// The archive Z as every chain reads it: the initial points, then blocks of the chains' states (one block every
    /// <see cref="ArchiveEvery"/> generations, every chain's state in chain order). Generation g reads the blocks before the one
    /// before its own, so a chain may run up to two blocks ahead of the slowest and what it reads never depends on timing;
    /// from the end of the warm-up on, the older half of the archive the warm-up ended with is left out.
    /// </summary>
    private sealed class LaggedArchive(double[][] initial, int chains, int generations, int warmup)
    {
        private readonly double[][][] _blocks = new double[generations / ArchiveEvery + 1][][];
        private readonly int[] _filled = new int[generations / ArchiveEvery + 1];
        private readonly Dictionary<(int Blocks, bool AfterWarmup), double[][]> _snapshots = [];
        private readonly object _gate = new();

        /// <summary>Blocks generation <paramref name="g"/> reads: those completed two blocks before its own.</summary>
        private static int BlocksRead(int g) => Math.Max(0, g / ArchiveEvery - 1);

        public void Deposit(int block, int chain, double[] state)
        {
            lock (_gate)
            {
                (_blocks[block] ??= new double[chains][])[chain] = (double[])state.Clone();
                _filled[block]++;
                Monitor.PulseAll(_gate);
            }
        }

        /// <summary>The archive generation <paramref name="g"/> reads, waiting until the blocks it needs are complete.</summary>
        public double[][] For(int g, CancellationToken ct)
        {
            var blocks = BlocksRead(g);
            var afterWarmup = g >= warmup;
            lock (_gate)
            {
                if (_snapshots.TryGetValue((blocks, afterWarmup), out var snapshot))
                {
                    return snapshot;
                }
                while (blocks > 0 && _filled[blocks - 1] < chains)
                {
                    ct.ThrowIfCancellationRequested();
                    Monitor.Wait(_gate, 100);
                }
                IEnumerable<double[]> all = [.. initial, .. _blocks.Take(blocks).SelectMany(b => b)];
                if (afterWarmup)
                {
                    all = all.Skip((initial.Length + BlocksRead(warmup - 1) * chains) / 2);
                }
                snapshot = [.. all];
                _snapshots[(blocks, afterWarmup)] = snapshot;
                // Older snapshots are never read again once every chain has moved past them; drop them to keep memory flat.
                foreach (var key in _snapshots.Keys.Where(k => k.Blocks < blocks - 2).ToList())
                {
                    _snapshots.Remove(key);
                }
                return snapshot;
            }
        }
    }

    /// <summary>One Metropolis step of a chain at <paramref name="state"/> with a DE-MCzs proposal from the archive <paramref name="z"/>; true if it moved.</summary>
    private bool Step(double[][] z, ref double[] state, ref double density, System.Random rng, CancellationToken ct)
    {
        var x = state;
        var d = x.Length;
        var r1 = rng.Next(z.Length);
        int r2;
        do
        {
            r2 = rng.Next(z.Length);
        }
        while (r2 == r1);
        var proposal = new double[d];
        var logRatio = 0.0;
        if (rng.NextDouble() < SnookerShare)
        {
            // Snooker: along the line from a past state through x, the projected difference of two others, scaled by
            // U(1.2, 2.2); the ratio of distances to the anchor, to the power d - 1, keeps detailed balance.
            var anchor = z[rng.Next(z.Length)];
            var gamma = 1.2 + rng.NextDouble();
            var axis = new double[d];
            var norm = 0.0;
            for (var i = 0; i < d; i++)
            {
                axis[i] = x[i] - anchor[i];
                norm += axis[i] * axis[i];
            }
            if (norm == 0)
            {
                return false;
            }
            var along = 0.0;
            for (var i = 0; i < d; i++)
            {
                along += (z[r1][i] - z[r2][i]) * axis[i];
            }
            var before = Math.Sqrt(norm);
            var after = 0.0;
            for (var i = 0; i < d; i++)
            {
                proposal[i] = x[i] + gamma * along / norm * axis[i];
                after += (proposal[i] - anchor[i]) * (proposal[i] - anchor[i]);
            }
            logRatio = (d - 1) * (0.5 * Math.Log(after) - Math.Log(before));
        }
        else
        {
            // A randomised subspace (DREAM's crossover, Vrugt et al. 2009): each coordinate moves with probability
            // 1/3, 2/3 or 1, at least one does, and the step is scaled for the number that move.
            var crossover = (rng.Next(Crossovers) + 1.0) / Crossovers;
            var moves = new bool[d];
            var moving = 0;
            for (var i = 0; i < d; i++)
            {
                moves[i] = rng.NextDouble() < crossover;
                moving += moves[i] ? 1 : 0;
            }
            if (moving == 0)
            {
                moves[rng.Next(d)] = true;
                moving = 1;
            }
            var gamma = rng.NextDouble() < ModeJumpShare ? 1.0 : 2.38 / Math.Sqrt(2.0 * moving);
            for (var i = 0; i < d; i++)
            {
                proposal[i] = moves[i] ? Reflect(x[i] + gamma * (z[r1][i] - z[r2][i]) + JitterSd * Normal(rng)) : x[i];
            }
        }
        var proposed = _logDensity(proposal, ct);
        if (double.IsFinite(proposed) && Math.Log(1 - rng.NextDouble()) < proposed - density + logRatio)
        {
            (state, density) = (proposal, proposed);
            return true;
        }
        return false;
    }

    /// <summary>
    /// A coordinate reflected at the bounds into [0, 1]. A difference proposal is a symmetric, translation-invariant step,
    /// and so is its reflection in the box, so the Metropolis ratio stays the density ratio; without it a posterior that
    /// piles up against a bound rejects every step across it (with several parameters there, most steps).
    /// </summary>
    internal static double Reflect(double v)
    {
        while (v is < 0 or > 1)
        {
            v = v < 0 ? -v : 2 - v;
        }
        return v;
    }

    /// <summary>A standard normal deviate (Box-Muller) from the chain's stream.</summary>
    internal static double Normal(System.Random rng)
    {
        var u1 = 1 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
