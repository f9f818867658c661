using Simulation.Model.Randomness;

namespace Simulation.Tests.Model;

public sealed class RandomStreamTests
{
    private static double[] Draw(StreamRandom rng) => [.. Enumerable.Range(0, 8).Select(_ => rng.NextDouble())];

    [Fact]
    public void The_same_key_always_gives_the_same_stream()
    {
        Assert.Equal(Draw(RandomStreams.For(42, "bytedance", 7, "offers")), Draw(RandomStreams.For(42, "bytedance", 7, "offers")));
    }

    [Theory]
    [InlineData(43UL, "bytedance", 7, "offers")]
    [InlineData(42UL, "alibaba", 7, "offers")]
    [InlineData(42UL, "bytedance", 8, "offers")]
    [InlineData(42UL, "bytedance", 7, "choice")]
    public void Changing_any_part_of_the_key_gives_another_stream(ulong seed, string entity, int tick, string purpose)
    {
        Assert.NotEqual(Draw(RandomStreams.For(42, "bytedance", 7, "offers")), Draw(RandomStreams.For(seed, entity, tick, purpose)));
    }

    [Fact]
    public void Draws_are_uniform_in_the_unit_interval()
    {
        var rng = RandomStreams.For(1, "x", 0, "uniform");
        var draws = Enumerable.Range(0, 100_000).Select(_ => rng.NextDouble()).ToArray();

        Assert.All(draws, d => Assert.InRange(d, 0, 1 - double.Epsilon));
        Assert.Equal(0.5, draws.Average(), 0.01);
        Assert.Equal(1.0 / 12, MathNet.Numerics.Statistics.Statistics.Variance(draws), 0.002);
    }

    [Fact]
    public void Replicate_seeds_differ_from_each_other_and_from_the_base()
    {
        var seeds = Enumerable.Range(0, 1000).Select(i => RandomStreams.DeriveSeed(99, i)).ToHashSet();

        Assert.Equal(1000, seeds.Count);
        Assert.DoesNotContain(99UL, seeds);
    }
}
