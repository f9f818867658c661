namespace Simulation.Model.Config;

/// <summary>Non-compete compensation, arbitration timing and outcome odds, and the deterrence of a filing.</summary>
[GenerateSerializer, Immutable]
public sealed record LegalInfo
{
    /// <summary>Monthly compensation the former employer pays a bound person, as a share of the last salary.</summary>
    [Id(0)] public double NonCompeteCompensation { get; init; } = 0.3;
    [Id(1)] public double ArbitrationMonths { get; init; } = 6;
    /// <summary>Outcome odds: damages, settlement, dismissed (sum to 1).</summary>
    [Id(2)] public double DamagesProbability { get; init; } = 0.5;
    [Id(3)] public double SettlementProbability { get; init; } = 0.3;
    [Id(4)] public double DismissedProbability { get; init; } = 0.2;
    /// <summary>Damages, in months of the person's salary, paid by the new employer.</summary>
    [Id(5)] public double DamagesSalaryMonths { get; init; } = 12;
    [Id(6)] public double SettlementSalaryMonths { get; init; } = 4;
    /// <summary>With damages, months before the person is productive again.</summary>
    [Id(7)] public double DamagesDelayMonths { get; init; } = 6;
    /// <summary>After a filing, rivals' offers to the filer's staff are multiplied by (1 - Deterrence)...</summary>
    [Id(8)] public double Deterrence { get; init; } = 0.5;
    /// <summary>... for this many months.</summary>
    [Id(9)] public double DeterrenceMonths { get; init; } = 12;
}
