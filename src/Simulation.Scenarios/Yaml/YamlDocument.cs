using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Simulation.Scenarios.Yaml;

/// <summary>
/// One parsed YAML file: its root <see cref="Node"/>, the errors found while reading it and the
/// provenance of the numbers read from it.
/// </summary>
public sealed class YamlDocument
{
    private YamlDocument(string file)
    {
        File = file;
        Root = new Node(this, null, Node.RootPath, 1, 1, silent: true);
    }

    public string File { get; }

    /// <summary>For a tree merged from several files: the file each node came from (by reference).</summary>
    private IReadOnlyDictionary<YamlNode, string>? _origins;

    /// <summary>
    /// The root node. After a syntax error it is a null node that reports nothing more (the
    /// syntax error is the one to fix); for an empty file it is a null node that reports
    /// "got nothing" when read.
    /// </summary>
    public Node Root { get; private set; }

    public ErrorSink Errors { get; } = new();

    public ProvenanceLog Provenance { get; } = new();

    /// <summary>
    /// Parses <paramref name="text"/>. Never throws for bad input: syntax errors, duplicate keys,
    /// unknown aliases and extra documents are reported to <see cref="Errors"/>.
    /// </summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="file">The name used in error messages, e.g. <c>scenarios/baseline.yaml</c>.</param>
    public static YamlDocument Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        var doc = new YamlDocument(file);
        // One reading of the text: the check sees each event as the tree takes it, so no event outlives its node.
        var check = new StructureCheck(new Parser(new StringReader(text)), doc);
        var stream = new YamlStream();
        try
        {
            stream.Load(check);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or EndOfStreamException)
        {
            // The tree stops at the first duplicate key or unknown alias, and finds its events cut short after a syntax error (the
            // check ends them there, having reported it); the check reads on to report every duplicate and alias.
            check.ReadToEnd();
            if (check.Ok)
            {
                // The check found nothing wrong, yet the tree could not be built: a safety net.
                var mark = e is YamlException ye ? ye.Start : Mark.Empty;
                doc.Errors.Add(new ScenarioError(file, ToInt(mark.Line), ToInt(mark.Column), Node.RootPath,
                    "invalid YAML: " + e.Message));
            }
            return doc;
        }
        if (!check.Ok)
        {
            return doc;
        }

        if (stream.Documents.Count == 0)
        {
            doc.Root = new Node(doc, null, Node.RootPath, 1, 1, silent: false);
            return doc;
        }

