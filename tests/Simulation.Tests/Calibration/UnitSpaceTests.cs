using Simulation.Calibration;

namespace Simulation.Tests.Calibration;

/// <summary>The unit coordinates the calibrator and the sampler move in.</summary>
public sealed class UnitSpaceTests
{
    private static readonly FitParameter[] Parameters =
    [
        new("market.potential", 1, 2e8, 5e7, 1.1e9),
        new("app.retention", 2, 0.3, 0.15, 0.6),
        new("market.qualityWeight", 3, 0, 0, 8),
    ];

    [Fact]
    public void A_positive_range_of_ten_times_or_more_is_on_the_log_scale_and_the_others_are_linear()
    {
        var space = new UnitSpace(Parameters);

        Assert.True(space.IsLog(0));
        Assert.False(space.IsLog(1));
        Assert.False(space.IsLog(2));
        Assert.Equal(0.5, space.ToUnit(0, Math.Sqrt(5e7 * 1.1e9)), 12);
        Assert.Equal(0.5, space.ToUnit(1, 0.375), 12);
        Assert.Equal(0.25, space.ToUnit(2, 2), 12);
    }

    [Fact]
    public void Bounds_map_to_zero_and_one_and_back()
    {
        var space = new UnitSpace(Parameters);

        for (var i = 0; i < Parameters.Length; i++)
        {
            Assert.Equal(0, space.ToUnit(i, Parameters[i].Min), 12);
            Assert.Equal(1, space.ToUnit(i, Parameters[i].Max), 12);
            Assert.Equal(Parameters[i].Min, space.FromUnit(i, 0), Parameters[i].Max * 1e-12);
            Assert.Equal(Parameters[i].Max, space.FromUnit(i, 1), Parameters[i].Max * 1e-12);
            Assert.Equal(Parameters[i].Start, space.FromUnit(i, space.ToUnit(i, Parameters[i].Start)), Parameters[i].Max * 1e-12);
        }
    }

    [Fact]
    public void The_jacobian_is_the_log_of_the_log_scale_values()
    {
        var space = new UnitSpace(Parameters);

        Assert.Equal(Math.Log(3e8), space.LogJacobian([3e8, 0.2, 1]), 12);
    }
}
