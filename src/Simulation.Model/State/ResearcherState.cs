namespace Simulation.Model.State;

[GenerateSerializer]
public sealed class ResearcherState
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public string? Employer { get; set; }
    [Id(2)] public double MonthlySalaryUsd { get; set; }
    [Id(3)] public bool InAi { get; set; }
    /// <summary>Day number (<see cref="DateOnly.DayNumber"/>) from which the current ramp-up runs.</summary>
    [Id(4)] public int ProductiveFromDay { get; set; }
    /// <summary>The company the person is bound to by a non-compete, and until which day.</summary>
    [Id(5)] public string? BoundTo { get; set; }
    [Id(6)] public int BoundUntilDay { get; set; }
    /// <summary>Salary on leaving the bound employer (compensation is a share of it).</summary>
    [Id(7)] public double BoundSalaryUsd { get; set; }
}
