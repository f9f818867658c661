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

        var (fitMin, fitMax, prior) = ReadFit(map.Optional("fit"), value);
        map.RejectUnknown();

        if (Document.Errors.Reports == reportsBefore && value is { } v && kind is not null)
        {
            Document.Provenance.Add(new Provenance(Path, Line, kind, text, v, fitMin, fitMax) { Prior = prior });
        }

        return valueOk ? value : null;
    }

    /// <summary>
    /// Reads <c>fit: {min: a, max: b}</c>, checking min &lt; max and min &lt;= value &lt;= max, and its optional
    /// <c>prior: {centre, sd, evidence}</c> or <c>prior: {median, logSd, evidence}</c>.
    /// </summary>
    private static (double? Min, double? Max, FitPrior? Prior) ReadFit(Node? fitNode, double? value)
    {
        if (fitNode is null)
        {
            return (null, null, null);
        }

        var fit = fitNode.AsMap();
        var min = fit.Required("min").AsDouble();
        var max = fit.Required("max").AsDouble();
        var prior = fit.Optional("prior") is { } priorNode ? ReadPrior(priorNode, min, max) : null;
        fit.RejectUnknown();
        if (min is not { } lo || max is not { } hi)
        {
            return (null, null, null);
        }

        if (lo >= hi)
        {
            fitNode.Report($"expected fit.min < fit.max, got min {Format(lo)} and max {Format(hi)}");
        }
        else if (value is { } v && (v < lo || v > hi))
        {
            fitNode.Report($"value {Format(v)} is outside the fit range [{Format(lo)}, {Format(hi)}]");
        }

        return (lo, hi, prior);
    }

    /// <summary>A prior centre: normal <c>{centre, sd}</c> or log-normal <c>{median, logSd}</c>, with the evidence it rests on.</summary>
    private static FitPrior? ReadPrior(Node node, double? min, double? max)
    {
        var m = node.AsMap();
        var normal = m.Has("centre") || m.Has("sd");
        var log = m.Has("median") || m.Has("logSd");
        if (normal == log)
        {
            m.Has("centre"); m.Has("sd"); m.Has("median"); m.Has("logSd"); m.Has("evidence");
            m.RejectUnknown();
            node.Report(normal
                ? "expected either {centre, sd} (normal) or {median, logSd} (log-normal), got both"
                : "expected {centre: c, sd: s, evidence: \"...\"} (normal) or {median: m, logSd: s, evidence: \"...\"} (log-normal)");
            return null;
        }
        var centreNode = m.Required(normal ? "centre" : "median");
        var centre = centreNode.AsDouble();
        var spread = m.Required(normal ? "sd" : "logSd").AsDouble();
        var evidence = m.Required("evidence").AsString();
        m.RejectUnknown();
        if (centre is not { } c || spread is not { } s || evidence is null)
        {
            return null;
        }
        if (s <= 0)
        {
            m.Required(normal ? "sd" : "logSd").Report($"expected a spread above 0, got {Format(s)}");
            return null;
        }
        if (log && c <= 0)
        {
            centreNode.Report($"expected a median above 0 for a log-normal prior, got {Format(c)}");
            return null;
        }
        if (min is { } lo && max is { } hi && (c < lo || c > hi))
        {
            centreNode.Report($"expected the prior's {(normal ? "centre" : "median")} within the fit range [{Format(lo)}, {Format(hi)}], got {Format(c)}");
            return null;
        }
        if (string.IsNullOrWhiteSpace(evidence))
        {
            m.Required("evidence").Report("'evidence' must not be empty: say where the prior's centre comes from");
            return null;
        }
        return new FitPrior(c, s, log, evidence);
    }

    [GeneratedRegex(@"^seeds/[^\s:]+:[1-9][0-9]*$")]
    private static partial Regex SourceShape();
}
