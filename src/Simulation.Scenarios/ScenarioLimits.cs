using System.Globalization;
using Simulation.Model.Config;
using Simulation.Model.Time;
using Simulation.Scenarios.Yaml;
using YamlMappingNode = YamlDotNet.RepresentationModel.YamlMappingNode;
using YamlScalarNode = YamlDotNet.RepresentationModel.YamlScalarNode;
using YamlSequenceNode = YamlDotNet.RepresentationModel.YamlSequenceNode;

namespace Simulation.Scenarios;

/// <summary>
/// What a run can represent, checked after a scenario is bound: values the binder accepts field by field
/// but that break the run as a whole (date arithmetic past year 9999, sums of money that overflow a double,
/// horizons too long to hold in memory, names too long for a folder). Each problem is reported at its
/// field with the limit named.
/// </summary>
public static class ScenarioLimits
{
    public const int MinYear = 1900;
    public const int MaxYear = 2200;

    /// <summary>100 years by day; longer horizons need <c>tick: week</c> or <c>month</c>.</summary>
    public const int MaxTicks = 36_525;

    /// <summary>Money fields: far above any company's cash, far below where sums and products overflow.</summary>
    public const double MaxUsd = 1e15;

    /// <summary>Counts of people (market potential, users, staff): above the world's population.</summary>
    public const double MaxPeople = 1e11;

    /// <summary>The name names the output folder <c>out/&lt;name&gt;</c> (and its staging folder beside it).</summary>
    public const int MaxNameLength = 64;

    private static readonly HashSet<string> DateKeys = new(StringComparer.Ordinal) { "start", "end", "date", "from", "launch", "month", "baseMonth" };

    private static readonly HashSet<string> PeopleKeys = new(StringComparer.Ordinal) { "potential", "initialAdopters", "initialUsers", "supplyPerMonth" };

    /// <summary>Multipliers the binder bounds below only: beyond these, talent, quality or damages overflow.</summary>
    private static readonly Dictionary<string, double> FactorLimits = new(StringComparer.Ordinal)
    {
        ["productivity"] = MaxFactor,
        ["starWeight"] = MaxFactor,
        ["marketingWeight"] = MaxFactor,
        ["damagesSalaryMonths"] = MaxFactor,
        ["settlementSalaryMonths"] = MaxFactor,
    };

    /// <summary>The largest multiplier (productivity, weights, salary-months) the run represents.</summary>
    public const double MaxFactor = 1e4;

    /// <summary>
    /// Reports to <paramref name="doc"/>'s errors what the run cannot represent in <paramref name="info"/> (bound
    /// from <paramref name="doc"/> without errors), then throws a <see cref="ScenarioException"/> if anything was reported.
    /// </summary>
    public static void Enforce(ScenarioInfo info, YamlDocument doc)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(doc);
        Check(info, doc.Root, doc.Provenance);
        doc.Errors.ThrowIfAny();
    }

    /// <summary>Reports each value beyond a limit at its node under <paramref name="root"/>.</summary>
    public static void Check(ScenarioInfo info, Node root, ProvenanceLog provenance)
    {
        var top = root.AsMap();
        if (info.Name.Length > MaxNameLength && top.Optional("name") is { } name)
        {
            name.Report($"expected a name of at most {MaxNameLength} characters (it names the output folder out/<name>), got {info.Name.Length}");
        }
        var datesOk = true;
        Walk(root, null, provenance, ref datesOk);
        var ticks = Ticks(info.Start, info.End, info.TickLength);
        if (datesOk && ticks > MaxTicks && top.Optional("end") is { } end)
        {
            end.Report($"expected a horizon of at most {MaxTicks:N0} ticks (100 years by day; use tick: week or month for longer), " +
                $"got {ticks:N0} {info.TickLength.ToString().ToLowerInvariant()} ticks from {info.Start:yyyy-MM-dd} to {info.End:yyyy-MM-dd}");
        }
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

    private static void Walk(Node node, string? key, ProvenanceLog provenance, ref bool datesOk)
    {
        switch (node.Yaml)
        {
            case YamlMappingNode when key is not null && provenance.Find(node.Path) is { } number:
                CheckNumber(node, key, number.Value);
                break;
            case YamlMappingNode:
                var map = node.AsMap();
                foreach (var child in map.Keys)
                {
                    if (map.Optional(child) is { } value)
                    {
                        // Counts under workforce, and the value of a number written with its provenance, go by the field's name.
                        Walk(value, key is not null && (key == "workforce" || child == "value") ? key : child, provenance, ref datesOk);
                    }
                }
                break;
            case YamlSequenceNode:
                foreach (var item in node.AsList())
                {
                    Walk(item, null, provenance, ref datesOk);
                }
                break;
            case YamlScalarNode { Value: { } text } when key is not null:
                if (DateKeys.Contains(key))
                {
                    datesOk &= CheckDate(node, text);
                }
                else if (provenance.Find(node.Path)?.Value is { } value ||
                    double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                {
                    CheckNumber(node, key, value);
                }
                break;
        }
    }

    private static bool CheckDate(Node node, string text)
    {
        var full = text.Length == 7 ? text + "-01" : text;
        if (DateOnly.TryParseExact(full, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) &&
            (date.Year < MinYear || date.Year > MaxYear))
        {
            node.Report($"expected a date in the years {MinYear} to {MaxYear}, got {text}");
            return false;
        }
        return true;
    }

    private static void CheckNumber(Node node, string key, double value)
    {
        if (key.EndsWith("Usd", StringComparison.Ordinal) && Math.Abs(value) > MaxUsd)
        {
            node.Report($"expected at most {MaxUsd:0e0} USD (larger sums overflow in the run), got {value.ToString(CultureInfo.InvariantCulture)}");
        }
        else if ((key == "workforce" || PeopleKeys.Contains(key)) && Math.Abs(value) > MaxPeople)
        {
            node.Report($"expected at most {MaxPeople:0e0} people, got {value.ToString(CultureInfo.InvariantCulture)}");
        }
        else if (FactorLimits.TryGetValue(key, out var max) && Math.Abs(value) > max)
        {
            node.Report($"expected at most {max:0e0} (larger multipliers overflow in the run), got {value.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
