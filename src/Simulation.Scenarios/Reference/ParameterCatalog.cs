using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Simulation.Model.Config;

namespace Simulation.Scenarios.Reference;

/// <summary>One declared field at its place in a scenario: <c>markets.&lt;market&gt;.potential</c>.</summary>
/// <param name="Path">The path template: list items are <c>&lt;market&gt;</c>-style placeholders for their ids (<c>&lt;n&gt;</c>: an index).</param>
public sealed record CatalogEntry(string Path, ParamDeclaration Declaration);

/// <summary>
/// Every field of a scenario, walked from <see cref="ScenarioInfo"/> through the declarations of the records
/// it holds (<see cref="ParamReflection"/>): what README's reference table and <c>sim schema</c> print, and what
/// sweeps, sensitivity and calibration may offer. Nothing here repeats a declaration.
/// </summary>
public static class ParameterCatalog
{
    /// <summary>The placeholder of a list's items in a path template, by the list's key.</summary>
    private static readonly Dictionary<string, string> ItemNames = new(StringComparer.Ordinal)
    {
        ["markets"] = "<market>",
        ["companies"] = "<company>",
        ["apps"] = "<app>",
        ["tiers"] = "<tier>",
        ["researchers"] = "<researcher>",
        ["regions"] = "<region>",
        ["events"] = "<event>",
        ["targets"] = "<target>",
        ["revenue"] = "<n>",
    };

    /// <summary>Every declared field, depth first in declaration order (a list or object before its fields).</summary>
    public static ImmutableArray<CatalogEntry> All { get; } = [.. Walk(typeof(ScenarioInfo), "")];

    /// <summary>The placeholder of an item of the list <paramref name="listKey"/> (<c>&lt;n&gt;</c> for a list whose items have no id).</summary>
    public static string ItemPlaceholder(string listKey) => ItemNames.GetValueOrDefault(listKey, "<n>");

