using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Simulation.Model.Config;
using Simulation.Scenarios.Yaml;
using YamlMappingNode = YamlDotNet.RepresentationModel.YamlMappingNode;
using YamlNode = YamlDotNet.RepresentationModel.YamlNode;
using YamlScalarNode = YamlDotNet.RepresentationModel.YamlScalarNode;
using YamlSequenceNode = YamlDotNet.RepresentationModel.YamlSequenceNode;
using YamlStream = YamlDotNet.RepresentationModel.YamlStream;

namespace Simulation.Scenarios;

/// <summary>A number in a scenario that a sweep or a sensitivity analysis may change: its path and value.</summary>
/// <param name="Path">E.g. <c>companies.alibaba.policy.arbitrationProbability</c> (see <see cref="ScenarioOverrides"/>).</param>
public sealed record NumericParameter(string Path, double Value);

/// <summary>
/// What-ifs and overrides, applied to the YAML tree before it is bound:
/// <list type="bullet">
/// <item><c>extends: base.yaml</c> (relative to the file) takes the base scenario; the file's other top-level
/// keys replace the base's; then <c>add: {LIST-PATH: [items]}</c> and <c>addEvents: [events]</c> append to
/// lists, and <c>set: {PATH: value}</c> replaces values, in that order.</item>
/// <item><c>sim run FILE --set PATH=VALUE</c> (repeatable) does what a <c>set:</c> entry does, after the file's own.</item>
/// </list>
/// A path is dotted: mapping keys by name, list items by their <c>id</c> (else by index), <c>*</c> for every
/// child (<c>companies.*.policy.poachRate</c>). Every segment but the last must exist; the last may be a field
/// the file leaves to its default (the binder checks it is a valid one). A number replaced by an override is
/// recorded in the provenance as <c>assumption: "override from FILE:LINE"</c> (or <c>--set PATH=VALUE</c>).
/// </summary>
public static class ScenarioOverrides
{
    /// <summary>The file name of errors in a <c>--set</c> option; the line is the option's position among them.</summary>
    public const string SetOption = "--set";

    private const string Extends = "extends";
    private const string Set = "set";
    private const string Add = "add";
    private const string AddEvents = "addEvents";
    private const string Remove = "remove";
    private static readonly string[] ControlKeys = [Extends, Set, Add, AddEvents, Remove];
    private static readonly string[] ProvenanceKeys = [Provenance.Source, Provenance.Fitted, Provenance.Assumption];

    /// <summary>The scenario with one number changed by path, as if by <c>--set PATH=VALUE</c> after its own overrides.</summary>
    /// <exception cref="ScenarioException">The path does not exist, or the new value is invalid there.</exception>
    public static LoadedScenario Apply(LoadedScenario scenario, string path, double value) =>
        Apply(scenario, [SetText(path, value)]);

