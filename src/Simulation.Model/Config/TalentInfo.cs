using System.Collections.Immutable;

namespace Simulation.Model.Config;

public sealed record TalentInfo
{
    [Param("Aggregate talent pools (e.g. senior and junior researchers), in a fixed order")]
    public required ImmutableArray<TierInfo> Tiers { get; init; }
    /// <summary>Sorted by id.</summary>
    [Param("Named researchers (stars), each moved one by one by offers and events")]
    public ImmutableArray<ResearcherInfo> Researchers { get; init; } = [];
    [Param("Scale of the Gumbel noise in a researcher's choice (logit)", Unit = "utility", Min = 0, Max = 10)]
    public double ChoiceNoise { get; init; } = 0.1;
    [Param("Utility a star gives up by moving", Unit = "log salary", Min = 0, Max = 10)]
    public double SwitchingCost { get; init; } = 0.1;
    [Param("Weight of a company's vision fit in a star's choice", Unit = "utility", Min = 0, Max = 10)]
    public double VisionWeight { get; init; } = 0.2;
    [Param("Weight of founder attention in a star's choice", Unit = "utility", Min = 0, Max = 10)]
    public double FounderWeight { get; init; } = 0.1;
    [Param("Productivity of a star per unit of skill, in pool-researcher equivalents", Unit = "researchers", Min = 0, Max = 1e4)]
    public double StarWeight { get; init; } = 10;
    [Param("Sensitivity of pool hires to the salary premium offered", Min = 0, Max = 100)]
    public double PremiumSensitivity { get; init; } = 5;

    public int TierIndex(string id) => Tiers.IndexOf(Tiers.FirstOrDefault(t => t.Id == id)!);
}

public sealed record TierInfo
{
    [Param("The tier's id, used by companies' workforce")]
    public required string Id { get; init; }
    [Param("Market salary of one person of this tier", Unit = "USD/month", Min = 0, MinExclusive = true, Max = 1e9)]
    public required double MonthlySalaryUsd { get; init; }

    [Param("Effective talent of one person of this tier", Unit = "talent", Min = 0, Max = 1e4)]
    public double Productivity { get; init; } = 1;
    [Param("New people of this tier entering the job market", Unit = "people/month", Min = 0, Max = 1e9)]
    public double SupplyPerMonth { get; init; }
    [Param("Share of a pool that leaves each month (and joins the job market)", Unit = "1/month", Min = 0, Max = 1)]
    public double AttritionPerMonth { get; init; }
}

public sealed record ResearcherInfo
{
    [Param("The researcher's id, used by events and targets")]
    public required string Id { get; init; }

    [Param("Name as the article writes it")]
    public string Name { get; init; } = "";

    /// <summary>Null: on the job market.</summary>
    [Param("Employer at the start, or none (on the job market)", References = "companies", AllowsNone = true)]
    public string? Employer { get; init; }
    [Param("Skill; the star's productivity is skill x talent.starWeight", Min = 0, Max = 1)]
    public required double Skill { get; init; }

    [Param("Salary at the start", Unit = "USD/month", Min = 0, MinExclusive = true, Max = 1e9)]
    public required double MonthlySalaryUsd { get; init; }
    [Param("Extra utility of staying with the current employer", Unit = "utility", Min = 0, Max = 10)]
    public double Loyalty { get; init; }
    [Param("Months to full productivity after a move", Unit = "months", Min = 0, Max = 60)]
    public double RampMonths { get; init; } = 3;
    /// <summary>Sorted by company.</summary>
    [Param("How well each company's vision fits this researcher, by company id", Min = 0, Max = 1, References = "companies")]
    public ImmutableArray<VisionFit> VisionFit { get; init; } = [];
    [Param("False while the person works outside the employer's AI organisation (a transfer event moves them in)")]
    public bool InAi { get; init; } = true;
    [Param("A documented path: moves only by the scenario's events, never by random offers")]
    public bool Scripted { get; init; }

    [Param("Where the person is documented: seeds/<file>:<line>")]
    public string? Source { get; init; }

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
    [Derived("the key of researchers.<id>.visionFit")]
    public required string Company { get; init; }

    [Derived("the value of researchers.<id>.visionFit.<company>")]
    public required double Value { get; init; }
}