        var root = stream.Documents[0].RootNode;
        doc.Root = new Node(doc, root, Node.RootPath, ToInt(root.Start.Line), ToInt(root.Start.Column), silent: false);
        return doc;
    }

    /// <summary>
    /// A document over a tree already parsed and merged from several files (see <c>ScenarioOverrides</c>):
    /// each node reports errors against the file in <paramref name="origins"/>, else against <paramref name="file"/>.
    /// </summary>
    internal static YamlDocument FromTree(YamlNode root, string file, IReadOnlyDictionary<YamlNode, string> origins)
    {
        var doc = new YamlDocument(file) { _origins = origins };
        doc.Root = new Node(doc, root, Node.RootPath, ToInt(root.Start.Line), ToInt(root.Start.Column), silent: false);
        return doc;
    }

    /// <summary>The file a node of this document was read from.</summary>
    internal string FileOf(YamlNode? yaml) =>
        yaml is not null && _origins is not null && _origins.TryGetValue(yaml, out var file) ? file : File;

    internal static int ToInt(long value) => value switch
    {
        < 1 => 1,
        > int.MaxValue => int.MaxValue,
        _ => (int)value,
    };

    /// <summary>
    /// The parser's events on their way to the tree (an <see cref="IParser"/> over the parser), checked as they pass. YamlStream
    /// stops at the first duplicate key or unknown alias, and some malformed flow collections make it throw an exception without
    /// a position; this check reports all duplicates and unknown aliases with their paths, and locates syntax errors. A syntax
    /// error ends the events. Paths are made only for what is reported: a large scenario has millions of nodes.
    /// </summary>
    private sealed class StructureCheck(Parser parser, YamlDocument doc) : IParser
    {
        /// <summary>Where a node sits: under <see cref="Parent"/> at <see cref="Key"/> (a mapping) or <see cref="Index"/> (a sequence).</summary>
        private readonly record struct Spot(Frame? Parent, string? Key, int Index)
        {
            public string Path => Parent is null ? Node.RootPath : Key is not null ? Node.ChildPath(Parent.Path, Key) : Node.ItemPath(Parent.Path, Index);
        }

        private sealed class Frame(Spot spot, bool isMap)
        {
            /// <summary>Keys are looked up in a list while a mapping is small, as nearly all are; in a set beyond.</summary>
            private const int ListedKeys = 16;

            private List<string>? _keys;
            private HashSet<string>? _keySet;

            public string Path => spot.Path;
            public bool IsMap { get; } = isMap;
            public bool ExpectKey { get; set; } = true;
            public string PendingKey { get; set; } = "";
            public int Index { get; set; }

            /// <summary>False when <paramref name="key"/> is already a key of this mapping.</summary>
            public bool AddKey(string key)
            {
                if (_keySet is not null)
                {
                    return _keySet.Add(key);
                }
                _keys ??= [];
                foreach (var k in _keys)
                {
                    if (string.Equals(k, key, StringComparison.Ordinal))
                    {
                        return false;
                    }
                }
                _keys.Add(key);
                if (_keys.Count > ListedKeys)
                {
                    (_keySet, _keys) = (new HashSet<string>(_keys, StringComparer.Ordinal), null);
                }
                return true;
            }
        }

        private readonly Stack<Frame> _stack = new();
        private readonly HashSet<string> _anchors = new(StringComparer.Ordinal);
        private int _documents;
        private bool _ended;

        /// <summary>False once an error that stops the loading is reported.</summary>
        public bool Ok { get; private set; } = true;

        public ParsingEvent? Current { get; private set; }

        public bool MoveNext()
        {
            Current = null;
            if (_ended)
            {
                return false;
            }
            try
            {
                if (parser.MoveNext())
                {
                    Current = parser.Current!;
                    Check(Current);
                    return true;
                }
            }
            catch (YamlException e)
            {
                Report(e.Start, _stack.Count > 0 ? _stack.Peek().Path : Node.RootPath, "YAML syntax error: " + Describe(e.Message));
                Ok = false;
            }
            catch (InvalidOperationException)
            {
                // YamlDotNet's scanner throws this (without a position) for some unclosed flow
                // collections such as "a: [1, 2"; the last event read is the nearest position.
                var mark = parser.Current?.End ?? Mark.Empty;
                Report(mark, _stack.Count > 0 ? _stack.Peek().Path : Node.RootPath,
                    "YAML syntax error near here; check for an unclosed '[', '{' or quote");
                Ok = false;
            }
            _ended = true;
            return false;
        }

        /// <summary>Checks the events the tree did not take (it stopped at an error).</summary>
        public void ReadToEnd()
        {
            while (MoveNext())
            {
            }
        }

        private void Check(ParsingEvent ev)
        {
            switch (ev)
            {
                case DocumentStart:
                    _documents++;
                    if (_documents == 2)
                    {
                        // An explicit '---' in front of the first document is fine; a second one is
                        // not. Only the first is read, so this error does not stop the loading.
                        Report(ev.Start, Node.RootPath, "expected a single YAML document, found another one here");
                    }

                    _stack.Clear();
                    break;
                case MappingStart or SequenceStart:
                    {
                        var spot = Place(ev);
                        Remember((NodeEvent)ev);
                        _stack.Push(new Frame(spot, ev is MappingStart));
                        break;
                    }

                case MappingEnd or SequenceEnd:
                    _stack.Pop();
                    break;
                case AnchorAlias alias:
                    {
                        var spot = Place(alias);
                        if (!_anchors.Contains(alias.Value.Value))
                        {
                            Report(alias.Start, spot.Path, $"unknown alias '*{alias.Value.Value}'");
                            Ok = false;
                        }

                        break;
                    }

                case Scalar scalar:
                    Place(scalar);
                    Remember(scalar);
                    break;
            }
        }

        /// <summary>Works out where a node event sits and, for a mapping key, checks it is not a duplicate.</summary>
        private Spot Place(ParsingEvent ev)
        {
            if (_stack.Count == 0)
            {
                return default;
            }

            var frame = _stack.Peek();
            if (!frame.IsMap)
            {
                return new Spot(frame, null, frame.Index++);
            }

            if (frame.ExpectKey)
            {
                frame.ExpectKey = false;
                var key = ev is Scalar s ? s.Value : "?";
                frame.PendingKey = key;
                if (ev is Scalar && !frame.AddKey(key))
                {
                    Report(ev.Start, Node.ChildPath(frame.Path, key), $"duplicate key '{key}'");
                    Ok = false;
                }

                return new Spot(frame, key, 0);
            }

            frame.ExpectKey = true;
            return new Spot(frame, frame.PendingKey, 0);
        }

        private void Remember(NodeEvent ev)
        {
            if (!ev.Anchor.IsEmpty)
            {
                _anchors.Add(ev.Anchor.Value);
            }
        }

        private void Report(Mark mark, string path, string message) =>
            doc.Errors.Add(new ScenarioError(doc.File, ToInt(mark.Line), ToInt(mark.Column), path, message));

        /// <summary>"While scanning a plain scalar value, found invalid mapping." -> "while scanning ... mapping".</summary>
        private static string Describe(string message)
        {
            var m = message.Trim().TrimEnd('.');
            return m.Length > 0 && char.IsUpper(m[0]) ? char.ToLowerInvariant(m[0]) + m[1..] : m;
        }
    }
}
