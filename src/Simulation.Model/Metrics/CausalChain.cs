namespace Simulation.Model.Metrics;

/// <summary>
/// The model's causal chain as <c>sim compare --explain</c> and the workshop's debrief decompose a difference along it:
/// each step a label and the <see cref="ComparedMetrics"/> metric that measures it, in causal order.
/// </summary>
public static class CausalChain
{
    /// <summary>An app's chain: talent, quality, choice, retention, switching, new users, actives, share.</summary>
    public static readonly IReadOnlyList<(string Step, string Metric)> App =
    [
        ("talent: headcount", "headcount"),
        ("talent: stars' lift", "star_lift"),
        ("quality (over the frontier)", "quality"),
        ("choice: share of newcomers", "attraction_share"),
        ("retention: measured D30", "retention_d30"),
        ("switching: net users won", "switch_net"),
        ("new users in the month", "new_users"),
        ("monthly actives", "mau"),
        ("market share", "market_share"),
    ];

    /// <summary>A market total's chain: potential, the adoption hazard's attraction factor, newcomers, actives.</summary>
    public static readonly IReadOnlyList<(string Step, string Metric)> Market =
    [
        ("potential (grows with the best quality)", "potential"),
        ("adoption hazard: attraction factor", "attraction_factor"),
        ("new users in the month", "new_users"),
        ("monthly actives", "mau"),
    ];
}
