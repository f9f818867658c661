namespace Simulation.Model.Time;

/// <summary>One tick of the simulation: the half-open date range [Start, End).</summary>
public readonly record struct Tick(int Index, DateOnly Start, DateOnly End)
{
    public int Days => End.DayNumber - Start.DayNumber;

    /// <summary>The tick's length in months of <see cref="Calendar.DaysPerMonth"/> days: rates given per month scale by this.</summary>
    public double Months => Days / Calendar.DaysPerMonth;

    public double Years => Days / Calendar.DaysPerYear;

    /// <summary>The calendar month a tick belongs to: the month of its first day.</summary>
    public DateOnly Month => new(Start.Year, Start.Month, 1);

    public string MonthKey => Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    public string DateKey => Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The ticks between a start date and an end date (inclusive). Month ticks follow calendar months,
/// so monthly figures need no interpolation; day ticks are the finest resolution.
/// </summary>
public sealed class Calendar
{
    public const double DaysPerMonth = 365.25 / 12;
    public const double DaysPerYear = 365.25;

    private readonly Tick[] _ticks;
    /// <summary>Per tick: whether it is the first (last) tick of its calendar month; the rules ask every tick.</summary>
    private readonly bool[] _startsMonth;
    private readonly bool[] _endsMonth;

    public Calendar(DateOnly start, DateOnly endInclusive, TickLength length)
    {
        if (endInclusive < start)
        {
            throw new ArgumentException("end date before start date", nameof(endInclusive));
        }

        var ticks = new List<Tick>();
        var stop = endInclusive.AddDays(1);
        var cursor = start;
        while (cursor < stop)
        {
            var next = length switch
            {
                TickLength.Day => cursor.AddDays(1),
                TickLength.Week => cursor.AddDays(7),
                TickLength.Month => new DateOnly(cursor.Year, cursor.Month, 1).AddMonths(1),
                _ => throw new ArgumentOutOfRangeException(nameof(length)),
            };
            if (next > stop)
            {
                next = stop;
            }
            ticks.Add(new Tick(ticks.Count, cursor, next));
            cursor = next;
        }
        _ticks = [.. ticks];
        (_start, _end) = (start, endInclusive);
        Length = length;
        _startsMonth = new bool[_ticks.Length];
        _endsMonth = new bool[_ticks.Length];
        for (var i = 0; i < _ticks.Length; i++)
        {
            _startsMonth[i] = i == 0 || _ticks[i - 1].Month != _ticks[i].Month;
            _endsMonth[i] = i == _ticks.Length - 1 || _ticks[i + 1].Month != _ticks[i].Month;
        }
    }

    /// <summary>The calendar last asked for by <see cref="Of"/>: a run, an evaluation of the fit, asks for the same one again and again.</summary>
    private static Calendar? _last;

    /// <summary>
    /// The calendar of these dates and tick length: the one made last when it has the same ones (a calendar never changes, so
    /// every run may share it), else a new one. An evaluation of the fit, which plays a scenario of the same dates every time,
    /// then lays out no calendar.
    /// </summary>
    public static Calendar Of(DateOnly start, DateOnly endInclusive, TickLength length)
    {
        // One object read and swapped whole: threads see an old calendar or a new one, both complete.
        var last = _last;
        if (last is not null && last._start == start && last._end == endInclusive && last.Length == length)
        {
            return last;
        }
        return _last = new Calendar(start, endInclusive, length);
    }

    private readonly DateOnly _start;
    private readonly DateOnly _end;

    public TickLength Length { get; }

    public int Count => _ticks.Length;

    public Tick this[int index] => _ticks[index];

    public IReadOnlyList<Tick> Ticks => _ticks;

    /// <summary>True when <paramref name="index"/> is the first tick of its calendar month.</summary>
    public bool StartsMonth(int index) => _startsMonth[index];

    /// <summary>True when <paramref name="index"/> is the last tick of its calendar month.</summary>
    public bool EndsMonth(int index) => _endsMonth[index];

    /// <summary>The index of the tick that contains <paramref name="date"/>, or the nearest one.</summary>
    public int IndexOf(DateOnly date)
    {
        if (date <= _ticks[0].Start)
        {
            return 0;
        }
        var lo = 0;
        var hi = _ticks.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_ticks[mid].Start <= date)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
