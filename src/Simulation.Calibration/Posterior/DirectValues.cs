using System.Collections;
using System.Globalization;
using System.Reflection;
using Simulation.Model.Config;

namespace Simulation.Calibration.Posterior;

/// <summary>
/// Sets declared numbers of a bound scenario by their <c>--set</c> paths, on copies of the records (<see cref="ParamReflection"/>),
/// without composing and binding the YAML again: how a posterior draw is applied to each replicate cheaply. Only plain
/// declared numbers reached through objects and lists of items (by id or index) can be set so; a value out of its declared
/// range is refused (null), so that the caller binds that draw the slow way and gets the loader's error. The caller checks,
/// once, that this gives the scenario binding gives (<see cref="PosteriorSource"/>): anything the binder derives from a
/// value would show there.
/// </summary>
internal sealed class DirectValues
{
    private readonly string[][] _paths;

    private DirectValues(string[][] paths) => _paths = paths;

    /// <summary>The setter for <paramref name="paths"/>, or null if one of them is not a plain declared number of <paramref name="template"/>.</summary>
    public static DirectValues? For(ScenarioInfo template, IReadOnlyList<string> paths)
    {
        var split = paths.Select(p => p.Split('.')).ToArray();
        foreach (var segments in split)
        {
            if (Set(template, typeof(ScenarioInfo), segments, 0, value: null) is null)
            {
                return null;
            }
        }
        return new DirectValues(split);
    }

    /// <summary>The scenario with path i set to <paramref name="values"/>[i] where <paramref name="applied"/>[i]; null if a value is refused.</summary>
    public ScenarioInfo? Apply(ScenarioInfo scenario, IReadOnlyList<double> values, IReadOnlyList<bool> applied)
    {
        object current = scenario;
        for (var i = 0; i < _paths.Length; i++)
        {
            if (!applied[i])
            {
                continue;
            }
            if (Set(current, typeof(ScenarioInfo), _paths[i], 0, values[i]) is not { } next)
            {
                return null;
            }
            current = next;
        }
        return (ScenarioInfo)current;
    }

    /// <summary>
    /// A copy of <paramref name="record"/> with the number at <paramref name="segments"/>[<paramref name="at"/>..] set to
    /// <paramref name="value"/> (null: only checks that the path leads to a declared number, and returns the record itself);
    /// null if it does not, or the value is out of its declared range.
    /// </summary>
    private static object? Set(object record, Type type, string[] segments, int at, double? value)
    {
        foreach (var d in ParamReflection.Of(type))
        {
            var key = d.Key.Split('.');
            if (at + key.Length > segments.Length || !key.SequenceEqual(segments[at..(at + key.Length)], StringComparer.Ordinal))
            {
                continue;
            }
            var next = at + key.Length;
            switch (d.Kind)
            {
                case ParamKind.Number when next == segments.Length:
                    if (value is not { } v)
                    {
                        return record;
                    }
                    return d.InRange(v) ? With(record, d.Property, v) : null;
                case ParamKind.Object when next < segments.Length && d.Property.GetValue(record) is { } child:
                    return Set(child, d.ItemType!, segments, next, value) is { } changed
                        ? value is null ? record : With(record, d.Property, changed)
                        : null;
                case ParamKind.List when next < segments.Length && d.Property.GetValue(record) is IList list:
                    var index = IndexOf(list, segments[next]);
                    if (index < 0 || list[index] is not { } item || Set(item, d.ItemType!, segments, next + 1, value) is not { } newItem)
                    {
                        return null;
                    }
                    if (value is null)
                    {
                        return record;
                    }
                    var replaced = list.GetType().GetMethod("SetItem", [typeof(int), d.ItemType!])!.Invoke(list, [index, newItem]);
                    return With(record, d.Property, replaced);
                default:
                    return null;
            }
        }
        return null;
    }

    /// <summary>The item with id <paramref name="segment"/> (else at that index), or -1.</summary>
    private static int IndexOf(IList list, string segment)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i]?.GetType().GetProperty("Id")?.GetValue(list[i]) is string id && id == segment)
            {
                return i;
            }
        }
        return int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < list.Count ? index : -1;
    }

    private static object With(object record, PropertyInfo property, object? value)
    {
        var copy = record.GetType().GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance)!.Invoke(record, null)!;
        property.SetValue(copy, value);
        return copy;
    }
}
