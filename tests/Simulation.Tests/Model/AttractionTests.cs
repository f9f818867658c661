using Simulation.Model.Config;
using Simulation.Model.Randomness;
using Simulation.Model.Rules;

namespace Simulation.Tests.Model;

public sealed class AttractionTests
{
    private static readonly MarketInfo Market = new()
    {
        Id = "m", Potential = 1, Innovation = 0.1, Imitation = 1,
        QualityWeight = 1.5, MarketingWeight = 2, EcosystemWeight = 1, MarketingHalfSaturationUsd = 1e7,
    };

    private static double[] Shares(double[] attractions, int[]? nests = null, double lambda = 1)
    {
        var n = attractions.Length;
        nests ??= [.. Enumerable.Range(0, n)];
        var shares = new double[n];
        NestedLogit.Shares([.. attractions.Select(a => Math.Log(a))], [.. attractions.Select(a => a > 0)], nests, nests.DefaultIfEmpty(-1).Max() + 1, lambda, shares, new double[n]);
        return shares;
    }

    [Fact]
    public void Choice_shares_sum_to_one_whatever_the_nests()
    {
        var rng = RandomStreams.For(3, "test", 0, "shares");
        for (var trial = 0; trial < 200; trial++)
        {
            var n = 1 + rng.Next(9);
            var attractions = Enumerable.Range(0, n)
                .Select(_ => Attraction.Of(Market, rng.NextDouble() * 2, rng.NextDouble() * 1e8, rng.NextDouble()))
                .ToArray();
            int[] nests = [.. Enumerable.Range(0, n).Select(_ => rng.Next(3))];

            var shares = Shares(attractions, nests, 0.2 + 0.8 * rng.NextDouble());

            Assert.Equal(1.0, shares.Sum(), 12);
            Assert.All(shares, s => Assert.InRange(s, 0, 1));
        }
    }

    [Fact]
    public void Without_nesting_the_choice_is_the_attraction_share()
    {
        var shares = Shares([1, 2, 5], nests: [0, 0, 1], lambda: 1);

        Assert.Equal([0.125, 0.25, 0.625], shares.Select(x => Math.Round(x, 12)));
    }

    [Fact]
    public void An_entrant_takes_more_from_its_own_nest_than_from_the_other_when_nesting_is_below_one()
    {
        // Two platforms and one start-up; a second start-up enters with the same attraction as each.
        var before = Shares([1, 1, 1], nests: [0, 0, 1], lambda: 0.5);
        var after = Shares([1, 1, 1, 1], nests: [0, 0, 1, 1], lambda: 0.5);

        var platformLoss = 1 - after[0] / before[0];
        var rivalLoss = 1 - after[2] / before[2];
        Assert.True(rivalLoss > 2 * platformLoss, $"start-up rival lost {rivalLoss:P1}, platform {platformLoss:P1}");
        // With a flat choice (IIA) everyone loses the same fraction.
        var flatBefore = Shares([1, 1, 1], nests: [0, 0, 1], lambda: 1);
        var flatAfter = Shares([1, 1, 1, 1], nests: [0, 0, 1, 1], lambda: 1);
        Assert.Equal(1 - flatAfter[0] / flatBefore[0], 1 - flatAfter[2] / flatBefore[2], 12);
    }

    [Fact]
    public void No_app_live_gives_no_shares_rather_than_dividing_by_zero()
    {
        Assert.All(Shares([0, 0, 0]), s => Assert.Equal(0, s));
    }

    [Fact]
    public void Marketing_has_diminishing_returns_and_a_ceiling()
    {
        var a0 = Attraction.Of(Market, 1, 0, 0);
        var a1 = Attraction.Of(Market, 1, 1e7, 0);
        var a2 = Attraction.Of(Market, 1, 2e7, 0);
        var huge = Attraction.Of(Market, 1, 1e15, 0);

        Assert.True(a1 - a0 > a2 - a1);
        Assert.Equal(1 + Market.MarketingWeight / 2, a1, 12);
        Assert.True(huge < 1 + Market.MarketingWeight);
    }

    [Fact]
    public void Better_quality_and_a_stronger_ecosystem_attract_more()
    {
        Assert.True(Attraction.Of(Market, 1.2, 0, 0) > Attraction.Of(Market, 1.0, 0, 0));
        Assert.True(Attraction.Of(Market, 1, 0, 0.9) > Attraction.Of(Market, 1, 0, 0.1));
    }

    [Fact]
    public void Utilities_far_too_large_for_an_exponential_keep_their_proportions()
    {
        var shares = new double[2];
        NestedLogit.Shares([1000, 1000 - Math.Log(3)], [true, true], [0, 1], 2, 1, shares, new double[2]);

        Assert.Equal(0.75, shares[0], 12);
        Assert.Equal(0.25, shares[1], 12);
    }
}
