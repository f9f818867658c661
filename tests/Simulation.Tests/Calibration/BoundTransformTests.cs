using Simulation.Calibration;

namespace Simulation.Tests.Calibration;

/// <summary>The map from the line onto [0, 1] that CMA-ES searches through.</summary>
public sealed class BoundTransformTests
{
    [Fact]
    public void The_core_is_left_as_it_is_and_every_number_lands_in_the_box()
    {
        Assert.Equal(0.3, BoundTransform.ToBox(0.3));
        Assert.Equal(0.95, BoundTransform.ToBox(0.95), 12);
        for (var y = -7.0; y <= 7; y += 0.001)
        {
            Assert.InRange(BoundTransform.ToBox(y), 0, 1);
        }
    }

    [Fact]
    public void The_map_is_continuous_and_flat_at_the_bounds()
    {
        const double h = 1e-7;
        for (var y = -7.0; y <= 7; y += 0.0013)
        {
            Assert.True(Math.Abs(BoundTransform.ToBox(y + h) - BoundTransform.ToBox(y)) <= 2 * h, $"a jump at {y}");
        }
        // The bounds are reached at y = -a and y = 1 + a, with slope 0.
        Assert.Equal(0, BoundTransform.ToBox(-BoundTransform.Margin), 15);
        Assert.Equal(1, BoundTransform.ToBox(1 + BoundTransform.Margin), 15);
        Assert.True(BoundTransform.ToBox(-BoundTransform.Margin + 1e-4) < 1e-6);
        Assert.True(1 - BoundTransform.ToBox(1 + BoundTransform.Margin - 1e-4) < 1e-6);
    }

    [Fact]
    public void From_box_finds_a_point_that_maps_back()
    {
        foreach (var x in new[] { 0, 1e-9, 0.01, 0.049, 0.05, 0.5, 0.97, 0.999, 1 })
        {
            Assert.Equal(x, BoundTransform.ToBox(BoundTransform.FromBox(x)), 12);
        }
    }

    [Fact]
    public void Beyond_a_bound_the_map_mirrors_and_repeats()
    {
        const double a = BoundTransform.Margin;
        Assert.Equal(BoundTransform.ToBox(0.2), BoundTransform.ToBox(-2 * a - 0.2), 12);
        Assert.Equal(BoundTransform.ToBox(0.7), BoundTransform.ToBox(0.7 + 2 * (1 + 2 * a)), 12);
    }
}
