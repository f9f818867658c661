namespace Simulation.Model.Randomness;

/// <summary>
/// Derives independent random streams from (seed, entity, tick, purpose), so a draw never depends
/// on the order in which grains or loops happen to run. The same key always gives the same stream.
/// </summary>
public static class RandomStreams
{
    /// <summary>The stream of (seed, entity, tick, purpose) as a <see cref="System.Random"/>, for libraries such as MathNet.</summary>
    public static StreamRandom For(ulong seed, string entity, int tick, string purpose) => new(Key(seed, entity, tick, purpose));

    /// <summary>
    /// The same stream as <see cref="For"/>, as a value: what the rules draw from every tick, without
    /// allocating a <see cref="System.Random"/>. Keep it in a local variable (a copy replays the draws).
    /// </summary>
    public static StreamDraws Draws(ulong seed, string entity, int tick, string purpose) => new(Key(seed, entity, tick, purpose));

    /// <summary>
    /// The stream of (seed, entity, tick, purpose) from <paramref name="entityKey"/> = <see cref="EntityKey"/>(seed, entity):
    /// the same draws as <see cref="Draws(ulong, string, int, string)"/>, for an entity that draws every tick.
    /// </summary>
    public static StreamDraws Draws(ulong entityKey, int tick, string purpose) => new(Key(entityKey, tick, purpose));

    /// <summary>The part of a stream's key that (seed, entity) make, the same every tick.</summary>
    public static ulong EntityKey(ulong seed, string entity) => Fnv1a.Mix(Fnv1a.Mix(Fnv1a.Offset, seed), entity);

    private static ulong Key(ulong seed, string entity, int tick, string purpose) => Key(EntityKey(seed, entity), tick, purpose);

    private static ulong Key(ulong entityKey, int tick, string purpose)
    {
        var h = Fnv1a.Mix(entityKey, (ulong)(uint)tick);
        h = Fnv1a.Mix(h, purpose);
        return h;
    }

    /// <summary>The seed of replicate <paramref name="index"/> derived from a base seed.</summary>
    public static ulong DeriveSeed(ulong baseSeed, int index)
    {
        var h = Fnv1a.Mix(Fnv1a.Mix(Fnv1a.Offset, baseSeed), (ulong)(uint)index);
        return SplitMix64.Next(ref h);
    }

    private static class Fnv1a
    {
        public const ulong Offset = 14695981039346656037UL;
        private const ulong Prime = 1099511628211UL;

        public static ulong Mix(ulong h, ulong value)
        {
            for (var i = 0; i < 8; i++)
            {
                h ^= (value >> (8 * i)) & 0xFF;
                h *= Prime;
            }
            return h;
        }

        public static ulong Mix(ulong h, string value)
        {
            foreach (var c in value)
            {
                h ^= c;
                h *= Prime;
            }
            // Terminator, so ("ab","c") and ("a","bc") differ.
            h ^= 0xFF;
            return h * Prime;
        }
    }
}

internal static class SplitMix64
{
    public static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>xoshiro256** seeded through SplitMix64: the generator behind every stream, as a mutable value.</summary>
public struct StreamDraws
{
    private ulong _s0, _s1, _s2, _s3;

    public StreamDraws(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix64.Next(ref sm);
        _s1 = SplitMix64.Next(ref sm);
        _s2 = SplitMix64.Next(ref sm);
        _s3 = SplitMix64.Next(ref sm);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="p"/> (draws nothing when p is 0 or 1).</summary>
    public bool Chance(double p) => p >= 1 || (p > 0 && NextDouble() < p);

    /// <summary>A standard Gumbel draw (the noise of a logit choice).</summary>
    public double Gumbel() => -Math.Log(-Math.Log(((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53))));

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}

/// <summary>
/// A stream as a <see cref="System.Random"/>, so MathNet's distributions can draw from it; every
/// virtual member is overridden, so no draw reaches the runtime's own (version-dependent) generator.
/// </summary>
public sealed class StreamRandom(ulong seed) : System.Random
{
    private StreamDraws _draws = new(seed);

    public ulong NextUInt64() => _draws.NextUInt64();

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => _draws.NextDouble();

    protected override double Sample() => NextDouble();

    public override int Next() => (int)(NextUInt64() >> 33);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)(NextDouble() * maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return minValue + (int)(NextDouble() * ((long)maxValue - minValue));
    }

    public override long NextInt64() => (long)(NextUInt64() >> 1);

    public override long NextInt64(long maxValue) => NextInt64(0, maxValue);

    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        var range = (ulong)(maxValue - minValue);
        return range == 0 ? minValue : minValue + (long)(NextUInt64() % range);
    }

    public override float NextSingle() => (float)(NextUInt64() >> 40) * (1.0f / (1U << 24));

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)(NextUInt64() >> 56);
        }
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => _draws.Chance(p);

    /// <summary>A standard Gumbel draw (the noise of a logit choice).</summary>
    public double Gumbel() => _draws.Gumbel();
}
