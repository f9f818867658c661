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

    [Fact]
    public void Attraction_shares_sum_to_one()
    {
        var rng = RandomStreams.For(3, "test", 0, "shares");
        for (var trial = 0; trial < 200; trial++)
        {
            var attractions = Enumerable.Range(0, 1 + rng.Next(9))
                .Select(_ => Attraction.Of(Market, rng.NextDouble() * 2, rng.NextDouble() * 1e8, rng.NextDouble()))
                .ToArray();

            var shares = Attraction.Shares(attractions);

            Assert.Equal(1.0, shares.Sum(), 12);
            Assert.All(shares, s => Assert.InRange(s, 0, 1));
        }
    }

    [Fact]
    public void No_attraction_anywhere_gives_no_shares_rather_than_dividing_by_zero()
    {
        Assert.All(Attraction.Shares([0, 0, 0]), s => Assert.Equal(0, s));
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
    public void Infinite_attractions_split_the_newcomers_instead_of_making_every_share_nan()
    {
        Assert.Equal([0.5, 0, 0.5], Attraction.Shares([double.PositiveInfinity, 1e300, double.PositiveInfinity]));
    }

    [Fact]
    public void Attractions_whose_sum_overflows_keep_their_proportions()
    {
        var shares = Attraction.Shares([double.MaxValue, double.MaxValue / 3]);

        Assert.Equal(0.75, shares[0], 12);
        Assert.Equal(0.25, shares[1], 12);
    }
}
