using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Simulation.Scenarios.Yaml;

/// <summary>
/// A YAML node with its position and path. Conversions report problems to the document's
/// <see cref="ErrorSink"/> and return null instead of throwing, so that reading can go on.
/// </summary>
/// <remarks>
/// A node may be <em>missing</em> (<see cref="Yaml"/> is null): a required field that was not
/// there, or the root after a syntax error. Such a node has already been reported, so reading it
/// reports nothing more and yields null or empty values.
/// </remarks>
public sealed partial class Node
{
    internal const string RootPath = "(root)";

    private readonly bool _silent;

    internal Node(YamlDocument document, YamlNode? yaml, string path, int line, int column, bool silent, string? file = null)
    {
        Document = document;
        File = file ?? document.FileOf(yaml);
        Yaml = yaml;
        Path = path;
        Line = line;
        Column = column;
        _silent = silent && yaml is null;
    }

    public YamlDocument Document { get; }

    /// <summary>The file the node was read from: the document's, or another one's for a tree merged from several files.</summary>
    public string File { get; }

    /// <summary>E.g. <c>companies[2].policy.marketingShare</c>; the root is <c>(root)</c>.</summary>
    public string Path { get; }

    /// <summary>1-based line of the node (of the enclosing mapping for a missing field).</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>The YamlDotNet node, or null for a missing node.</summary>
    public YamlNode? Yaml { get; }

    /// <summary>True if missing, or a plain scalar <c>~</c>, <c>null</c> or empty (or tagged <c>!!null</c>).</summary>
    public bool IsNull => Yaml is null || (Yaml is YamlScalarNode s && IsNullScalar(s));

    /// <summary>Reports an error at this node.</summary>
    public void Report(string message) => Document.Errors.Add(this, message);

    public override string ToString() => $"{File}:{Line}:{Column}: {Path}";

    /// <summary>The node as a mapping; if it is not one, reports it and returns an empty reader.</summary>
    public MapReader AsMap()
    {
        if (Yaml is YamlMappingNode map)
        {
            return new MapReader(this, map);
        }

        ReportWrongType("a mapping");
        return new MapReader(this, null);
    }

    /// <summary>The items of a list (paths <c>parent[i]</c>); if it is not a list, reports it and returns an empty list.</summary>
    public IReadOnlyList<Node> AsList()
    {
        if (Yaml is not YamlSequenceNode seq)
        {
            ReportWrongType("a list");
            return [];
        }

        var items = new Node[seq.Children.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var item = seq.Children[i];
            var path = ItemPath(Path, i, item);
            items[i] = Child(item, path) is var child && IdOf(item) is null && DescribeItem(item) is { } what
                ? child.WithNote($"{path} is {what}")
                : child;
        }

        return items;
    }

    public string? AsString() => Scalar("a string");

    /// <summary>A plain number (invariant culture, scientific notation allowed; NaN and infinities rejected).</summary>
    public double? AsDouble()
    {
        var text = Scalar("a number");
        return text is null ? null : ParseDouble(text);
    }

    /// <summary>
    /// A number written either plainly (<c>0.345</c>) or with its provenance
    /// (<c>{value: 0.345, source: "seeds/x.txt:22"}</c>, <c>fitted:</c> with optional <c>fit: {min, max}</c>,
    /// or <c>assumption:</c>). The value must lie in [<paramref name="min"/>, <paramref name="max"/>].
    /// Every valid number read this way is recorded in <see cref="YamlDocument.Provenance"/>.
    /// </summary>
    public double? AsNumber(double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool minExclusive = false)
    {
        if (Yaml is YamlMappingNode)
        {
            return ReadAnnotatedNumber(min, max, minExclusive);
        }

        var value = AsDouble();
        if (value is not { } v || !InRange(this, v, min, max, minExclusive))
        {
            return null;
        }

        Document.Provenance.Add(new Provenance(Path, Line, Provenance.None, null, v, null, null));
        return v;
    }

    /// <summary>An integer; an integral number in scientific notation such as <c>4.1976e7</c> is accepted.</summary>
    public long? AsLong()
    {
        var text = Scalar("an integer");
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18)
        {
            return (long)d;
        }

