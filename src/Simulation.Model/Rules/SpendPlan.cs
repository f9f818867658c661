using Simulation.Model.Phases;

namespace Simulation.Model.Rules;

/// <summary>A tick's planned spending, and the cash rule that fits it to what the company can pay.</summary>
public readonly record struct SpendPlan(double Payroll, double Compute, double Marketing)
{
    public double Total => Payroll + Compute + Marketing;

    /// <summary>Whether the whole plan fits <paramref name="available"/> cash, so that <see cref="FitTo"/> leaves it as it is.</summary>
    public bool Fits(double available) => Total <= Math.Max(0, available);

    /// <summary>
    /// Fits the plan to <paramref name="available"/> cash: marketing is cut first, then compute; if
    /// payroll alone is more than the cash, pool staff are laid off (the returned share of the pools)
    /// until it fits. Stars' salaries are contracts and are paid first; if cash cannot pay even them, it pays
    /// what it can (the company then releases its stars: see <see cref="CompanyDecision.ReleasesStars"/>).
    /// </summary>
    public (SpendPlan Plan, double LayoffShare) FitTo(double available, double poolPayroll)
    {
        if (Fits(available))
        {
            return (this, 0);
        }
        available = Math.Max(0, available);
        var left = available - Payroll;
        if (left >= 0)
        {
            var marketing = Math.Max(0, left - Compute);
            var compute = Math.Min(Compute, left);
            return (this with { Compute = compute, Marketing = Math.Min(Marketing, marketing) }, 0);
        }
        var starPayroll = Payroll - poolPayroll;
        var payablePool = Math.Max(0, available - starPayroll);
        var layoff = poolPayroll > 0 ? 1 - payablePool / poolPayroll : 0;
        return (new SpendPlan(Math.Min(starPayroll, available) + payablePool, 0, 0), Math.Clamp(layoff, 0, 1));
    }
}
