namespace Simulation.Model.Config;

/// <summary>Non-compete compensation, arbitration timing and outcome odds, and the deterrence of a filing.</summary>
public sealed record LegalInfo
{
    [Param("Monthly compensation the former employer pays a bound person, as a share of the last salary", Unit = "share", Min = 0, Max = 10)]
    public double NonCompeteCompensation { get; init; } = 0.3;

    [Param("Months from a filing to its ruling", Unit = "months", Min = 0, Max = 120)]
    public double ArbitrationMonths { get; init; } = 6;

    [Param("Odds of a ruling for damages (damages + settlement + dismissed = 1)", Unit = "probability", Min = 0, Max = 1, Key = "outcomes.damages")]
    public double DamagesProbability { get; init; } = 0.5;

    [Param("Odds of a settlement", Unit = "probability", Min = 0, Max = 1, Key = "outcomes.settlement")]
    public double SettlementProbability { get; init; } = 0.3;

    [Param("Odds of a dismissal", Unit = "probability", Min = 0, Max = 1, Key = "outcomes.dismissed")]
    public double DismissedProbability { get; init; } = 0.2;

    [Param("Damages, in months of the person's salary, paid by the new employer", Unit = "months", Min = 0, Max = 1200)]
    public double DamagesSalaryMonths { get; init; } = 12;

    [Param("A settlement, in months of the person's salary", Unit = "months", Min = 0, Max = 1200)]
    public double SettlementSalaryMonths { get; init; } = 4;

    [Param("With damages, months before the person is productive again", Unit = "months", Min = 0, Max = 120)]
    public double DamagesDelayMonths { get; init; } = 6;

    [Param("After a filing, rivals' offers to the filer's staff are multiplied by (1 - deterrence)", Unit = "share", Min = 0, Max = 1)]
    public double Deterrence { get; init; } = 0.5;

    [Param("How long a filing deters rivals' offers", Unit = "months", Min = 0, Max = 120)]
    public double DeterrenceMonths { get; init; } = 12;
}