    /// <summary>The scenario with further <c>PATH=VALUE</c> overrides, applied after those it was loaded with.</summary>
    /// <exception cref="ScenarioException">An override is malformed, names no existing path, or gives an invalid value.</exception>
    public static LoadedScenario Apply(LoadedScenario scenario, IReadOnlyList<string> sets)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(sets);
        return ScenarioLoader.Bind(Compose(SourcesOf(scenario), [.. scenario.Sets, .. sets]), sha256: null);
    }

    /// <summary>
    /// Every number of the scenario (after its overrides) that its declaration offers to sweeps and sensitivity
    /// analysis (<see cref="ParamUse.Sweep"/>), as a path <see cref="Apply(LoadedScenario, string, double)"/> accepts,
    /// in file order: plain numbers and numbers written with their provenance. <c>seed</c>, ids and <c>targets</c> are
    /// not among them (they do not change what a run does).
    /// </summary>
    public static IReadOnlyList<NumericParameter> NumericPaths(LoadedScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var composed = Compose(SourcesOf(scenario), scenario.Sets);
        var result = new List<NumericParameter>();
        if (composed.Document.Root.Yaml is YamlMappingNode root)
        {
            foreach (var (key, value) in root.Children)
            {
                if (key is YamlScalarNode { Value: { } name })
                {
                    CollectNumbers(value, name, result);
                }
            }
        }
        return [.. result.Where(n => Reference.ParameterCatalog.Find(n.Path)?.Use.HasFlag(ParamUse.Sweep) == true)];
    }

    /// <summary><c>PATH=VALUE</c> with the value written so that it reads back exactly.</summary>
    public static string SetText(string path, double value) =>
        $"{path}={value.ToString("R", CultureInfo.InvariantCulture)}";

    /// <summary>Reads the files (the top one is in <paramref name="sources"/>), follows <c>extends</c> and applies the overrides.</summary>
    internal static Composition Compose(ScenarioSources sources, IReadOnlyList<string> sets)
    {
        var c = new Composer(sources);
        var top = c.File(sources.TopPath, sources.TopFile, []);
        for (var i = 0; i < sets.Count; i++)
        {
            c.ApplySetOption(top.Root, sets[i], i + 1);
        }
        c.ThrowIfErrors();
        var document = c.Changed || sets.Count > 0
            ? YamlDocument.FromTree(top.Root!, sources.TopFile, c.Origins)
            : top.Document;
        return new Composition(document, c.Sha256(sets), [.. sets], c.Sources, c.Overrides);
    }

    /// <summary>
    /// Marks each number an override replaced as <c>assumption: "override from ..."</c> in the provenance (unless
    /// the override gave its own provenance), so that the provenance stays truthful.
    /// </summary>
    internal static void NoteOverrides(Composition composed, ProvenanceLog provenance)
    {
        if (composed.Overrides.Count == 0 || composed.Document.Root.Yaml is not { } root)
        {
            return;
        }
        var notes = new Dictionary<YamlNode, string>(ReferenceEqualityComparer.Instance);
        foreach (var (node, note) in composed.Overrides)
        {
            notes[node] = note;
        }
        foreach (var (path, note) in BinderPaths(root, Node.RootPath, notes))
        {
            if (provenance.Find(path) is { } entry)
            {
                provenance.Add(entry with { Kind = Provenance.Assumption, Text = note, FitMin = null, FitMax = null, Prior = null });
            }
        }
    }

    private static ScenarioSources SourcesOf(LoadedScenario scenario) =>
        scenario.Sources ?? throw new InvalidOperationException(
            $"scenario '{scenario.Info.Name}' was built in code, not loaded from a file: there is no tree to override");

    /// <summary>The paths the binder gives the nodes in <paramref name="wanted"/> (<c>companies[1].policy.x</c>), with their notes.</summary>
    private static IEnumerable<(string Path, string Note)> BinderPaths(YamlNode node, string path, Dictionary<YamlNode, string> wanted)
    {
        if (wanted.TryGetValue(node, out var note))
        {
            yield return (path, note);
        }
        IEnumerable<(string, YamlNode)> children = node switch
        {
            YamlMappingNode map => map.Children
                .Where(e => e.Key is YamlScalarNode { Value: not null })
                .Select(e => (Node.ChildPath(path, ((YamlScalarNode)e.Key).Value!), e.Value)),
            YamlSequenceNode seq => seq.Children.Select((item, i) => (Node.ItemPath(path, i, item), item)),
            _ => [],
        };
        foreach (var (childPath, child) in children)
        {
            foreach (var found in BinderPaths(child, childPath, wanted))
            {
                yield return found;
            }
        }
    }

    private static void CollectNumbers(YamlNode node, string path, List<NumericParameter> result)
    {
        if (NumberOf(node) is { } value)
        {
            result.Add(new NumericParameter(path, value));
            return;
        }
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, child) in map.Children)
                {
                    if (key is YamlScalarNode { Value: { } name } && name != "id")
                    {
                        CollectNumbers(child, $"{path}.{name}", result);
                    }
                }
                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    CollectNumbers(seq.Children[i], $"{path}.{ItemSegment(seq.Children[i], i)}", result);
                }
                break;
        }
    }

    /// <summary>The number a node holds, plainly or as <c>{value: x, source|fitted|assumption: ...}</c>; else null.</summary>
    private static double? NumberOf(YamlNode node) => node switch
    {
        YamlScalarNode { Value: { } text } s when s.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) => v,
        YamlMappingNode map when IsProvenanceForm(map) && ValueOf(map) is { } valueNode => NumberOf(valueNode),
        _ => null,
    };

    private static bool IsProvenanceForm(YamlMappingNode map) =>
        ValueOf(map) is not null && ProvenanceKeys.Any(k => KeyOf(map, k) is not null);

    private static YamlNode? ValueOf(YamlMappingNode map) => KeyOf(map, "value") is { } key ? map.Children[key] : null;

    private static YamlNode? KeyOf(YamlMappingNode map, string name) =>
        map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: { } v } && v == name);

    /// <summary>A list item's path segment: its id if it has one, else its index.</summary>
    private static string ItemSegment(YamlNode item, int index) =>
        Node.IdOf(item) ?? index.ToString(CultureInfo.InvariantCulture);

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode? node) => node switch
    {
        null => "nothing",
        _ when IsNull(node) => "null",
        YamlMappingNode map when IsProvenanceForm(map) => $"a number ({Format(NumberOf(map))})",
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when NumberOf(s) is { } v => $"a number ({Format(v)})",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };

    private static string Format(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "?";

    /// <summary>One file read and parsed: its document and the (possibly merged) tree it stands for.</summary>
    private sealed record FileTree(YamlDocument Document, YamlNode? Root);

    /// <summary>A place in the tree a path names: the container, the key or index within it, and the node there (null: to create).</summary>
    private sealed record Target(YamlNode Container, YamlNode? Key, string? NewKey, int Index, YamlNode? Current, string Path);

    /// <summary>Where an override was written, for its errors and its provenance note.</summary>
    private sealed record Origin(string File, int Line, int Column, string ErrorPath, string Note);

    private sealed class Composer(ScenarioSources sources)
    {
        private readonly List<ScenarioError> _errors = [];
        private readonly List<byte[]> _hashParts = [];
        private readonly Dictionary<string, ScenarioFile> _files = new(sources.Files, StringComparer.Ordinal);

        public Dictionary<YamlNode, string> Origins { get; } = new(ReferenceEqualityComparer.Instance);

        public List<(YamlNode Node, string Note)> Overrides { get; } = [];

        /// <summary>True if the top file's tree was changed (it extends another or has overrides).</summary>
        public bool Changed { get; private set; }

        public ScenarioSources Sources => sources with { Files = _files.ToImmutableDictionary(StringComparer.Ordinal) };

        public void ThrowIfErrors()
        {
            if (_errors.Count > 0)
            {
                throw new ScenarioException([.. _errors]);
            }
        }

        /// <summary>SHA-256 of the files' bytes (bases first) and then each <c>--set</c> string (after a NUL).</summary>
        public string Sha256(IReadOnlyList<string> sets)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var part in _hashParts)
            {
                hash.AppendData(part);
            }
            foreach (var set in sets)
            {
                hash.AppendData(Encoding.UTF8.GetBytes("\0" + set));
            }
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        /// <summary>Reads a file, composes it over its base if it extends one, and applies its own overrides.</summary>
        public FileTree File(string fullPath, string display, IReadOnlyList<string> chain)
        {
            var file = _files[fullPath];
            var document = YamlDocument.Parse(file.Text, display);
            document.Errors.ThrowIfAny();
            if (document.Root.Yaml is not YamlMappingNode root || !ControlKeys.Any(k => KeyOf(root, k) is not null))
            {
                _hashParts.Add(file.Bytes);
                return new FileTree(document, document.Root.Yaml);
            }

            if (chain.Count == 0)
            {
                Changed = true;
            }
            // The control keys are taken out of the file's own tree: they are instructions, not scenario fields.
            var control = ControlKeys
                .Select(name => (Name: name, Key: KeyOf(root, name)))
                .Where(c => c.Key is not null)
                .ToDictionary(c => c.Name, c => (Key: c.Key!, Value: root.Children[c.Key!]), StringComparer.Ordinal);
            foreach (var (key, _) in control.Values)
            {
                root.Children.Remove(key);
            }

            var tree = root;
            if (control.TryGetValue(Extends, out var extends))
            {
                tree = Base(extends.Value, fullPath, display, [.. chain, fullPath]);
                foreach (var (key, value) in root.Children)
                {
                    if (key is YamlScalarNode { Value: { } name })
                    {
                        Put(tree, key, name, value);
                    }
                }
            }
            _hashParts.Add(file.Bytes);

            if (control.TryGetValue(Add, out var add))
            {
                Additions(tree, add.Value, display);
            }
            if (control.TryGetValue(AddEvents, out var addEvents))
            {
                AddItems(tree, "events", addEvents.Value, new Origin(display, Line(addEvents.Key), Column(addEvents.Key), AddEvents, ""));
            }
            if (control.TryGetValue(Remove, out var remove))
            {
                Removals(tree, remove.Value, display);
            }
            if (control.TryGetValue(Set, out var set))
            {
                Sets(tree, set.Value, display);
            }
            return new FileTree(document, tree);
        }

        /// <summary>Applies <c>--set PATH=VALUE</c>; <paramref name="ordinal"/> (1-based) is the line of its errors.</summary>
        public void ApplySetOption(YamlNode? root, string text, int ordinal)
        {
            Changed = true;
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || text[..eq].Trim().Length == 0)
            {
                _errors.Add(new ScenarioError(SetOption, ordinal, 1, "(option)",
                    $"expected PATH=VALUE (e.g. companies.alibaba.policy.arbitrationProbability=0.5), got '{text}'"));
                return;
            }
            var path = text[..eq].Trim();
            var valueText = text[(eq + 1)..];
            if (valueText.Trim().Length == 0)
            {
                _errors.Add(new ScenarioError(SetOption, ordinal, eq + 2, path, $"expected a value after '=' (use ~ for the default), got '{text}'"));
                return;
            }
            // Parsed at its place in the option, so that errors in it point at the option and column.
            var padded = new string('\n', ordinal - 1) + new string(' ', eq + 1) + valueText;
            var parsed = YamlDocument.Parse(padded, SetOption);
            if (parsed.Errors.HasErrors)
            {
                // The option is one line: keep a syntax error found at the end of the text on it.
                _errors.AddRange(parsed.Errors.Errors.Select(e => e with { Line = ordinal, Column = Math.Min(e.Column, text.Length + 1), Path = path }));
                return;
            }
            if (parsed.Root.Yaml is not { } value)
            {
                _errors.Add(new ScenarioError(SetOption, ordinal, eq + 2, path, $"expected a value after '=', got '{text}'"));
                return;
            }
            Remember(value, SetOption);
            if (root is not YamlMappingNode map)
            {
                return;
            }
            SetPath(map, path, value, new Origin(SetOption, ordinal, 1, path, $"override from --set {text}"));
        }

        private YamlMappingNode Base(YamlNode extendsNode, string fullPath, string display, IReadOnlyList<string> chain)
        {
            if (extendsNode is not YamlScalarNode { Value: { Length: > 0 } relative } || IsNull(extendsNode))
            {
                throw Error(display, extendsNode, Extends, $"expected the path of the base scenario (relative to this file), got {Describe(extendsNode)}");
            }
            var basePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(fullPath) ?? ".", relative));
            var baseDisplay = Path.IsPathRooted(sources.TopFile) ? basePath : Path.GetRelativePath(Environment.CurrentDirectory, basePath);
            if (chain.Contains(basePath, StringComparer.Ordinal))
            {
                var cycle = string.Join(" -> ", chain.Append(basePath).SkipWhile(p => p != basePath).Select(Path.GetFileName));
                throw Error(display, extendsNode, Extends, $"extends makes a cycle: {cycle}");
            }
            if (!_files.ContainsKey(basePath))
            {
                var (read, problem) = ScenarioLoader.ReadFile(basePath);
                if (read is null)
                {
                    throw Error(display, extendsNode, Extends, $"cannot read the base scenario '{relative}' ({basePath}): {problem}");
                }
                _files[basePath] = read;
            }
            var tree = File(basePath, baseDisplay, chain);
            Remember(tree.Root, baseDisplay, onlyNew: true);
            if (tree.Root is not YamlMappingNode map)
            {
                throw Error(display, extendsNode, Extends, $"the base scenario '{relative}' is not a mapping of scenario fields");
            }
            return map;
        }

        private void Additions(YamlMappingNode tree, YamlNode add, string display)
        {
            if (add is not YamlMappingNode map)
            {
                _errors.Add(At(display, add, Add, $"expected a mapping of LIST-PATH: [items to append], got {Describe(add)}"));
                return;
            }
            foreach (var (key, value) in map.Children)
            {
                if (key is not YamlScalarNode { Value: { Length: > 0 } path })
                {
                    _errors.Add(At(display, key, Add, "expected a path as the key"));
                    continue;
                }
                AddItems(tree, path, value, new Origin(display, Line(key), Column(key), $"{Add}.{path}", ""));
            }
        }

        private void AddItems(YamlMappingNode tree, string path, YamlNode items, Origin origin)
        {
            if (items is not YamlSequenceNode list)
            {
                _errors.Add(At(origin.File, items, origin.ErrorPath, $"expected a list of items to append to '{path}', got {Describe(items)}"));
                return;
            }
            foreach (var target in Resolve(tree, path, origin))
            {
                switch (target.Current)
                {
                    case YamlSequenceNode existing:
                        foreach (var item in list.Children)
                        {
                            existing.Add(item);
                        }
                        break;
                    case null:
                    case var n when IsNull(n):
                        Assign(target, new YamlSequenceNode(list.Children), origin);
                        break;
                    default:
                        _errors.Add(At(origin, $"'{target.Path}' is {Describe(target.Current)}, not a list: nothing to append to"));
                        break;
                }
            }
        }

        /// <summary><c>remove: [LIST-ITEM-PATH, ...]</c>: takes items out of lists (e.g. <c>events.zhou-chang-joins-bytedance</c>).</summary>
        private void Removals(YamlMappingNode tree, YamlNode remove, string display)
        {
            if (remove is not YamlSequenceNode paths)
            {
                _errors.Add(At(display, remove, Remove, $"expected a list of paths of list items to remove (e.g. [events.some-event-id]), got {Describe(remove)}"));
                return;
            }
            var doomed = new List<(YamlSequenceNode List, YamlNode Item)>();
            foreach (var entry in paths.Children)
            {
                if (entry is not YamlScalarNode { Value: { Length: > 0 } path })
                {
                    _errors.Add(At(display, entry, Remove, $"expected the path of a list item, got {Describe(entry)}"));
                    continue;
                }
                var origin = new Origin(display, Line(entry), Column(entry), $"{Remove}.{path}", "");
                foreach (var target in Resolve(tree, path, origin))
                {
                    if (target.Container is YamlSequenceNode list && target.Current is { } item)
                    {
                        doomed.Add((list, item));
                    }
                    else
                    {
                        _errors.Add(At(origin, $"'{target.Path}' is not a list item: remove takes items of lists, by id (events.<id>, companies.<id>) or index"));
                    }
                }
            }
            foreach (var (list, item) in doomed)
            {
                // YamlNode.Equals compares content: find the item itself.
                for (var i = 0; i < list.Children.Count; i++)
                {
                    if (ReferenceEquals(list.Children[i], item))
                    {
                        list.Children.RemoveAt(i);
                        break;
                    }
                }
            }
        }

        private void Sets(YamlMappingNode tree, YamlNode set, string display)
        {
            if (set is not YamlMappingNode map)
            {
                _errors.Add(At(display, set, Set, $"expected a mapping of PATH: value, got {Describe(set)}"));
                return;
            }
            foreach (var (key, value) in map.Children)
            {
                if (key is not YamlScalarNode { Value: { Length: > 0 } path })
                {
                    _errors.Add(At(display, key, Set, "expected a path as the key"));
                    continue;
                }
                var line = Line(key);
                SetPath(tree, path, value, new Origin(display, line, Column(key), $"{Set}.{path}", $"override from {display}:{line}"));
            }
        }

        private void SetPath(YamlMappingNode tree, string path, YamlNode value, Origin origin)
        {
            foreach (var target in Resolve(tree, path, origin))
            {
                if (Mismatch(target.Current, value) is { } expected)
                {
                    _errors.Add(At(Origins.GetValueOrDefault(value, origin.File), value, origin.ErrorPath,
                        $"expected {expected} for '{target.Path}' (the base has {Describe(target.Current)}), got {Describe(value)}"));
                    continue;
                }
                Assign(target, value, origin);
                if (NumberOf(value) is not null && value is YamlScalarNode)
                {
                    Overrides.Add((value, origin.Note));
                }
            }
        }

        /// <summary>What the new value should have been, or null if it may replace the current one.</summary>
        private static string? Mismatch(YamlNode? current, YamlNode value)
        {
            if (current is null || IsNull(current) || IsNull(value))
            {
                return null; // a field left to its default, or ~ to reset one: the binder checks the rest
            }
            var currentIsNumber = NumberOf(current) is not null;
            return current switch
            {
                _ when currentIsNumber => NumberOf(value) is null ? "a number" : null,
                YamlMappingNode => value is YamlMappingNode ? null : "a mapping",
                YamlSequenceNode => value is YamlSequenceNode ? null : "a list",
                _ => value is YamlScalarNode ? null : "a single value",
            };
        }

        private void Assign(Target target, YamlNode value, Origin origin)
        {
            switch (target.Container)
            {
                case YamlMappingNode map when target.Key is not null:
                    map.Children[target.Key] = value;
                    break;
                case YamlMappingNode map:
                    var key = ScalarAt(target.NewKey!, origin.Line, origin.Column);
                    Remember(key, origin.File);
                    map.Add(key, value);
                    break;
                case YamlSequenceNode seq:
                    seq.Children[target.Index] = value;
                    break;
            }
        }

        /// <summary>Every place <paramref name="path"/> names (several with <c>*</c>), reporting the first segment that does not exist.</summary>
        private List<Target> Resolve(YamlMappingNode tree, string path, Origin origin)
        {
            var segments = path.Split('.');
            if (segments.Any(s => s.Trim().Length == 0))
            {
                _errors.Add(At(origin, $"malformed path '{path}': expected names separated by single dots"));
                return [];
            }
            List<Target> current = [new Target(tree, null, null, -1, tree, "")];
            for (var i = 0; i < segments.Length; i++)
            {
                var segment = segments[i].Trim();
                var last = i == segments.Length - 1;
                var next = new List<Target>();
                foreach (var step in current)
                {
                    var here = Join(step.Path, segment);
                    switch (step.Current)
                    {
                        case YamlMappingNode map when IsProvenanceForm(map):
                            _errors.Add(At(origin, $"unknown path '{path}' at '{here}': '{step.Path}' is a number written with its provenance; set '{step.Path}' itself"));
                            return [];
                        case YamlMappingNode map when segment == "*":
                            next.AddRange(map.Children
                                .Where(e => e.Key is YamlScalarNode { Value: not null })
                                .Select(e => new Target(map, e.Key, null, -1, e.Value, Join(step.Path, ((YamlScalarNode)e.Key).Value!))));
                            break;
                        case YamlMappingNode map when KeyOf(map, segment) is { } key:
                            next.Add(new Target(map, key, null, -1, map.Children[key], here));
                            break;
                        case YamlMappingNode map when last:
                            next.Add(new Target(map, null, segment, -1, null, here));
                            break;
                        case YamlMappingNode map:
                            _errors.Add(At(origin, Unknown(path, here, step.Path, map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? ""))));
                            return [];
                        case YamlSequenceNode seq when segment == "*":
                            next.AddRange(seq.Children.Select((item, j) => new Target(seq, null, null, j, item, Join(step.Path, ItemSegment(item, j)))));
                            break;
                        case YamlSequenceNode seq when Item(seq, segment) is { } j:
                            next.Add(new Target(seq, null, null, j, seq.Children[j], here));
                            break;
                        case YamlSequenceNode seq:
                            _errors.Add(At(origin, Unknown(path, here, step.Path, seq.Children.Select(ItemSegment))));
                            return [];
                        default:
                            _errors.Add(At(origin, $"unknown path '{path}' at '{here}': '{step.Path}' is {Describe(step.Current)}, which has no fields"));
                            return [];
                    }
                }
                if (next.Count == 0)
                {
                    _errors.Add(At(origin, $"path '{path}' matches nothing: '{string.Join('.', segments[..i])}' is empty"));
                    return [];
                }
                current = next;
            }
            return current;
        }

        private static int? Item(YamlSequenceNode seq, string segment)
        {
            for (var j = 0; j < seq.Children.Count; j++)
            {
                if (seq.Children[j] is YamlMappingNode && ItemSegment(seq.Children[j], j) == segment)
                {
                    return j;
                }
            }
            return int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < seq.Children.Count
                ? index
                : null;
        }

        /// <summary><c>unknown path 'P' at 'companies.alibab'; nearest: companies.alibaba</c>.</summary>
        private static string Unknown(string path, string here, string parent, IEnumerable<string> siblings)
        {
            var name = here[(here.LastIndexOf('.') + 1)..];
            var known = siblings.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            var limit = Math.Max(2, name.Length / 3);
            var near = known
                .Select(k => (Key: k, Distance: MapReader.Levenshtein(name, k)))
                .Where(c => c.Distance <= limit)
                .OrderBy(c => c.Distance)
                .ThenBy(c => c.Key, StringComparer.Ordinal)
                .Take(3)
                .Select(c => Join(parent, c.Key))
                .ToList();
            var message = $"unknown path '{path}' at '{here}'";
            return near.Count > 0
                ? $"{message}; nearest: {string.Join(", ", near)}"
                : known.Count == 0
                    ? $"{message}; '{parent}' is empty"
                    : $"{message}; expected one of: {string.Join(", ", known.Take(20).Select(k => Join(parent, k)))}{(known.Count > 20 ? ", ..." : "")}";
        }

        private static string Join(string parent, string segment) => parent.Length == 0 ? segment : $"{parent}.{segment}";

        /// <summary>Puts a top-level key of an extending file into the base's tree (replacing the base's value).</summary>
        private static void Put(YamlMappingNode tree, YamlNode key, string name, YamlNode value)
        {
            if (KeyOf(tree, name) is { } existing)
            {
                tree.Children[existing] = value;
            }
            else
            {
                tree.Add(key, value);
            }
        }

        /// <summary>Records the file of every node of a subtree (keeps earlier records: a base's base keeps its own).</summary>
        private void Remember(YamlNode? node, string file, bool onlyNew = false)
        {
            if (node is null)
            {
                return;
            }
            foreach (var n in node.AllNodes)
            {
                if (onlyNew)
                {
                    Origins.TryAdd(n, file);
                }
                else
                {
                    Origins[n] = file;
                }
            }
        }

        /// <summary>A plain scalar positioned at a line and column (for a key an override creates), by parsing it there.</summary>
        private static YamlScalarNode ScalarAt(string text, int line, int column)
        {
            var stream = new YamlStream();
            var quoted = "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
            stream.Load(new StringReader(new string('\n', Math.Max(0, line - 1)) + new string(' ', Math.Max(0, column - 1)) + quoted));
            return (YamlScalarNode)stream.Documents[0].RootNode;
        }

        private static int Line(YamlNode node) => YamlDocumentPosition(node.Start.Line);

        private static int Column(YamlNode node) => YamlDocumentPosition(node.Start.Column);

        private static int YamlDocumentPosition(long value) => value < 1 ? 1 : value > int.MaxValue ? int.MaxValue : (int)value;

        private ScenarioError At(string file, YamlNode node, string errorPath, string message) =>
            new(Origins.GetValueOrDefault(node, file), Line(node), Column(node), errorPath, message);

        private static ScenarioError At(Origin origin, string message) =>
            new(origin.File, origin.Line, origin.Column, origin.ErrorPath, message);

        private ScenarioException Error(string file, YamlNode node, string errorPath, string message) =>
            new([.. _errors, At(file, node, errorPath, message)]);
    }
}

/// <summary>A scenario file's bytes (for the hash) and text.</summary>
internal sealed record ScenarioFile(byte[] Bytes, string Text);

/// <summary>
/// What a scenario was loaded from: the file named (its full path and the name used in messages), the
/// <c>seeds/</c> folder for source checks, and the contents of every file read (so that overrides applied later
/// see the same bytes, and the hash stays that of what was run).
/// </summary>
internal sealed record ScenarioSources(string TopPath, string TopFile, string? SeedsDirectory, ImmutableDictionary<string, ScenarioFile> Files);

/// <summary>A scenario tree after <c>extends</c> and overrides, ready to bind.</summary>
internal sealed record Composition(
    YamlDocument Document, string Sha256, ImmutableArray<string> Sets, ScenarioSources Sources,
    IReadOnlyList<(YamlNode Node, string Note)> Overrides);
