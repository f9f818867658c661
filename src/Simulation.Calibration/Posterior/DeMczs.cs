using Simulation.Model.Randomness;

namespace Simulation.Calibration.Posterior;

/// <summary>
/// Differential-evolution Markov chains with sampling from the past and snooker updates, DE-MCzs (ter Braak and Vrugt
/// 2008, Statistics and Computing 18:435-446), on a density over [0, 1]^d. A proposal is the chain's state plus the difference of two past states of all chains
/// (the archive Z) on a random subset of the coordinates (DREAM's crossover, Vrugt et al. 2009), scaled by
/// 2.38/sqrt(2d') for the d' that move, or by 1 one time in ten, to jump between modes, and reflected at the bounds; one
/// proposal in ten is a snooker update along the line to a past state (rejected outside the bounds). The differences are the posterior's own, so the proposals follow its ridges and
/// scales without tuning, and a Metropolis step keeps the posterior the chains' stationary law. The archive grows by every
/// chain's state each tenth generation and drops its older half at the end of the warm-up. Every chain has its own seeded
/// random stream and a generation's chains read the same archive, so the draws are the same on any number of cores.
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
    private readonly string _stream;

    /// <param name="logDensity">ln of the target density up to a constant, minus infinity where it is zero; called in parallel.</param>
    /// <param name="stream">The name of the chains' random streams (chain c's is stream c of that name under the seed).</param>
    public DeMczs(Func<double[], CancellationToken, double> logDensity, ulong seed, PosteriorOptions options, string stream = "steps")
    {
        _logDensity = logDensity;
        _seed = seed;
        _options = options;
        _stream = stream;
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
        var z = archive.Select(x => (double[])x.Clone()).ToList();
        if (z.Count < 3)
        {
            throw new ArgumentException("DE-MCzs needs an archive of at least three points", nameof(archive));
        }
        var state = starts.Select(x => (double[])x.Clone()).ToArray();
        var density = densities.ToArray();
        var rngs = Enumerable.Range(0, chains).Select(c => RandomStreams.For(_seed, "posterior", c, _stream)).ToArray();
        var accepted = new int[chains];
        var kept = Enumerable.Range(0, chains).Select(_ => new List<double[]>(_options.Draws)).ToArray();
        var generations = _options.Warmup + _options.Draws * _options.Thin;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct };
        // The chains of a generation read one snapshot of the archive, which changes only every ArchiveEvery generations
        // and at the end of the warm-up: until then each chain's steps depend on its own state and stream alone, so the
        // chains play that stretch each on its own (a core busy with one chain does not wait for the others' steps).
        var past = z.ToArray();
        for (var from = 0; from < generations;)
        {
            var to = from;
            while (to < generations - 1 && to % ArchiveEvery != ArchiveEvery - 1 && to != _options.Warmup - 1)
            {
                to++;
            }
            var (first, last) = (from, to);
            Parallel.For(0, chains, parallel, c =>
            {
                for (var g = first; g <= last; g++)
                {
                    var counting = g >= _options.Warmup;
                    if (Step(c, past, state, density, rngs[c], ct) && counting)
                    {
                        accepted[c]++;
                    }
                    if (counting && (g - _options.Warmup) % _options.Thin == _options.Thin - 1)
                    {
                        kept[c].Add(state[c]);
                    }
                }
            });
            progress?.Invoke((last + 1) * chains);
            if (last % ArchiveEvery == ArchiveEvery - 1)
            {
                z.AddRange(state.Select(s => (double[])s.Clone()));
                past = z.ToArray();
            }
            if (last == _options.Warmup - 1)
            {
                z.RemoveRange(0, z.Count / 2);
                past = z.ToArray();
            }
            from = last + 1;
        }
        var afterWarmup = (double)(generations - _options.Warmup);
        return ([.. kept.Select(k => (IReadOnlyList<double[]>)k)], [.. accepted.Select(a => a / afterWarmup)]);
    }

    /// <summary>One Metropolis step of chain <paramref name="c"/> with a DE-MCzs proposal from the archive <paramref name="z"/>; true if it moved.</summary>
    private bool Step(int c, double[][] z, double[][] state, double[] density, System.Random rng, CancellationToken ct)
    {
        var x = state[c];
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
        if (double.IsFinite(proposed) && Math.Log(1 - rng.NextDouble()) < proposed - density[c] + logRatio)
        {
            (state[c], density[c]) = (proposal, proposed);
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
