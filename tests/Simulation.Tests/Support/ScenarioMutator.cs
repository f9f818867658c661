using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Simulation.Tests.Support;

/// <summary>What a <see cref="Mutation"/> does to the node it picks.</summary>
public enum MutationKind
{
    /// <summary>Replaces a node with a value of any type: number, text, date, list, mapping or null.</summary>
    ReplaceValue,
    /// <summary>Multiplies a number by a factor: sign flips, zero, huge and tiny.</summary>
    ScaleNumber,
    /// <summary>Sets a number to an extreme of its type: huge (up to double.MaxValue), tiny, zero.</summary>
    ExtremeNumber,
    /// <summary>Sets the scenario's own fields (name, start, end, tick) to edge values: long names, far dates, other ticks.</summary>
    RootField,
    /// <summary>Moves a date, or puts it at a calendar's edges.</summary>
    ShiftDate,
    /// <summary>Points an id reference elsewhere: another id of the scenario (of any kind) or an unknown one.</summary>
    SwapReference,
    DropKey,
    DuplicateItem,
    RemoveItem,
    EmptyList,
    AddUnknownKey,
}

/// <summary>One change to a scenario's YAML tree; <see cref="Target"/> and <see cref="Variant"/> pick among what the tree offers when it is applied.</summary>
public sealed record Mutation(MutationKind Kind, int Target, int Variant);

/// <summary>
/// Mutates scenario YAML trees (YamlDotNet's representation model) for the fuzz tests, and shortens the
/// shipped scenarios to a few months so each mutated one runs in milliseconds.
/// </summary>
public static partial class ScenarioMutator
{
    /// <summary>Values of every type and edge: a replaced node becomes one of these (null: the YAML null).</summary>
    private static readonly string[] Scalars =
    [
        "-1", "0", "1", "0.5", "2", "100", "1e308", "-1e308", "1e-308", "5e-324", "1e15", "1e16", "1e11", "1e12", "1e20",
        "123456789012345678901234567890", "NaN", ".nan", ".inf", "-.inf", "Infinity", "1,5", "0x10", "abc", "", "~", "null",
        "true", "no", "9999-12-31", "0001-01-01", "2023-02-30", "2023-13", "1899-12-31", "2201-01-01", "2023-01", "2024-06-15",
        "unknown-id", "none", "day", "week", "month", "seeds/000_3b102c28aee96500.txt:999999", "seeds/nope.txt:1",
        new string('a', 220), "UPPER_case id", "\u00e9t\u00e9", "1e3",
    ];

    private static readonly double[] Factors = [-1, 0, 1e-300, 1e-9, 0.5, 2, 1e3, 1e6, 1e12, 1e100, 1e300, double.MaxValue];

    private static readonly string[] Extremes =
        ["1e308", "1.7976931348623157E+308", "1e300", "1e200", "1e100", "1e20", "1e16", "1e15", "1e11", "5e-324", "1e-300", "0", "-0"];

    private static readonly (string Key, string[] Values)[] RootFields =
    [
        ("name", [new string('a', 220), new string('a', 64), new string('b', 65), "x", "a-b-c"]),
        ("start", ["0001-01-01", "1900-01-01", "1899-12-31", "2022-12-31", "2023-02-01", "2200-12-01", "9999-12-01"]),
        ("end", ["9999-12-31", "9999-12-30", "2200-12-31", "2201-01-01", "2122-12-31", "2043-03-31", "2024-03-31", "2023-01-01", "2022-12-31", "0001-01-01"]),
        ("tick", ["day", "week", "month", "year", "", "Day"]),
    ];

    private static readonly string[] EdgeDates = ["0001-01-01", "9999-12-31", "1900-01-01", "2200-12-31", "2023-02-29", "2024-02-29"];

    private static readonly int[] DayShifts = [-36500, -3650, -365, -31, -1, 1, 7, 31, 365, 3650, 36500, 2_900_000];

    private static readonly string[] UnknownKeys = ["extra", "nmae", "Name", "value", "source", "id", "<<"];

    [GeneratedRegex(@"^\d{4}-\d{2}(-\d{2})?$")]
    private static partial Regex DateShape();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdShape();

