using Simulation.Model.Config;

namespace Simulation.Model.Rules;

/// <summary>
/// r(a) = w e^(-lf a) + (1 - w) e^(-ls a): the share of a cohort still active a days after first use.
/// The weight is solved from the stated 30-day retention, so r(30) is exactly <see cref="RetentionInfo.D30"/>.
/// Cohorts are never stored: each component's stock decays by e^(-l dt) per tick.
/// </summary>
public readonly record struct RetentionCurve(double FastWeight, double FastRate, double SlowRate)
{
    public const int Components = 2;

    public static RetentionCurve From(RetentionInfo info)
    {
        var fast = Math.Log(2) / info.FastHalfLifeDays;
        var slow = Math.Log(2) / info.SlowHalfLifeDays;
        var (lo, hi) = Bounds(info);
        if (!(info.D30 > lo && info.D30 < hi))
        {
            throw new ArgumentException(
                $"30-day retention {info.D30} must lie strictly between {lo:0.####} and {hi:0.####} for half-lives {info.FastHalfLifeDays} and {info.SlowHalfLifeDays} days");
        }
        var weight = (hi - info.D30) / (hi - lo);
        return new RetentionCurve(weight, fast, slow);
    }

    /// <summary>The 30-day retentions reachable with these half-lives: (all fast, all slow).</summary>
    public static (double Low, double High) Bounds(RetentionInfo info) =>
        (Math.Exp(-30 * Math.Log(2) / info.FastHalfLifeDays), Math.Exp(-30 * Math.Log(2) / info.SlowHalfLifeDays));

    public double Weight(int component) => component == 0 ? FastWeight : 1 - FastWeight;

    public double Rate(int component) => component == 0 ? FastRate : SlowRate;

    /// <summary>Share of a cohort active <paramref name="days"/> after first use.</summary>
    public double At(double days) => FastWeight * Math.Exp(-FastRate * days) + (1 - FastWeight) * Math.Exp(-SlowRate * days);

    /// <summary>Splits an existing user base as a steady inflow would have: in proportion to w_k / l_k.</summary>
    public double[] SteadyStateSplit(double users)
    {
        var fast = FastWeight / FastRate;
        var slow = (1 - FastWeight) / SlowRate;
        var total = fast + slow;
        return [users * fast / total, users * slow / total];
    }
}
