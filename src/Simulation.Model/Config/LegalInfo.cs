namespace Simulation.Model.Config;

/// <summary>Non-compete compensation, arbitration timing and outcome odds, and the deterrence of a filing.</summary>
public sealed record LegalInfo
{
    /// <summary>Monthly compensation the former employer pays a bound person, as a share of the last salary.</summary>
    public double NonCompeteCompensation { get; init; } = 0.3;
    public double ArbitrationMonths { get; init; } = 6;
    /// <summary>Outcome odds: damages, settlement, dismissed (sum to 1).</summary>
    public double DamagesProbability { get; init; } = 0.5;
    public double SettlementProbability { get; init; } = 0.3;
    public double DismissedProbability { get; init; } = 0.2;
    /// <summary>Damages, in months of the person's salary, paid by the new employer.</summary>
    public double DamagesSalaryMonths { get; init; } = 12;
    public double SettlementSalaryMonths { get; init; } = 4;
    /// <summary>With damages, months before the person is productive again.</summary>
    public double DamagesDelayMonths { get; init; } = 6;
    /// <summary>After a filing, rivals' offers to the filer's staff are multiplied by (1 - Deterrence)...</summary>
    public double Deterrence { get; init; } = 0.5;
    /// <summary>... for this many months.</summary>
    public double DeterrenceMonths { get; init; } = 12;
}
