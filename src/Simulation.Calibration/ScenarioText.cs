using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;
using YamlDotNet.RepresentationModel;

namespace Simulation.Calibration;

/// <summary>
/// A scenario file's text with its fit parameters located, so that trial values can be spliced in
/// (to evaluate them) and fitted values written back with their provenance, leaving every other
/// character of the file (comments, layout) as it was.
/// </summary>
public sealed partial class ScenarioText
{
    private ScenarioText(string file, string text, string? seedsDirectory, IReadOnlyList<FitParameter> parameters, LoadedScenario? composed = null, string? extends = null)
    {
        File = file;
        Text = text;
        SeedsDirectory = seedsDirectory;
        Parameters = parameters;
        _composed = composed;
        Extends = extends;
    }

    /// <summary>For a file that extends another: the composed scenario trial values are applied to as overrides.</summary>
    private readonly LoadedScenario? _composed;

    /// <summary>
    /// The file's <c>extends:</c> (as written), or null. Such a file's numbers live in several files, so trial values
    /// are applied as overrides (<c>PATH=VALUE</c>) rather than spliced, and fitted values go into a new what-if
    /// (<see cref="FittedWhatIf"/>) instead of back into the text.
    /// </summary>
    public string? Extends { get; }

    public string File { get; }

    public string Text { get; }

    public string? SeedsDirectory { get; }

    /// <summary>The numbers marked <c>fit:</c>, in file order.</summary>
    public IReadOnlyList<FitParameter> Parameters { get; }

    public static ScenarioText Load(string path) =>
        Parse(System.IO.File.ReadAllText(path), path, ScenarioLoader.SeedsDirectory(path));

    /// <summary>
    /// The file's fit parameters: for a file that extends another, every number of the composed scenario with fit
    /// bounds, whichever file declares them (its <c>extends</c> is resolved relative to <paramref name="file"/>).
    /// </summary>
    public static ScenarioText Parse(string text, string file, string? seedsDirectory = null)
    {
        var loaded = ScenarioLoader.Parse(text, file, seedsDirectory: seedsDirectory);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = stream.Documents[0].RootNode;
        if (root is YamlMappingNode top && top.Children.TryGetValue(new YamlScalarNode("extends"), out var extends))
        {
            var fits = loaded.Provenance
                .Where(p => p.FitMin is not null && p.FitMax is not null)
                .Select(p => new FitParameter(p.Path, p.Line, p.Value, p.FitMin!.Value, p.FitMax!.Value) { Prior = p.Prior })
                .ToList();
            return new ScenarioText(file, text, seedsDirectory, fits, loaded, extends is YamlScalarNode { Value: { } e } ? e : extends.ToString());
        }
        var lineStarts = LineStarts(text);
        var parameters = new List<FitParameter>();
        foreach (var p in loaded.Provenance.Where(p => p.FitMin is not null && p.FitMax is not null))
        {
            var mapping = Navigate(root, p.Path) as YamlMappingNode
                ?? throw new InvalidOperationException($"{file}:{p.Line}: {p.Path}: a fitted number must be written as a mapping with value and fit");
            var value = mapping.Children[new YamlScalarNode("value")];
            var (noteKey, noteValue) = mapping.Children.First(kv => kv.Key is YamlScalarNode { Value: Provenance.Source or Provenance.Fitted or Provenance.Assumption });
            parameters.Add(new FitParameter(p.Path, p.Line, p.Value, p.FitMin!.Value, p.FitMax!.Value)
            {
                Prior = p.Prior,
                ValueStart = Offset(lineStarts, value.Start),
                ValueEnd = Offset(lineStarts, value.End),
                NoteStart = Offset(lineStarts, noteKey.Start),
                NoteEnd = Offset(lineStarts, noteValue.End),
            });
        }
        return new ScenarioText(file, text, seedsDirectory, parameters);
    }

    /// <summary>The text with the parameters set to <paramref name="values"/>.</summary>
    public string With(IReadOnlyList<double> values) => Splice(values, note: null);

    /// <summary>The text with fitted values written back and their provenance set to <paramref name="fittedBy"/>.</summary>
    public string WithFitted(IReadOnlyList<double> values, string fittedBy) => Splice(values, fittedBy);