    /// <summary>Parses YAML text into its root node.</summary>
    public static YamlNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
    }

    /// <summary>Serializes a tree back to YAML text.</summary>
    public static string Serialize(YamlNode root)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>
    /// Compresses every date in [<paramref name="start"/>, <paramref name="end"/>] linearly into
    /// [start, <paramref name="newEnd"/>] (order kept, so events, revenue points and targets stay valid), sets a
    /// root <c>end</c> to <paramref name="newEnd"/> and a root <c>tick</c> to <paramref name="tick"/>.
    /// </summary>
    public static void Shorten(YamlNode root, DateOnly start, DateOnly end, DateOnly newEnd, string? tick)
    {
        var span = (double)(end.DayNumber - start.DayNumber);
        var newSpan = newEnd.DayNumber - start.DayNumber;
        foreach (var (_, node, _) in Walk(root, ""))
        {
            if (node is YamlScalarNode { Value: { } text } scalar && DateShape().IsMatch(text) &&
                DateOnly.TryParseExact(text.Length == 7 ? text + "-01" : text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) &&
                date >= start && date <= end)
            {
                var days = (int)Math.Round((date.DayNumber - start.DayNumber) / span * newSpan);
                scalar.Value = start.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
        }
        if (root is YamlMappingNode map)
        {
            if (map.Children.ContainsKey("end"))
            {
                map.Children["end"] = new YamlScalarNode(newEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            if (tick is not null)
            {
                map.Children["tick"] = new YamlScalarNode(tick);
            }
        }
    }

    /// <summary>Applies <paramref name="mutation"/> to the tree in place and says what it did (for the failure message).</summary>
    public static string Apply(YamlNode root, Mutation mutation)
    {
        var nodes = Walk(root, "").ToList();
        var ids = nodes.Select(n => n.Node).OfType<YamlScalarNode>()
            .Where(s => s.Value is { } v && IdShape().IsMatch(v) && !DateShape().IsMatch(v) && !double.TryParse(v, CultureInfo.InvariantCulture, out _))
            .Select(s => s.Value!).Distinct().Order(StringComparer.Ordinal).ToList();
        var variant = Math.Abs(mutation.Variant);
        switch (mutation.Kind)
        {
            case MutationKind.ReplaceValue:
            {
                var (parent, node, path) = Pick(nodes.Where(n => n.Parent is not null), mutation.Target);
                var replacement = (variant % 8) switch
                {
                    0 => new YamlSequenceNode(),
                    1 => new YamlMappingNode(),
                    2 => new YamlSequenceNode(Clone(node)),
                    3 => new YamlMappingNode(new YamlScalarNode("value"), Clone(node)),
                    _ => (YamlNode)new YamlScalarNode(Scalars[variant % Scalars.Length]),
                };
                Replace(parent!, node, replacement);
                return $"{path} := {Describe(replacement)}";
            }
            case MutationKind.ScaleNumber:
            {
                var numbers = nodes.Where(n => n.Node is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && !DateShape().IsMatch(v));
                var (_, node, path) = Pick(numbers, mutation.Target);
                var scalar = (YamlScalarNode)node;
                var factor = Factors[variant % Factors.Length];
                var value = double.Parse(scalar.Value!, NumberStyles.Float, CultureInfo.InvariantCulture) * factor;
                scalar.Value = (double.IsFinite(value) ? value : double.MaxValue).ToString("R", CultureInfo.InvariantCulture);
                return $"{path} *= {factor:R} -> {scalar.Value}";
            }
            case MutationKind.ExtremeNumber:
            {
                var numbers = nodes.Where(n => n.Node is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && !DateShape().IsMatch(v));
                var (_, node, path) = Pick(numbers, mutation.Target);
                var scalar = (YamlScalarNode)node;
                var before = scalar.Value;
                scalar.Value = Extremes[variant % Extremes.Length];
                return $"{path}: {before} -> {scalar.Value}";
            }
            case MutationKind.RootField:
            {
                if (root is not YamlMappingNode map)
                {
                    throw new NothingToMutateException();
                }
                var (key, values) = RootFields[Math.Abs(mutation.Target) % RootFields.Length];
                var value = values[variant % values.Length];
                map.Children[new YamlScalarNode(key)] = new YamlScalarNode(value);
                return $"{key} := '{(value.Length > 40 ? $"{value[..10]}... ({value.Length} chars)" : value)}'";
            }
            case MutationKind.ShiftDate:
            {
                var dates = nodes.Where(n => n.Node is YamlScalarNode { Value: { } v } && DateShape().IsMatch(v));
                var (_, node, path) = Pick(dates, mutation.Target);
                var scalar = (YamlScalarNode)node;
                var text = scalar.Value!;
                if (variant % 3 == 0 || !DateOnly.TryParseExact(text.Length == 7 ? text + "-01" : text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    scalar.Value = EdgeDates[variant % EdgeDates.Length];
                }
                else
                {
                    var days = DayShifts[variant % DayShifts.Length];
                    var shifted = date.DayNumber + (long)days;
                    scalar.Value = shifted < DateOnly.MinValue.DayNumber ? "0001-01-01"
                        : shifted > DateOnly.MaxValue.DayNumber ? "9999-12-31"
                        : DateOnly.FromDayNumber((int)shifted).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                }
                return $"{path}: {text} -> {scalar.Value}";
            }
            case MutationKind.SwapReference:
            {
                var references = nodes.Where(n => n.Node is YamlScalarNode { Value: { } v } && ids.Contains(v));
                var (_, node, path) = Pick(references, mutation.Target);
                var scalar = (YamlScalarNode)node;
                var before = scalar.Value;
                scalar.Value = variant % 5 == 0 ? "nobody" : ids[variant % ids.Count];
                return $"{path}: {before} -> {scalar.Value}";
            }
            case MutationKind.DropKey:
            {
                var (_, node, path) = Pick(nodes.Where(n => n.Node is YamlMappingNode { Children.Count: > 0 }), mutation.Target);
                var map = (YamlMappingNode)node;
                var key = map.Children.Keys.ElementAt(variant % map.Children.Count);
                map.Children.Remove(key);
                return $"{path}: drop '{key}'";
            }
            case MutationKind.DuplicateItem:
            case MutationKind.RemoveItem:
            {
                var (_, node, path) = Pick(nodes.Where(n => n.Node is YamlSequenceNode { Children.Count: > 0 }), mutation.Target);
                var list = (YamlSequenceNode)node;
                var index = variant % list.Children.Count;
                if (mutation.Kind == MutationKind.DuplicateItem)
                {
                    list.Children.Insert(index + 1, Clone(list.Children[index]));
                    return $"{path}: duplicate item {index}";
                }
                list.Children.RemoveAt(index);
                return $"{path}: remove item {index}";
            }
            case MutationKind.EmptyList:
            {
                var (_, node, path) = Pick(nodes.Where(n => n.Node is YamlSequenceNode), mutation.Target);
                ((YamlSequenceNode)node).Children.Clear();
                return $"{path}: emptied";
            }
            case MutationKind.AddUnknownKey:
            {
                var (_, node, path) = Pick(nodes.Where(n => n.Node is YamlMappingNode), mutation.Target);
                var key = UnknownKeys[variant % UnknownKeys.Length];
                ((YamlMappingNode)node).Children[new YamlScalarNode(key)] = new YamlScalarNode(Scalars[variant % Scalars.Length]);
                return $"{path}: add '{key}'";
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation));
        }
    }

    /// <summary>Every node of the tree with its parent and a dotted path (list items by index), in document order.</summary>
    public static IEnumerable<(YamlNode? Parent, YamlNode Node, string Path)> Walk(YamlNode root, string path, YamlNode? parent = null)
    {
        yield return (parent, root, path.Length == 0 ? "(root)" : path);
        switch (root)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children.ToList())
                {
                    foreach (var n in Walk(value, path.Length == 0 ? $"{key}" : $"{path}.{key}", map))
                    {
                        yield return n;
                    }
                }
                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    foreach (var n in Walk(seq.Children[i], $"{path}[{i}]", seq))
                    {
                        yield return n;
                    }
                }
                break;
        }
    }

    private static (YamlNode? Parent, YamlNode Node, string Path) Pick(IEnumerable<(YamlNode? Parent, YamlNode Node, string Path)> candidates, int target)
    {
        var list = candidates as IList<(YamlNode?, YamlNode, string)> ?? [.. candidates];
        return list.Count == 0 ? throw new NothingToMutateException() : list[Math.Abs(target % list.Count)];
    }

    private static void Replace(YamlNode parent, YamlNode node, YamlNode replacement)
    {
        if (parent is YamlMappingNode map)
        {
            var key = map.Children.First(kv => ReferenceEquals(kv.Value, node)).Key;
            map.Children[key] = replacement;
        }
        else if (parent is YamlSequenceNode seq)
        {
            seq.Children[seq.Children.IndexOf(node)] = replacement;
        }
    }

    /// <summary>A deep copy of a tree (scalars keep their style, so quoted text stays text).</summary>
    public static YamlNode Clone(YamlNode node) => node switch
    {
        YamlScalarNode s => new YamlScalarNode(s.Value) { Style = s.Style, Tag = s.Tag },
        YamlSequenceNode s => new YamlSequenceNode(s.Children.Select(Clone)) { Style = s.Style },
        YamlMappingNode m => new YamlMappingNode(m.Children.Select(kv => new KeyValuePair<YamlNode, YamlNode>(Clone(kv.Key), Clone(kv.Value)))) { Style = m.Style },
        _ => throw new ArgumentException($"cannot copy {node.NodeType}", nameof(node)),
    };

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value is { Length: > 40 } v ? $"'{v[..10]}...' ({v.Length} chars)" : $"'{s.Value}'",
        YamlSequenceNode s => $"[{s.Children.Count} items]",
        YamlMappingNode m => $"{{{string.Join(", ", m.Children.Keys)}}}",
        _ => node.ToString(),
    };
}

/// <summary>The tree has nothing of the kind a mutation needs (e.g. no list left): the case is discarded.</summary>
public sealed class NothingToMutateException : Exception;
