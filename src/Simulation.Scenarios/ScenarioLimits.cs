using Simulation.Model.Config;
using Simulation.Model.Time;
using Simulation.Scenarios.Yaml;

namespace Simulation.Scenarios;

/// <summary>
/// What a run can represent as a whole, checked after a scenario is bound. Each field's own range is its
/// declaration's (<see cref="ParamDeclaration.Min"/>, <see cref="ParamDeclaration.Max"/>, which also cap money
/// and people where a run's sums would overflow), and dates are read in the years <see cref="MinYear"/> to
/// <see cref="MaxYear"/> (<see cref="Node.AsDate"/>); here are the limits no one field carries: a horizon too long
/// to hold in memory. (A name's length is its declaration's.)
/// </summary>
public static class ScenarioLimits
{
    public const int MinYear = 1900;
    public const int MaxYear = 2200;

    /// <summary>100 years by day; longer horizons need <c>tick: week</c> or <c>month</c>.</summary>
    public const int MaxTicks = 36_525;

    /// <summary>
    /// Reports to <paramref name="doc"/>'s errors what the run cannot represent in <paramref name="info"/> (bound
    /// from <paramref name="doc"/> without errors), then throws a <see cref="ScenarioException"/> if anything was reported.
    /// </summary>
    public static void Enforce(ScenarioInfo info, YamlDocument doc)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(doc);
        var top = doc.Root.AsMap();
        var ticks = Ticks(info.Start, info.End, info.TickLength);
        if (ticks > MaxTicks && top.Optional("end") is { } end)
        {
            end.Report($"expected a horizon of at most {MaxTicks:N0} ticks (100 years by day; use tick: week or month for longer), " +
                $"got {ticks:N0} {info.TickLength.ToString().ToLowerInvariant()} ticks from {info.Start:yyyy-MM-dd} to {info.End:yyyy-MM-dd}");
        }
        doc.Errors.ThrowIfAny();
    }

    /// <summary>How many ticks a calendar from <paramref name="start"/> to <paramref name="end"/> (inclusive) has, without building it.</summary>
    public static long Ticks(DateOnly start, DateOnly end, TickLength length)
    {
        var days = (long)end.DayNumber - start.DayNumber + 1;
        return days <= 0 ? 0 : length switch
        {
            TickLength.Week => (days + 6) / 7,
            TickLength.Month => ((end.Year - start.Year) * 12L) + end.Month - start.Month + 1,
            _ => days,
        };
    }
}