    /// <summary>
    /// <paramref name="text"/> (this file's, or one derived from it with the same layout before its <c>name:</c>) with the
    /// scenario's top-level <c>name:</c> set to <paramref name="name"/>, every other character kept: a fitted copy gets a
    /// name of its own, so its runs do not overwrite the original's <c>out/&lt;name&gt;</c>.
    /// </summary>
    public static string Renamed(string text, string name)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("name"), out var node) || node is not YamlScalarNode scalar)
        {
            throw new CalibrationInputException("the scenario has no top-level name: to rename");
        }
        var starts = LineStarts(text);
        var (start, end) = (Offset(starts, scalar.Start), Offset(starts, scalar.End));
        return string.Concat(text.AsSpan(0, start), name, text.AsSpan(end));
    }

    /// <summary>
    /// The scenario with its fitting window ending at <paramref name="month"/> (<c>fitUntil: yyyy-MM</c>): the file's
    /// top-level <c>fitUntil</c> replaced where it is written, or added before its first key, every other character
    /// kept. For a file that <c>extends</c> another, the key goes into the what-if itself, whose top-level keys replace
    /// its base's: the composed scenario gets it as an override. Nothing is written to disk.
    /// </summary>
    /// <exception cref="CalibrationInputException">The file is not a mapping, or its fitUntil is not a plain value.</exception>
    public ScenarioText WithFitUntil(DateOnly month) =>
        Parse(WithTopLevel(Text, "fitUntil", month.ToString("yyyy-MM", CultureInfo.InvariantCulture)), File, SeedsDirectory);

    /// <summary>
    /// The scenario under the name <paramref name="name"/> (its top-level <c>name:</c> replaced, or added; for a what-if,
    /// in the what-if itself), so that its runs do not overwrite the original's <c>out/&lt;name&gt;</c>.
    /// </summary>
    public ScenarioText WithName(string name) => Parse(WithTopLevel(Text, "name", name), File, SeedsDirectory);

    /// <summary>
    /// The same scenario with its fit parameters starting at <paramref name="values"/>: what the calibration's first
    /// start and the posterior's chains start from, and what <see cref="Bind"/> of the starts gives (the rest of the
    /// text is unchanged; a file that extends another keeps its text and composed scenario, only the starts move).
    /// </summary>
    public ScenarioText StartingAt(IReadOnlyList<double> values)
    {
        CheckCount(values);
        return _composed is null
            ? Parse(With(values), File, SeedsDirectory)
            : new ScenarioText(File, Text, SeedsDirectory, [.. Parameters.Select((p, i) => p with { Start = values[i] })], _composed, Extends);
    }

    /// <summary><paramref name="text"/> with the top-level scalar <paramref name="key"/> set to <paramref name="value"/> by position, or inserted before the first key.</summary>
    private static string WithTopLevel(string text, string key, string value)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root || root.Children.Count == 0)
        {
            throw new CalibrationInputException($"the scenario is not a mapping of keys: cannot set its {key}");
        }
        var starts = LineStarts(text);
        if (root.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            if (node is not YamlScalarNode scalar)
            {
                throw new CalibrationInputException($"the scenario's {key} is not a plain value: cannot set it");
            }
            var (start, end) = (Offset(starts, scalar.Start), Offset(starts, scalar.End));
            return string.Concat(text.AsSpan(0, start), value, text.AsSpan(end));
        }
        var first = root.Children.Keys.First();
        var at = Offset(starts, first.Start);
        var inserted = root.Style == YamlDotNet.Core.Events.MappingStyle.Flow
            ? $"{key}: {value}, "
            : $"{key}: {value}\n{new string(' ', (int)first.Start.Column - 1)}";
        return text.Insert(at, inserted);
    }

    /// <summary>
    /// The bound configuration at <paramref name="values"/>, fast: the numbers, as <see cref="Bind"/> reads them
    /// (<see cref="AsBound"/>), are set on a copy of the records bound at the file's values (<see cref="Posterior.DirectValues"/>),
    /// which is checked once against a full bind at another point; where the check fails, or a value is refused, the text
    /// is bound in full (<see cref="Bind"/>). An evaluation of the objective then costs the run, not the parsing.
    /// </summary>
    public Simulation.Model.Config.ScenarioInfo Info(IReadOnlyList<double> values)
    {
        CheckCount(values);
        var fast = LazyInitializer.EnsureInitialized(ref _fast, () => FastBinder.Create(this));
        return (fast.Direct is { } direct ? direct.Apply(fast.Template, AsBound(values), fast.All) : null) ?? Bind(values).Info;
    }

    /// <summary>
    /// The numbers <see cref="Bind"/> of <paramref name="values"/> gives the scenario: spliced into the text they are written
    /// with 6 significant digits (<see cref="Round"/>); as overrides (a file that extends another) they round-trip exactly.
    /// </summary>
    private IReadOnlyList<double> AsBound(IReadOnlyList<double> values) =>
        _composed is null ? [.. values.Select(Round)] : values;

    private FastBinder? _fast;

    private sealed record FastBinder(Simulation.Model.Config.ScenarioInfo Template, Posterior.DirectValues? Direct, bool[] All)
    {
        public static FastBinder Create(ScenarioText text)
        {
            var start = text.Parameters.Select(p => p.Start).ToArray();
            var template = text.Bind(start).Info;
            var direct = Posterior.DirectValues.For(template, [.. text.Parameters.Select(p => p.Path)]);
            var all = Enumerable.Repeat(true, text.Parameters.Count).ToArray();
            // The check: at a point where every number differs from the file's (and has more digits than the text keeps),
            // both ways must give the same configuration.
            var probe = text.Parameters.Select(p => p.Min + p.Range * (p.Start - p.Min < p.Range / 2 ? 0.61803 : 0.38197)).ToArray();
            if (direct?.Apply(template, text.AsBound(probe), all) is not { } quick || quick.Fingerprint() != text.Bind(probe).Info.Fingerprint())
            {
                direct = null;
            }
            return new FastBinder(template, direct, all);
        }
    }

    public LoadedScenario Bind(IReadOnlyList<double> values) =>
        _composed is null
            ? ScenarioLoader.Parse(With(values), File, seedsDirectory: SeedsDirectory)
            : ScenarioOverrides.Apply(_composed, Sets(values));

    private string[] Sets(IReadOnlyList<double> values)
    {
        CheckCount(values);
        return [.. Parameters.Select((p, i) => ScenarioOverrides.SetText(p.Path, values[i]))];
    }

    private void CheckCount(IReadOnlyList<double> values)
    {
        if (values.Count != Parameters.Count)
        {
            throw new ArgumentException($"expected {Parameters.Count} values, got {values.Count}");
        }
    }

    /// <summary>
    /// For a file that extends another: a new what-if, to be written at <paramref name="outputPath"/>, that extends this
    /// file (by a path relative to the new file's folder), is named <paramref name="name"/> and sets each fitted number,
    /// with its provenance and fit bounds, under <c>set:</c>. The calibrated file and its bases are left as they are.
    /// </summary>
    public string FittedWhatIf(IReadOnlyList<double> values, string fittedBy, string name, string outputPath)
    {
        if (_composed is null)
        {
            throw new InvalidOperationException($"{File} does not extend another: write the fitted values into its text (WithFitted)");
        }
        CheckCount(values);
        var relative = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(outputPath))!, Path.GetFullPath(File)).Replace('\\', '/');
        var note = fittedBy.Replace("\\", "/").Replace("\"", "'");
        var sb = new StringBuilder();
        sb.Append("# ").Append(Path.GetFileName(File)).Append(" with its fit: numbers fitted by sim calibrate (each says how, in fitted:).\n");
        sb.Append("extends: ").Append(Quoted(relative)).Append('\n');
        sb.Append("name: ").Append(name).Append('\n');
        sb.Append("set:\n");
        for (var i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            sb.Append("  ").Append(Quoted(p.Path)).Append(": {value: ").Append(Format(values[i]))
              .Append(", fitted: \"").Append(note).Append("\", fit: {min: ").Append(Format(p.Min))
              .Append(", max: ").Append(Format(p.Max)).Append(PriorText(p.Prior)).Append("}}\n");
        }
        return sb.ToString();
    }

    /// <summary>The prior as written in <c>fit:</c> (", prior: {...}"), or nothing for a uniform one.</summary>
    private static string PriorText(FitPrior? prior) => prior is null ? "" : prior.Log
        ? $", prior: {{median: {Format(prior.Centre)}, logSd: {Format(prior.Spread)}, evidence: {Quoted(prior.Evidence)}}}"
        : $", prior: {{centre: {Format(prior.Centre)}, sd: {Format(prior.Spread)}, evidence: {Quoted(prior.Evidence)}}}";

    /// <summary>A path or file name as a YAML scalar: plain when it is safe, else double-quoted.</summary>
    private static string Quoted(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/')
            ? text
            : "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>Fitted values are written with 6 significant digits: enough to reproduce, short enough to read.</summary>
    public static double Round(double value) => double.Parse(Format(value), CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private string Splice(IReadOnlyList<double> values, string? note)
    {
        if (_composed is not null)
        {
            throw new InvalidOperationException($"{File} extends {Extends}: its numbers live in several files; use Bind or FittedWhatIf");
        }
        CheckCount(values);
        var edits = new List<(int Start, int End, string Text)>();
        for (var i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            edits.Add((p.ValueStart, p.ValueEnd, Format(values[i])));
            if (note is not null)
            {
                edits.Add((p.NoteStart, p.NoteEnd, $"fitted: \"{note.Replace("\"", "'")}\""));
            }
        }
        var sb = new StringBuilder(Text);
        foreach (var (start, end, text) in edits.OrderByDescending(e => e.Start))
        {
            sb.Remove(start, end - start).Insert(start, text);
        }
        return sb.ToString();
    }

    /// <summary>The node a path names: mapping keys by name, list items by their id, else by index.</summary>
    private static YamlNode? Navigate(YamlNode root, string path)
    {
        YamlNode? node = root;
        foreach (var segment in path.Split('.'))
        {
            node = node switch
            {
                YamlMappingNode map => map.Children.TryGetValue(new YamlScalarNode(segment), out var child) ? child : null,
                YamlSequenceNode seq => seq.Children.FirstOrDefault(item => item is YamlMappingNode m
                        && m.Children.TryGetValue(new YamlScalarNode("id"), out var id) && id is YamlScalarNode { Value: var v } && v == segment)
                    ?? (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < seq.Children.Count ? seq.Children[i] : null),
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }
        return [.. starts];
    }

    /// <summary>A YAML mark (1-based line and column) as an offset into the text.</summary>
    private static int Offset(int[] lineStarts, YamlDotNet.Core.Mark mark) => lineStarts[(int)mark.Line - 1] + (int)mark.Column - 1;
}

/// <summary>A scenario <c>sim calibrate</c> cannot fit (no <c>fit:</c> parameter): bad input, exit code 2.</summary>
public sealed class CalibrationInputException(string message) : ArgumentException(message);
