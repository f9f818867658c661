using Simulation.Model.Config;

namespace Simulation.Model.State;

/// <summary>What changes about a company while a run plays. Its configuration stays in <see cref="CompanyInfo"/>.</summary>
[GenerateSerializer]
public sealed class CompanyState
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public double CashUsd { get; set; }
    /// <summary>Pool headcount per talent tier (fractional: pools are aggregates).</summary>
    [Id(2)] public required double[] Headcount { get; init; }
    [Id(3)] public double ModelQuality { get; set; }
    [Id(4)] public double BudgetMultiplier { get; set; } = 1;
    [Id(5)] public double ProductivityMultiplier { get; set; } = 1;
    [Id(6)] public required PolicyInfo Policy { get; set; }
    /// <summary>Whether each app (in the company's app order) is available.</summary>
    [Id(7)] public required bool[] Launched { get; init; }
    /// <summary>Stars the company employs, their effective talent and monthly payroll (from the last talent phase).</summary>
    [Id(8)] public int StarCount { get; set; }
    [Id(9)] public double StarTalent { get; set; }
    [Id(10)] public double StarPayrollMonthlyUsd { get; set; }
    /// <summary>Each app's market share at the end of the last month (the reaction rule compares against it).</summary>
    [Id(11)] public required double[] LastMonthShare { get; init; }
    /// <summary>The reaction to a rival's gain lasts while the tick index is below this.</summary>
    [Id(12)] public int ReactionUntilTick { get; set; } = -1;
    /// <summary>Payments the company could not make (written off), accumulated.</summary>
    [Id(13)] public double UnpaidUsd { get; set; }
    /// <summary>Log of the company's R&amp;D efficiency (a random walk when the scenario sets a volatility).</summary>
    [Id(14)] public double LogEfficiency { get; set; }
}
