using System.Collections;
using System.Collections.Concurrent;
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
            if (Matched(d.Key, segments, at) is not (> 0 and var parts))
            {
                continue;
            }
            var next = at + parts;
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
                    var replaced = SetItem.GetOrAdd((list.GetType(), d.ItemType!), k => k.List.GetMethod("SetItem", [typeof(int), k.Item])!).Invoke(list, [index, newItem]);
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
            if (list[i] is { } item && IdOf.GetOrAdd(item.GetType(), t => t.GetProperty("Id")) is { } property
                && property.GetValue(item) is string id && id == segment)
            {
                return i;
            }
        }
        return int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < list.Count ? index : -1;
    }

    /// <summary>
    /// How many of <paramref name="segments"/> from <paramref name="at"/> the dotted <paramref name="key"/> names (each of its
    /// parts equal, in order), or 0 when it does not name them: the key's parts compared in place, not split into new strings.
    /// </summary>
    private static int Matched(string key, string[] segments, int at)
    {
        var (parts, start) = (0, 0);
        while (true)
        {
            var dot = key.IndexOf('.', start);
            var part = dot < 0 ? key.AsSpan(start) : key.AsSpan(start, dot - start);
            if (at + parts >= segments.Length || !part.SequenceEqual(segments[at + parts]))
            {
                return 0;
            }
            parts++;
            if (dot < 0)
            {
                return parts;
            }
            start = dot + 1;
        }
    }

    /// <summary>The reflection a draw's paths need, looked up once per type (every evaluation of a fit sets the same paths).</summary>
    private static readonly ConcurrentDictionary<Type, MethodInfo> Clone = new();
    private static readonly ConcurrentDictionary<(Type List, Type Item), MethodInfo> SetItem = new();
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> IdOf = new();

    private static object With(object record, PropertyInfo property, object? value)
    {
        var copy = Clone.GetOrAdd(record.GetType(), t => t.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance)!).Invoke(record, null)!;
        property.SetValue(copy, value);
        return copy;
    }
}
