using YamlDotNet.RepresentationModel;

namespace Simulation.Scenarios.Yaml;

/// <summary>
/// Reads the fields of a YAML mapping, remembering which keys were asked for so that
/// <see cref="RejectUnknown"/> can report the others (typos) with the nearest valid keys.
/// The path of a field is <c>parent.key</c>. Required fields that are missing are reported at the
/// mapping's line, and the readers return a fallback so that reading goes on.
/// </summary>
public sealed class MapReader
{
    private readonly Dictionary<string, (YamlNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);
    private readonly bool _silent;

    internal MapReader(Node node, YamlMappingNode? map)
    {
        Node = node;
        _silent = map is null;
        if (map is null)
        {
            return;
        }

        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                var found = key is YamlSequenceNode ? "a list" : "a mapping";
                node.Child(key, Node.ChildPath(node.Path, "?")).Report($"expected a plain key (a name), got {found}");
                continue;
            }

            // Duplicates were reported when parsing, before the tree was built.
            if (_entries.TryAdd(name, (key, value)))
            {
                _order.Add(name);
            }
        }
    }

    /// <summary>The mapping node (or the node of another type that this empty reader stands in for).</summary>
    public Node Node { get; }

    /// <summary>All keys present, in document order.</summary>
    public IEnumerable<string> Keys => _order;

    /// <summary>Reports an error at the mapping (e.g. for a rule between fields).</summary>
    public void Report(string message)
    {
        if (!_silent)
        {
            Node.Report(message);
        }
    }

    /// <summary>True if the key is present (even with a null value); marks the key as known.</summary>
    public bool Has(string key)
    {
        _asked.Add(key);
        return _entries.ContainsKey(key);
    }

    /// <summary>The field's node, or null if it is absent or null.</summary>
    public Node? Optional(string key)
    {
        var node = Lookup(key);
        return node is null || node.IsNull ? null : node;
    }

    /// <summary>
    /// The field's node. If it is absent ("missing required field 'key'") or null, reports it and
    /// returns a missing node, which reads as null without further errors.
    /// </summary>
    public Node Required(string key)
    {
        var node = Lookup(key);
        if (node is null)
        {
            Report($"missing required field '{key}'");
            return Node.Missing(Node.ChildPath(Node.Path, key));
        }

        if (node.IsNull)
        {
            node.Report($"required field '{key}' has no value");
            return node.Missing(node.Path);
        }

        return node;
    }

    /// <summary>A string field; with <paramref name="oneOf"/>, other values are reported and read as null.</summary>
    public string? String(string key, bool required = true, IReadOnlyCollection<string>? oneOf = null)
    {
        var node = required ? Required(key) : Optional(key);
        var text = node?.AsString();
        if (text is not null && oneOf is not null && !oneOf.Contains(text, StringComparer.Ordinal))
        {
            node!.Report($"expected one of {string.Join(", ", oneOf)}, got '{text}'");
            return null;
        }

        return text;
    }

    /// <summary>
    /// A required number, written plainly or with its provenance (see <see cref="Node.AsNumber"/>),
    /// within [<paramref name="min"/>, <paramref name="max"/>]. After an error returns a value within
    /// the bounds (0 if allowed) so that reading can go on.
    /// </summary>
    public double Number(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool minExclusive = false) =>
        Required(key).AsNumber(min, max, minExclusive) ?? Fallback(min, max);

    /// <summary>An optional number (null if absent), written plainly or with its provenance.</summary>
    public double? OptionalNumber(string key, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool minExclusive = false) =>
        Optional(key)?.AsNumber(min, max, minExclusive);

    /// <summary>An optional number with a default, written plainly or with its provenance.</summary>
    public double NumberOr(string key, double fallback, double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        OptionalNumber(key, min, max) ?? fallback;

    /// <summary>A required integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string key, int min = int.MinValue, int max = int.MaxValue) =>
        CheckInt(Required(key), min, max) ?? (int)Fallback(min, max);

    /// <summary>An optional integer (null if absent).</summary>
    public int? OptionalInt(string key, int min = int.MinValue, int max = int.MaxValue) =>
        Optional(key) is { } node ? CheckInt(node, min, max) : null;

    /// <summary>An optional integer with a default.</summary>
    public int IntOr(string key, int fallback, int min = int.MinValue, int max = int.MaxValue) =>
        OptionalInt(key, min, max) ?? fallback;

    public bool BoolOr(string key, bool fallback) => Optional(key)?.AsBool() ?? fallback;

    /// <summary>A required date, <c>yyyy-MM-dd</c> or <c>yyyy-MM</c> (the 1st of the month).</summary>
    public DateOnly Date(string key) => Required(key).AsDate() ?? DateOnly.MinValue;

    public DateOnly? OptionalDate(string key) => Optional(key)?.AsDate();

    /// <summary>
    /// A list field, each item bound by <paramref name="bind"/> (item paths <c>key[i]</c>).
    /// An absent or null optional list is empty.
    /// </summary>
    public IReadOnlyList<T> List<T>(string key, Func<Node, T> bind, bool required = true)
    {
        var node = required ? Required(key) : Optional(key);
        if (node is null)
        {
            return [];
        }

        var items = node.AsList();
        var result = new T[items.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = bind(items[i]);
        }

        return result;
    }

    /// <summary>
    /// A mapping with arbitrary keys (e.g. names), each entry bound by <paramref name="bind"/>,
    /// enumerated in ordinal key order. Entries with a null value are passed to <paramref name="bind"/> too.
    /// </summary>
    public IReadOnlyDictionary<string, T> Dict<T>(string key, Func<string, Node, T> bind, bool required = false)
    {
        var result = new SortedDictionary<string, T>(StringComparer.Ordinal);
        var node = required ? Required(key) : Optional(key);
        if (node is null)
        {
            return result;
        }

        var map = node.AsMap();
        foreach (var name in map._order)
        {
            result[name] = bind(name, map.Lookup(name)!);
        }

        return result;
    }

    /// <summary>
    /// Reports each key present but never asked for: <c>unknown field 'markting'; did you mean 'marketing'?</c>
    /// (up to 3 nearest known keys), or <c>unknown field 'x'; expected one of: a, b, c</c>.
    /// Call it after reading all fields of the mapping.
    /// </summary>
    public void RejectUnknown()
    {
        foreach (var name in _order)
        {
            if (!_asked.Contains(name))
            {
                Node.Child(_entries[name].Key, Node.ChildPath(Node.Path, name)).Report(UnknownFieldMessage(name, _asked));
            }
        }
    }

    internal static string UnknownFieldMessage(string name, IReadOnlyCollection<string> known)
    {
        if (known.Count == 0)
        {
            return $"unknown field '{name}'; no fields are expected here";
        }

        var limit = Math.Max(2, name.Length / 3);
        var near = known
            .Select(k => (Key: k, Distance: Levenshtein(name, k)))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(3)
            .Select(c => $"'{c.Key}'")
            .ToList();
        if (near.Count == 0)
        {
            return $"unknown field '{name}'; expected one of: {string.Join(", ", known.Order(StringComparer.Ordinal))}";
        }

        var options = near.Count == 1 ? near[0] : $"{string.Join(", ", near.Take(near.Count - 1))} or {near[^1]}";
        return $"unknown field '{name}'; did you mean {options}?";
    }

    internal static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static double Fallback(double min, double max) => Math.Clamp(0, min, max);

    private static int? CheckInt(Node node, int min, int max)
    {
        if (node.AsInt() is not { } value)
        {
            return null;
        }

        if (value < min || value > max)
        {
            node.Report($"expected {Node.DescribeRange("an integer", min == int.MinValue ? double.NegativeInfinity : min, max == int.MaxValue ? double.PositiveInfinity : max)}, got {value}");
            return null;
        }

        return value;
    }

    private Node? Lookup(string key)
    {
        _asked.Add(key);
        return _entries.TryGetValue(key, out var entry)
            ? Node.Child(entry.Value, Node.ChildPath(Node.Path, key))
            : null;
    }
}