    /// <summary>True if <paramref name="path"/> (with ids, e.g. <c>companies.bytedance.policy.poachRate</c>) matches <paramref name="template"/>.</summary>
    public static bool Matches(string template, string path)
    {
        var t = template.Split('.');
        var p = path.Split('.');
        if (t.Length != p.Length)
        {
            return false;
        }
        for (var i = 0; i < t.Length; i++)
        {
            if (!(t[i].StartsWith('<') || t[i] == p[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The declaration of the field a concrete path names, or null if it names none.</summary>
    public static ParamDeclaration? Find(string path)
    {
        if (All.FirstOrDefault(e => Matches(e.Path, path)) is { } entry)
        {
            return entry.Declaration;
        }
        // An entry of a map of numbers (companies.<company>.workforce.<tier>) is the map's own declaration.
        var parent = path.LastIndexOf('.') is var dot and > 0 ? path[..dot] : "";
        return All.FirstOrDefault(e => e.Declaration.Kind == ParamKind.NumberMap && Matches(e.Path, parent))?.Declaration;
    }

    /// <summary>README's reference table (Markdown), one row per declared field.</summary>
    public static string MarkdownTable()
    {
        var sb = new StringBuilder();
        sb.Append("| path | type | unit | default | valid | uses | meaning |\n");
        sb.Append("|---|---|---|---|---|---|---|\n");
        foreach (var (path, d) in All)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"| `{path}` | {TypeName(d)} | {d.Unit} | {DefaultText(d)} | {RangeText(d)} | {UseText(d.Use)} | {Escape(d.Meaning)}{KindsText(d)} |\n");
        }
        return sb.ToString();
    }

    /// <summary>A short name of the field's type, as README and the schema's descriptions use it.</summary>
    public static string TypeName(ParamDeclaration d) => d.Kind switch
    {
        ParamKind.Number => "number",
        ParamKind.Integer => "integer",
        ParamKind.Boolean => "true/false",
        ParamKind.Text => "text",
        ParamKind.Id => "id",
        ParamKind.Reference => $"{Singular(d.Declared.References!)} id{(d.Declared.AllowsNone ? " or none" : "")}",
        ParamKind.Date => "date",
        ParamKind.Choice => string.Join(" \\| ", d.Choices),
        ParamKind.Object => "mapping",
        ParamKind.List => "list",
        ParamKind.NumberMap when d.Declared.References == "decisions" => "policy field: number",
        ParamKind.NumberMap => $"{Singular(d.Declared.References!)} id: number",
        _ => d.Kind.ToString(),
    };

    /// <summary>The default as a scenario would write it; "required" or empty when there is none.</summary>
    public static string DefaultText(ParamDeclaration d)
    {
        if (d.Required)
        {
            return "required";
        }
        if (d.Declared.RequiredFor.Length > 0)
        {
            var all = d.Declared.Kinds.Length == 0 || d.Declared.Kinds.All(k => d.Declared.RequiredFor.Contains(k));
            return all ? "required" : $"required for {string.Join(", ", d.Declared.RequiredFor)}; else {Format(d.Default)}";
        }
        return d.Default switch
        {
            null => "",
            string { Length: 0 } => "",
            System.Collections.IEnumerable and not string => "",
            _ when d.Kind is ParamKind.Object => "",
            Enum e => Word(e),
            _ => Format(d.Default),
        };
    }

    /// <summary>The valid values of a number: <c>[0, 1]</c>, <c>&gt; 0</c>, <c>&gt;= 0</c>.</summary>
    public static string RangeText(ParamDeclaration d)
    {
        if (d.Declared.MaxLength > 0)
        {
            return $"at most {d.Declared.MaxLength} characters";
        }
        if (d.Kind is not (ParamKind.Number or ParamKind.Integer or ParamKind.NumberMap) || d.Declared.References == "decisions")
        {
            return "";
        }
        var (min, max, open) = (d.Min, d.Max, d.Declared.MinExclusive);
        return (double.IsNegativeInfinity(min), double.IsPositiveInfinity(max)) switch
        {
            (false, false) => $"{(open ? "(" : "[")}{Format(min)}, {Format(max)}]",
            (false, true) => $"{(open ? ">" : ">=")} {Format(min)}",
            (true, false) => $"<= {Format(max)}",
            _ => "any",
        };
    }

    public static string UseText(ParamUse use)
    {
        var words = new List<string>();
        if (use.HasFlag(ParamUse.Override)) { words.Add("set"); }
        if (use.HasFlag(ParamUse.Sweep)) { words.Add("sweep"); }
        if (use.HasFlag(ParamUse.Fit)) { words.Add("fit"); }
        if (use.HasFlag(ParamUse.Decision)) { words.Add("decision"); }
        return string.Join(", ", words);
    }

    internal static string Format(object? value) => value switch
    {
        double v when Math.Abs(v) >= 1e6 => v.ToString("0.###e0", CultureInfo.InvariantCulture),
        double v => v.ToString("G", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => Word(e),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };

    private static string Word(Enum e) => char.ToLowerInvariant(e.ToString()[0]) + e.ToString()[1..];

    private static string KindsText(ParamDeclaration d) =>
        d.Declared.Kinds.Length == 0 ? "" : $"; kinds: {string.Join(", ", d.Declared.Kinds)}";

    private static string Singular(string list) => list switch
    {
        "companies" => "company",
        "researchers" => "researcher",
        "decisions" => "decision",
        "series" => "series",
        _ => list.TrimEnd('s'),
    };

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static IEnumerable<CatalogEntry> Walk(Type record, string prefix)
    {
        foreach (var d in ParamReflection.Of(record))
        {
            var path = prefix.Length == 0 ? d.Key : $"{prefix}.{d.Key}";
            yield return new CatalogEntry(path, d);
            var inner = d.Kind switch
            {
                ParamKind.Object => Walk(d.ItemType!, path),
                ParamKind.List => Walk(d.ItemType!, $"{path}.{ItemPlaceholder(d.Key)}"),
                _ => [],
            };
            foreach (var entry in inner)
            {
                yield return entry;
            }
        }
    }
}
