using System.Collections.Immutable;

namespace Simulation.Model.Config;

public sealed record TalentInfo
{
    /// <summary>Aggregate tiers, in a fixed order (companies' workforce lists follow it).</summary>
    public required ImmutableArray<TierInfo> Tiers { get; init; }
    /// <summary>Named researchers, sorted by id.</summary>
    public ImmutableArray<ResearcherInfo> Researchers { get; init; } = [];
    /// <summary>Scale of the Gumbel noise in a researcher's choice (logit).</summary>
    public double ChoiceNoise { get; init; } = 0.1;
    /// <summary>Utility a star gives up by moving (in log-salary units).</summary>
    public double SwitchingCost { get; init; } = 0.1;
    public double VisionWeight { get; init; } = 0.2;
    public double FounderWeight { get; init; } = 0.1;
    /// <summary>Productivity of a star per unit of skill, in pool-researcher equivalents.</summary>
    public double StarWeight { get; init; } = 10;
    /// <summary>Sensitivity of pool hires to the salary premium offered.</summary>
    public double PremiumSensitivity { get; init; } = 5;

    public int TierIndex(string id) => Tiers.IndexOf(Tiers.FirstOrDefault(t => t.Id == id)!);
}

public sealed record TierInfo
{
    public required string Id { get; init; }
    public required double MonthlySalaryUsd { get; init; }
    /// <summary>Effective talent of one person of this tier.</summary>
    public double Productivity { get; init; } = 1;
    /// <summary>New people of this tier entering the job market per month.</summary>
    public double SupplyPerMonth { get; init; }
    /// <summary>Share of a pool that leaves each month (and joins the job market).</summary>
    public double AttritionPerMonth { get; init; }
}

public sealed record ResearcherInfo
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>Employer at the start; null: on the job market.</summary>
    public string? Employer { get; init; }
    /// <summary>Skill in [0, 1]; productivity is skill * StarWeight.</summary>
    public required double Skill { get; init; }
    public required double MonthlySalaryUsd { get; init; }
    /// <summary>Extra utility of staying with the current employer.</summary>
    public double Loyalty { get; init; }
    /// <summary>Months to full productivity after a move.</summary>
    public double RampMonths { get; init; } = 3;
    /// <summary>How well each company's vision fits this researcher, in [0, 1]; sorted by company.</summary>
    public ImmutableArray<VisionFit> VisionFit { get; init; } = [];
    /// <summary>False while the person works outside the company's AI organisation.</summary>
    public bool InAi { get; init; } = true;
    /// <summary>A documented path: moves only by the scenario's events, never by random offers.</summary>
    public bool Scripted { get; init; }

    public double FitWith(string? company)
    {
        foreach (var fit in VisionFit)
        {
            if (fit.Company == company)
            {
                return fit.Value;
            }
        }
        return 0;
    }
}

public sealed record VisionFit
{
    public required string Company { get; init; }
    public required double Value { get; init; }
}
