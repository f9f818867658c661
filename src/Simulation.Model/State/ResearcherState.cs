namespace Simulation.Model.State;

public sealed class ResearcherState
{
    public required string Id { get; init; }
    public string? Employer { get; set; }
    /// <summary>The labour market the person is in: their employer's region after a move.</summary>
    public string Region { get; set; } = "";
    public double MonthlySalaryUsd { get; set; }
    public bool InAi { get; set; }
    /// <summary>Day number (<see cref="DateOnly.DayNumber"/>) from which the current ramp-up runs.</summary>
    public int ProductiveFromDay { get; set; }
    /// <summary>The company the person is bound to by a non-compete, and until which day.</summary>
    public string? BoundTo { get; set; }
    public int BoundUntilDay { get; set; }
    /// <summary>Salary on leaving the bound employer (compensation is a share of it).</summary>
    public double BoundSalaryUsd { get; set; }
}
