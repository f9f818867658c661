using System.Collections.Immutable;

namespace Simulation.Model.Config;

[GenerateSerializer, Immutable]
public sealed record TalentInfo
{
    /// <summary>Aggregate tiers, in a fixed order (companies' workforce lists follow it).</summary>
    [Id(0)] public required ImmutableArray<TierInfo> Tiers { get; init; }
    /// <summary>Named researchers, sorted by id.</summary>
    [Id(1)] public ImmutableArray<ResearcherInfo> Researchers { get; init; } = [];
    /// <summary>Scale of the Gumbel noise in a researcher's choice (logit).</summary>
    [Id(2)] public double ChoiceNoise { get; init; } = 0.1;
    /// <summary>Utility a star gives up by moving (in log-salary units).</summary>
    [Id(3)] public double SwitchingCost { get; init; } = 0.1;
    [Id(4)] public double VisionWeight { get; init; } = 0.2;
    [Id(5)] public double FounderWeight { get; init; } = 0.1;
    /// <summary>Productivity of a star per unit of skill, in pool-researcher equivalents.</summary>
    [Id(6)] public double StarWeight { get; init; } = 10;
    /// <summary>Sensitivity of pool hires to the salary premium offered.</summary>
    [Id(7)] public double PremiumSensitivity { get; init; } = 5;

    public int TierIndex(string id) => Tiers.IndexOf(Tiers.FirstOrDefault(t => t.Id == id)!);
}

[GenerateSerializer, Immutable]
public sealed record TierInfo
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required double MonthlySalaryUsd { get; init; }
    /// <summary>Effective talent of one person of this tier.</summary>
    [Id(2)] public double Productivity { get; init; } = 1;
    /// <summary>New people of this tier entering the job market per month.</summary>
    [Id(3)] public double SupplyPerMonth { get; init; }
    /// <summary>Share of a pool that leaves each month (and joins the job market).</summary>
    [Id(4)] public double AttritionPerMonth { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ResearcherInfo
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public string Name { get; init; } = "";
    /// <summary>Employer at the start; null: on the job market.</summary>
    [Id(2)] public string? Employer { get; init; }
    /// <summary>Skill in [0, 1]; productivity is skill * StarWeight.</summary>
    [Id(3)] public required double Skill { get; init; }
    [Id(4)] public required double MonthlySalaryUsd { get; init; }
    /// <summary>Extra utility of staying with the current employer.</summary>
    [Id(5)] public double Loyalty { get; init; }
    /// <summary>Months to full productivity after a move.</summary>
    [Id(6)] public double RampMonths { get; init; } = 3;
    /// <summary>How well each company's vision fits this researcher, in [0, 1]; sorted by company.</summary>
    [Id(7)] public ImmutableArray<VisionFit> VisionFit { get; init; } = [];
    /// <summary>False while the person works outside the company's AI organisation.</summary>
    [Id(8)] public bool InAi { get; init; } = true;
    /// <summary>A documented path: moves only by the scenario's events, never by random offers.</summary>
    [Id(9)] public bool Scripted { get; init; }

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

[GenerateSerializer, Immutable]
public sealed record VisionFit
{
    [Id(0)] public required string Company { get; init; }
    [Id(1)] public required double Value { get; init; }
}
