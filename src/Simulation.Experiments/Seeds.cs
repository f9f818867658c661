using Simulation.Model.Randomness;

namespace Simulation.Experiments;

/// <summary>
/// The one seed rule of every experiment (<c>run --runs</c>, <c>compare</c>, <c>sweep</c>, <c>sensitivity</c>,
/// <c>calibrate</c>, <c>bench</c>): replicate 0 plays the base seed itself (so it is the run <c>sim run</c>
/// without <c>--runs</c> plays); replicate i &gt; 0 plays <see cref="RandomStreams.DeriveSeed"/>(base seed, i).
/// </summary>
public static class Seeds
{
    /// <summary>The rule in words, as summary.json states it.</summary>
    public const string Rule = "replicate 0 plays the base seed; replicate i from 1 on plays RandomStreams.DeriveSeed(base seed, i) (FNV-1a of both into SplitMix64)";

    public static ulong For(ulong baseSeed, int replicate) => replicate == 0 ? baseSeed : RandomStreams.DeriveSeed(baseSeed, replicate);

    /// <summary>The seeds of replicates 0 .. <paramref name="count"/> - 1.</summary>
    public static IReadOnlyList<ulong> First(ulong baseSeed, int count) => [.. Enumerable.Range(0, count).Select(i => For(baseSeed, i))];
}
