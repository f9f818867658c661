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
    [Param("Star uplift mu: effective talent T = E x (1 + mu x H), H = 1 - prod(1 - h(skill) x ramp) over the company's stars in AI. " +
        "Evidence 0.05-0.54: collaborators of a star who dies lose a lasting 5-8% (Azoulay, Graff Zivin & Wang 2010, QJE 125(2)); " +
        "a star hire raises department output up to +54% (Agrawal, McHale & Oettl 2014/2017)", Unit = "share", Min = 0, Max = 5)]
    public double StarUplift { get; init; } = 0.2;
    [Param("Skill at which a star gives half the full uplift (s_half of h(s) = s^g / (s^g + s_half^g))", Min = 0, MinExclusive = true, Max = 1)]
    public double StarHalfSkill { get; init; } = 0.5;
    [Param("Steepness g of a star's uplift in skill (h(s) = s^g / (s^g + s_half^g))", Min = 0, MinExclusive = true, Max = 20)]
    public double StarSkillShape { get; init; } = 2;
    [Param("Colleagues who follow a star who moves to another company of the same region: people of the first tier per unit of the star's skill, taken from the old employer's pool (0: stars move alone)", Unit = "people", Min = 0, Max = 1000)]
    public double FollowersPerStar { get; init; }
    [Param("Sensitivity of pool hires to the salary premium offered", Min = 0, Max = 100)]
    public double PremiumSensitivity { get; init; } = 5;
    [Param("Unemployment elasticity eta of matching, M = min(mu_r x (U x months)^eta x V^(1-eta), U, V) (Petrongolo & Pissarides 2001: 0.5-0.7)", Min = 0, Max = 1)]
    public double MatchingElasticity { get; init; } = 0.5;
    /// <summary>Empty: one implicit region whose supply is each tier's supplyPerMonth.</summary>
    [Param("Labour markets (regions), each with its own supply, unemployed, matching and migration; absent: one region for everybody")]
    public ImmutableArray<RegionInfo> Regions { get; init; } = [];

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
    [Param("New people of this tier entering the job market, in a scenario without regions (with regions, each region gives its own)", Unit = "people/month", Min = 0, Max = 1e9)]
    public double SupplyPerMonth { get; init; }
    [Param("Share of a pool that leaves each month (and joins the unemployed of the company's region)", Unit = "1/month", Min = 0, Max = 1)]
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
    [Param("Skill; the star lifts a team by h(skill) (see talent.starUplift)", Min = 0, Max = 1)]
    public required double Skill { get; init; }

    /// <summary>Null: the employer's region, else the first region.</summary>
    [Param("The labour market the person is in (absent: the employer's region, else the first); companies poach only in their own region", References = "regions")]
    public string? Region { get; init; }

    [Param("Salary at the start", Unit = "USD/month", Min = 0, MinExclusive = true, Max = 1e9)]
    public required double MonthlySalaryUsd { get; init; }
    [Param("Extra utility of staying with the current employer", Unit = "utility", Min = 0, Max = 10)]
    public double Loyalty { get; init; }
    [Param("Months to full productivity after a move, linearly (joining a rival while bound: from the non-compete's end)", Unit = "months", Min = 0, Max = 60)]
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

/// <summary>
/// A regional labour market (MODEL-NOTES section 7): the unemployed of each tier carry over from tick to tick, new
/// people arrive, matches follow M = min(mu (U x months)^eta V^(1-eta), U, V), and the unemployed leave the
/// market or migrate to other regions at their rates.
/// </summary>
public sealed record RegionInfo
{
    [Param("The region's id, used by companies' and researchers' region")]
    public required string Id { get; init; }

    /// <summary>One entry per tier, in tier order.</summary>
    [Param("New people of each tier entering the region's job market, by tier id", Unit = "people/month", Min = 0, Max = 1e9, References = "tiers")]
    public ImmutableArray<double> SupplyPerMonth { get; init; } = [];

    /// <summary>One entry per tier, in tier order.</summary>
    [Param("People of each tier looking for work in the region at the start, by tier id", Unit = "people", Min = 0, Max = 1e9, References = "tiers")]
    public ImmutableArray<double> Unemployed { get; init; } = [];

    [Param("Matching efficiency mu_r of the region (1: frictionless while the unemployed outnumber the openings)", Unit = "1/month", Min = 0, Max = 100)]
    public double MatchingEfficiency { get; init; } = 1;

    [Param("Share of the region's unemployed who leave the AI job market each month", Unit = "1/month", Min = 0, Max = 1)]
    public double ExitPerMonth { get; init; } = 0.05;

    /// <summary>One entry per region, in region order (0 for the region itself).</summary>
    [Param("Share of the region's unemployed who move to another region each month, by region id (migration at a cost: visas, relocation)", Unit = "1/month", Min = 0, Max = 1, References = "regions")]
    public ImmutableArray<double> MigrationPerMonth { get; init; } = [];
}
