namespace Simulation.Model.Config;

/// <summary>
/// Settings of a strategy workshop played on the scenario (<c>sim workshop</c>): the weights of a team's balanced
/// score. Each part of the score is the team's figure over what the scenario's own policy gives at the same date
/// (100 = as well as the computer would have done); the score is their weighted mean.
/// </summary>
public sealed record WorkshopInfo
{
    private const ParamUse Weight = ParamUse.Override;

    [Param("Weight of users (the company's apps' monthly actives) in a team's balanced score", Min = 0, Max = 100, Key = "scoreWeights.users", Use = Weight)]
    public double UsersWeight { get; init; } = 1;

    [Param("Weight of market share (its apps' share, weighted by their actives) in a team's balanced score", Min = 0, Max = 100, Key = "scoreWeights.share", Use = Weight)]
    public double ShareWeight { get; init; } = 1;

    [Param("Weight of 30-day retention (its apps', weighted by their actives) in a team's balanced score", Min = 0, Max = 100, Key = "scoreWeights.retention", Use = Weight)]
    public double RetentionWeight { get; init; } = 1;

    [Param("Weight of cash in a team's balanced score", Min = 0, Max = 100, Key = "scoreWeights.cash", Use = Weight)]
    public double CashWeight { get; init; } = 1;

    [Param("Weight of talent (AI headcount times the stars' lift) in a team's balanced score", Min = 0, Max = 100, Key = "scoreWeights.talent", Use = Weight)]
    public double TalentWeight { get; init; } = 1;
}
