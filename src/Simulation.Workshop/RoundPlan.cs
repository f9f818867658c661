using System.Collections.Immutable;
using Simulation.Model.Config;

namespace Simulation.Workshop;

/// <summary>One round of a workshop: the dates [Start, End) and the ticks [FirstTick, EndTick) it plays.</summary>
public sealed record RoundPlan(int Number, DateOnly Start, DateOnly End, int FirstTick, int EndTick)
{
    /// <summary>The default length of a round.</summary>
    public const int DefaultMonths = 3;

    /// <summary>
    /// Rounds of <paramref name="months"/> months from the scenario's start: <paramref name="rounds"/> of them, or by
    /// default as many as cover the scenario (the last one may be shorter).
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than one round or month, or more rounds than the scenario has room for (the message says why).</exception>
    public static ImmutableArray<RoundPlan> For(ScenarioInfo scenario, int? rounds, int months)
    {
        if (months < 1)
        {
            throw new ArgumentException($"--round-months: expected a whole number of months >= 1, got {months}");
        }
        if (rounds is < 1)
        {
            throw new ArgumentException($"--rounds: expected a whole number >= 1, got {rounds}");
        }
        var calendar = scenario.CreateCalendar();
        var stop = scenario.End.AddDays(1);
        var fit = 0;
        while (scenario.Start.AddMonths(fit * months) < stop)
        {
            fit++;
        }
        if (rounds > fit)
        {
            throw new ArgumentException(
                $"--rounds: the scenario ({scenario.Start:yyyy-MM-dd} to {scenario.End:yyyy-MM-dd}) has room for {fit} rounds of {months} month(s), got {rounds}");
        }
        var count = rounds ?? fit;
        var plan = ImmutableArray.CreateBuilder<RoundPlan>(count);
        for (var n = 1; n <= count; n++)
        {
            var start = scenario.Start.AddMonths((n - 1) * months);
            var end = Min(scenario.Start.AddMonths(n * months), stop);
            plan.Add(new RoundPlan(n, start, end, FirstTickFrom(calendar, start), FirstTickFrom(calendar, end)));
        }
        return plan.MoveToImmutable();
    }

    /// <summary>The first tick that starts on or after <paramref name="date"/> (the tick count past the end).</summary>
    private static int FirstTickFrom(Simulation.Model.Time.Calendar calendar, DateOnly date)
    {
        var i = calendar.IndexOf(date);
        return calendar[i].Start >= date ? i : i + 1;
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    /// <summary>The last day of the round (inclusive).</summary>
    public DateOnly LastDay => End.AddDays(-1);

    public bool Contains(DateOnly date) => date >= Start && date < End;
}
