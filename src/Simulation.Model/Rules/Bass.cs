namespace Simulation.Model.Rules;

/// <summary>
/// The Bass diffusion model dF/dt = (p + qF)(1 - F), stepped exactly: with E = (1 - F) / (1 + (q/p) F),
/// E decays as e^(-(p+q) t), so a tick of any length lands on the closed form
/// F(t) = (1 - e^(-(p+q)t)) / (1 + (q/p) e^(-(p+q)t)) with no discretisation error.
/// </summary>
public static class Bass
{
    /// <summary>The adopted share after <paramref name="years"/> starting from share <paramref name="f0"/>.</summary>
    public static double Step(double f0, double p, double q, double years)
    {
        if (p <= 0)
        {
            // Without innovators only imitation spreads the category: logistic growth at rate q.
            if (f0 <= 0 || q <= 0)
            {
                return f0;
            }
            var odds = f0 / (1 - f0) * Math.Exp(q * years);
            return odds / (1 + odds);
        }
        var ratio = q / p;
        var e0 = (1 - f0) / (1 + ratio * f0);
        var e1 = e0 * Math.Exp(-(p + q) * years);
        return (1 - e1) / (1 + ratio * e1);
    }

    /// <summary>The closed form from F(0) = 0.</summary>
    public static double ClosedForm(double p, double q, double years)
    {
        var e = Math.Exp(-(p + q) * years);
        return (1 - e) / (1 + q / p * e);
    }
}
