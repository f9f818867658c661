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
    private ScenarioText(string file, string text, string? seedsDirectory, IReadOnlyList<FitParameter> parameters)
    {
        File = file;
        Text = text;
        SeedsDirectory = seedsDirectory;
        Parameters = parameters;
    }

    public string File { get; }

    public string Text { get; }

    public string? SeedsDirectory { get; }

    /// <summary>The numbers marked <c>fit:</c>, in file order.</summary>
    public IReadOnlyList<FitParameter> Parameters { get; }

    public static ScenarioText Load(string path) =>
        Parse(System.IO.File.ReadAllText(path), path, ScenarioLoader.SeedsDirectory(path));

    /// <exception cref="CalibrationInputException">The file extends another: its numbers live in several files.</exception>
    public static ScenarioText Parse(string text, string file, string? seedsDirectory = null)
    {
        var loaded = ScenarioLoader.Parse(text, file, seedsDirectory: seedsDirectory);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = stream.Documents[0].RootNode;
        if (root is YamlMappingNode top && top.Children.TryGetValue(new YamlScalarNode("extends"), out var extends))
        {
            throw new CalibrationInputException(
                $"{file}:{extends.Start.Line}: the scenario extends {extends}: calibrate writes fitted values into the file that " +
                $"defines them, and this one's numbers come from several files; calibrate the base ({extends}) or a copy without extends");
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

    public LoadedScenario Bind(IReadOnlyList<double> values) => ScenarioLoader.Parse(With(values), File, seedsDirectory: SeedsDirectory);

    /// <summary>Fitted values are written with 6 significant digits: enough to reproduce, short enough to read.</summary>
    public static double Round(double value) => double.Parse(Format(value), CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private string Splice(IReadOnlyList<double> values, string? note)
    {
        if (values.Count != Parameters.Count)
        {
            throw new ArgumentException($"expected {Parameters.Count} values, got {values.Count}");
        }
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

/// <summary>A scenario <c>sim calibrate</c> cannot fit (no <c>fit:</c> parameter, or numbers spread over files by <c>extends</c>): bad input, exit code 2.</summary>
public sealed class CalibrationInputException(string message) : ArgumentException(message);
