using Simulation.Model.Config;

namespace Simulation.Model.State;

/// <summary>What changes about a company while a run plays. Its configuration stays in <see cref="CompanyInfo"/>.</summary>
public sealed class CompanyState
{
    public required string Id { get; init; }
    public double CashUsd { get; set; }
    /// <summary>Pool headcount per talent tier (fractional: pools are aggregates).</summary>
    public required double[] Headcount { get; init; }
    public double ModelQuality { get; set; }
    public double BudgetMultiplier { get; set; } = 1;
    public double ProductivityMultiplier { get; set; } = 1;
    public required PolicyInfo Policy { get; set; }
    /// <summary>Whether each app (in the company's app order) is available.</summary>
    public required bool[] Launched { get; init; }
    /// <summary>Stars the company employs, their lift (1 + mu x H) and monthly payroll (from the last talent phase).</summary>
    public int StarCount { get; set; }
    public double StarLift { get; set; } = 1;
    public double StarPayrollMonthlyUsd { get; set; }
    /// <summary>Each app's market share at the end of the last month (the reaction rule compares against it).</summary>
    public required double[] LastMonthShare { get; init; }
    /// <summary>The reaction to a rival's gain lasts while the tick index is below this.</summary>
    public int ReactionUntilTick { get; set; } = -1;
    /// <summary>Funding received in the current tick (its events).</summary>
    public double FundingUsd { get; set; }
    /// <summary>Payments the company could not make (written off), accumulated.</summary>
    public double UnpaidUsd { get; set; }
    /// <summary>Log of the company's R&amp;D efficiency (a random walk when the scenario sets a volatility).</summary>
    public double LogEfficiency { get; set; }

    /// <summary>Values the rules derive from the scenario and rarely changing inputs, kept between ticks (not state: never serialized).</summary>
    internal Rules.CompanyRules.Cache? Cache;
}