        Report($"expected an integer, got '{text}'");
        return null;
    }

    public int? AsInt()
    {
        var value = AsLong();
        if (value is not { } v)
        {
            return null;
        }

        if (v is < int.MinValue or > int.MaxValue)
        {
            Report($"expected an integer in [{int.MinValue}, {int.MaxValue}], got {v}");
            return null;
        }

        return (int)v;
    }

    /// <summary><c>true</c> or <c>false</c> (also capitalised or upper case).</summary>
    public bool? AsBool()
    {
        switch (Scalar("true or false"))
        {
            case null:
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            case var text:
                Report($"expected true or false, got '{text}'");
                return null;
        }
    }

    /// <summary>A date written <c>yyyy-MM-dd</c>, or <c>yyyy-MM</c> meaning the 1st of that month.</summary>
    public DateOnly? AsDate()
    {
        var text = Scalar("a date (yyyy-MM-dd or yyyy-MM)");
        if (text is null)
        {
            return null;
        }

        if (DateShape().IsMatch(text))
        {
            var format = text.Length == 7 ? "yyyy-MM" : "yyyy-MM-dd";
            if (DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                if (date.Year is >= ScenarioLimits.MinYear and <= ScenarioLimits.MaxYear)
                {
                    return date;
                }
                Report($"expected a date in the years {ScenarioLimits.MinYear} to {ScenarioLimits.MaxYear}, got {text}");
                return null;
            }
        }

        Report($"expected a date as yyyy-MM-dd or yyyy-MM, got '{text}'");
        return null;
    }

    internal static string ChildPath(string parent, string key) => parent == RootPath ? key : $"{parent}.{key}";

    /// <summary>
    /// The path of a list item: <c>parent.ID</c> for an item with an <c>id</c>, else <c>parent.INDEX</c>: the one
    /// dialect of errors, <c>--set</c>, tables and provenance.
    /// </summary>
    internal static string ItemPath(string parent, int index, YamlNode? item = null) =>
        ChildPath(parent, IdOf(item) ?? index.ToString(CultureInfo.InvariantCulture));

    /// <summary>The <c>id</c> of a list item that is a mapping with a non-empty plain id, else null.</summary>
    internal static string? IdOf(YamlNode? item) =>
        item is YamlMappingNode map
        && map.Children.FirstOrDefault(e => e.Key is YamlScalarNode { Value: "id" }).Value is YamlScalarNode { Value: { Length: > 0 } id }
        && !id.Contains('.', StringComparison.Ordinal)
            ? id
            : null;

    /// <summary>Words for an item without an id (an event: its kind and date; a revenue point: its date), so messages say which item.</summary>
    private static string? DescribeItem(YamlNode item)
    {
        if (item is not YamlMappingNode map)
        {
            return null;
        }
        string? Field(string key) => map.Children.FirstOrDefault(e => e.Key is YamlScalarNode k && k.Value == key).Value is YamlScalarNode { Value: { Length: > 0 } v } ? v : null;
        return (Field("kind"), Field("date") ?? Field("from") ?? Field("month")) switch
        {
            ({ } kind, { } date) => $"the {kind} of {date}",
            ({ } kind, null) => $"the {kind} item",
            (null, { } date) => $"the item of {date}",
            _ => null,
        };
    }

    /// <summary>Which list item this node is in, when the item has no id (appended to its errors); null otherwise.</summary>
    public string? Note { get; private init; }

    private Node WithNote(string note) => new(Document, Yaml, Path, Line, Column, _silent, File) { Note = note };

    /// <summary>A child node of this one at the child's own position.</summary>
    internal Node Child(YamlNode yaml, string path) =>
        new(Document, yaml, path, YamlDocument.ToInt(yaml.Start.Line), YamlDocument.ToInt(yaml.Start.Column), silent: false) { Note = Note };

    /// <summary>A missing node (reports nothing when read) at this node's position.</summary>
    internal Node Missing(string path) => new(Document, null, path, Line, Column, silent: true, File) { Note = Note };

    /// <summary>A number as written in a scenario: exact, and large round numbers short (<c>1e15</c>, not 1000000000000000).</summary>
    internal static string Format(double value)
    {
        if (Math.Abs(value) >= 1e6 && double.IsFinite(value))
        {
            var shortForm = value.ToString("0.######e0", CultureInfo.InvariantCulture);
            if (double.Parse(shortForm, CultureInfo.InvariantCulture) == value)
            {
                return shortForm;
            }
        }
        return value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Checks a value against bounds, reporting e.g. "expected a number in [0, 1], got 1.5".</summary>
    internal static bool InRange(Node at, double value, double min, double max, bool minExclusive = false)
    {
        if ((minExclusive ? value > min : value >= min) && value <= max)
        {
            return true;
        }

        at.Report($"expected {DescribeRange("a number", min, max, minExclusive)}, got {Format(value)}");
        return false;
    }

    internal static string DescribeRange(string what, double min, double max, bool minExclusive = false) =>
        (double.IsNegativeInfinity(min), double.IsPositiveInfinity(max)) switch
        {
            (false, false) => $"{what} in {(minExclusive ? "(" : "[")}{Format(min)}, {Format(max)}]",
            (false, true) => $"{what} {(minExclusive ? ">" : ">=")} {Format(min)}",
            (true, false) => $"{what} <= {Format(max)}",
            _ => what,
        };

    private static bool IsNullScalar(YamlScalarNode s)
    {
        if (s.Tag.IsEmpty || s.Tag.IsNonSpecific)
        {
            return s.Style == ScalarStyle.Plain && s.Value is null or "" or "~" or "null" or "Null" or "NULL";
        }

        // TagName.Value throws for empty and non-specific tags, hence the order.
        return s.Tag.Value == "tag:yaml.org,2002:null";
    }

    /// <summary>The text of a non-null scalar, or null after reporting what was found instead.</summary>
    private string? Scalar(string expected)
    {
        if (Yaml is YamlScalarNode s && !IsNullScalar(s))
        {
            return s.Value ?? "";
        }

        ReportWrongType(expected);
        return null;
    }

    private void ReportWrongType(string expected)
    {
        if (!_silent)
        {
            Report($"expected {expected}, got {Found()}");
        }
    }

    private string Found() => Yaml switch
    {
        null => "nothing",
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNullScalar(s) => "null",
        YamlScalarNode s => $"'{s.Value}'",
        _ => Yaml.NodeType.ToString(),
    };

    private double? ParseDouble(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            Report($"expected a number, got '{text}'");
            return null;
        }

        if (!double.IsFinite(v))
        {
            Report($"expected a finite number, got '{text}'");
            return null;
        }

        return v;
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$")]
    private static partial Regex DateShape();
}
