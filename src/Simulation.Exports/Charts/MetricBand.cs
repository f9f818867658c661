namespace Simulation.Exports.Charts;

/// <summary>
/// The spread of one metric across runs, month by month, for one app (or a company, or a market total
/// with company and app "ALL"): <see cref="Low"/>, <see cref="Mid"/> and <see cref="High"/> are e.g.
/// p5, p50 and p95. Values are in the exports' units (users, fractions, USD); the chart builders scale them.
/// </summary>
public sealed record MetricBand(
    string Market, string Company, string App, IReadOnlyList<DateOnly> Months, IReadOnlyList<double> Low, IReadOnlyList<double> Mid, IReadOnlyList<double> High);

/// <summary>People who moved from one employer to another in a month (a mean across runs may be fractional).</summary>
/// <param name="From">The employer they left, or null when they came from outside the AI labs.</param>
/// <param name="To">The employer that hired them, or null when they left the field.</param>
public sealed record MonthlyFlow(DateOnly Month, string? From, string? To, double People);
