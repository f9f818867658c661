using System.Text.RegularExpressions;

namespace Simulation.Scenarios.Yaml;

public sealed partial class Node
{
    private static readonly string[] ProvenanceKinds = [Provenance.Source, Provenance.Fitted, Provenance.Assumption];

    /// <summary>
    /// Reads <c>{value: v, source|fitted|assumption: "text", fit: {min: a, max: b}}</c>.
    /// Returns the value if the value itself is valid; records the provenance only if the whole
    /// mapping is.
    /// </summary>
    private double? ReadAnnotatedNumber(double min, double max, bool minExclusive)
    {
        var reportsBefore = Document.Errors.Reports;
        var map = AsMap();
        // The value's errors name the number's own path (markets.x.imitation, as --set takes it), at the value's place.
        var written = map.Required("value");
        var valueNode = written.Yaml is null ? written : new Node(Document, written.Yaml, Path, written.Line, written.Column, silent: false, written.File) { Note = Note };
        var value = valueNode.AsDouble();
        var valueOk = value is { } v0 && InRange(valueNode, v0, min, max, minExclusive);

        string? kind = null;
        string? text = null;
        foreach (var candidate in ProvenanceKinds)
        {
            if (map.Optional(candidate) is not { } node)
            {
                continue;
            }

            if (kind is not null)
            {
                node.Report($"expected only one of 'source', 'fitted' or 'assumption', got both '{kind}' and '{candidate}'");
                continue;
            }

            kind = candidate;
            text = node.AsString();
            if (text is not null && string.IsNullOrWhiteSpace(text))
            {
                node.Report($"'{candidate}' must not be empty");
            }
            else if (text is not null && candidate == Provenance.Source && !SourceShape().IsMatch(text))
            {
                node.Report($"expected a source as 'seeds/<file>:<line>', got '{text}'");
            }
        }

        if (kind is null)
        {
            Report("a number written as a mapping needs exactly one of 'source', 'fitted' or 'assumption' next to 'value'");
        }

        var (fitMin, fitMax) = ReadFit(map.Optional("fit"), value);
        map.RejectUnknown();

        if (Document.Errors.Reports == reportsBefore && value is { } v && kind is not null)
        {
            Document.Provenance.Add(new Provenance(Path, Line, kind, text, v, fitMin, fitMax));
        }

        return valueOk ? value : null;
    }

    /// <summary>Reads <c>fit: {min: a, max: b}</c>, checking min &lt; max and min &lt;= value &lt;= max.</summary>
    private static (double? Min, double? Max) ReadFit(Node? fitNode, double? value)
    {
        if (fitNode is null)
        {
            return (null, null);
        }

        var fit = fitNode.AsMap();
        var min = fit.Required("min").AsDouble();
        var max = fit.Required("max").AsDouble();
        fit.RejectUnknown();
        if (min is not { } lo || max is not { } hi)
        {
            return (null, null);
        }

        if (lo >= hi)
        {
            fitNode.Report($"expected fit.min < fit.max, got min {Format(lo)} and max {Format(hi)}");
        }
        else if (value is { } v && (v < lo || v > hi))
        {
            fitNode.Report($"value {Format(v)} is outside the fit range [{Format(lo)}, {Format(hi)}]");
        }

        return (lo, hi);
    }

    [GeneratedRegex(@"^seeds/[^\s:]+:[1-9][0-9]*$")]
    private static partial Regex SourceShape();
}
