namespace Simulation.Model.State;

/// <summary>An app's users within its market: retention stocks updated recursively, so a tick costs the same whatever its index.</summary>
public sealed class AppUsers
{
    public required string App { get; init; }
    public required string Company { get; init; }
    /// <summary>Active users in each exponential component of the retention curve.</summary>
    public required double[] Stock { get; init; }
    public double MonthStartStock { get; set; }
    /// <summary>Users new to the app in the month so far: newcomers to the category, returning users and switchers.</summary>
    public double MonthNewUsers { get; set; }
    /// <summary>Users who switched in and out during the month so far.</summary>
    public double MonthSwitchIn { get; set; }
    public double MonthSwitchOut { get; set; }
    /// <summary>Ring of the last K ticks (K ticks span 7 days): stock at the start of each, and its new users.</summary>
    public required double[] WeekStartStock { get; init; }
    public required double[] WeekNewUsers { get; init; }
    public int WeekCursor { get; set; }

    /// <summary>
    /// The probe cohort: a unit of users who first used the app on the first day of a month, followed for
    /// 30 days through the same churn and switching as the app's real users, so the 30-day retention is
    /// measured rather than echoed from the configuration.
    /// </summary>
    public double[] Probe { get; init; } = new double[2];
    /// <summary>Days the probe has been followed; negative while none runs.</summary>
    public double ProbeDays { get; set; } = -1;
    /// <summary>The latest probe's share still active after 30 days (NaN until one completes).</summary>
    public double MeasuredD30 { get; set; } = double.NaN;

    /// <summary>The components' sum, added in order (as Enumerable.Sum would, without its overhead: read many times a tick).</summary>
    public double Active
    {
        get
        {
            var sum = 0.0;
            foreach (var x in Stock)
            {
                sum += x;
            }
            return sum;
        }
    }
}
