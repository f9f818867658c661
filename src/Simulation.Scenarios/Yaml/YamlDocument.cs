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
        // The check reads the text once and keeps its events; the tree is built from them, not from a second reading.
        var events = new List<ParsingEvent>();
        if (!StructureCheck.Run(text, doc, events))
        {
            return doc;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new Replay(events));
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // The structure check has read the same text without error; this is a safety net.
            var mark = e is YamlException ye ? ye.Start : Mark.Empty;
            doc.Errors.Add(new ScenarioError(file, ToInt(mark.Line), ToInt(mark.Column), Node.RootPath,
                "invalid YAML: " + e.Message));
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
    /// The events of one reading of the text, read again (<see cref="IParser"/> over a list), each let go of once read: a
    /// large scenario's events and its tree are not both held whole.
    /// </summary>
    private sealed class Replay(List<ParsingEvent> events) : IParser
    {
        private int _next;

        public ParsingEvent? Current { get; private set; }

        public bool MoveNext()
        {
            Current = null;
            if (_next < events.Count)
            {
                Current = events[_next];
                events[_next++] = null!;
            }
            return Current is not null;
        }
    }

    /// <summary>
    /// A pass over the parser's events before building the tree. YamlStream stops at the first
    /// duplicate key or unknown alias, and some malformed flow collections make it throw an
    /// exception without a position; this pass reports all duplicates and unknown aliases with
    /// their paths, and locates syntax errors.
    /// </summary>
    private static class StructureCheck
    {
        private sealed class Frame(string path, bool isMap)
        {
            public string Path { get; } = path;
            public bool IsMap { get; } = isMap;
            public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
            public bool ExpectKey { get; set; } = true;
            public string PendingKey { get; set; } = "";
            public int Index { get; set; }
        }

        /// <summary>Returns true if the text can be loaded into a tree.</summary>
        /// <param name="events">Receives every event read, in order: the tree is built from them.</param>
        public static bool Run(string text, YamlDocument doc, List<ParsingEvent> events)
        {
            var parser = new Parser(new StringReader(text));
            var stack = new Stack<Frame>();
            var anchors = new HashSet<string>(StringComparer.Ordinal);
            var documents = 0;
            var ok = true;
            try
            {
                while (parser.MoveNext())
                {
                    var ev = parser.Current!;
                    events.Add(ev);
                    switch (ev)
                    {
                        case DocumentStart:
                            documents++;
                            if (documents == 2)
                            {
                                // An explicit '---' in front of the first document is fine; a second one is
                                // not. Only the first is read, so this error does not stop the loading.
                                Report(doc, ev.Start, Node.RootPath,
                                    "expected a single YAML document, found another one here");
                            }

                            stack.Clear();
                            break;
                        case MappingStart or SequenceStart:
                            {
                                var path = Place(stack, ev, doc, ref ok);
                                Remember(anchors, (NodeEvent)ev);
                                stack.Push(new Frame(path, ev is MappingStart));
                                break;
                            }

                        case MappingEnd or SequenceEnd:
                            stack.Pop();
                            break;
                        case AnchorAlias alias:
                            {
                                var path = Place(stack, alias, doc, ref ok);
                                if (!anchors.Contains(alias.Value.Value))
                                {
                                    Report(doc, alias.Start, path, $"unknown alias '*{alias.Value.Value}'");
                                    ok = false;
                                }

                                break;
                            }

                        case Scalar scalar:
                            Place(stack, scalar, doc, ref ok);
                            Remember(anchors, scalar);
                            break;
                    }
                }
            }
            catch (YamlException e)
            {
                Report(doc, e.Start, stack.Count > 0 ? stack.Peek().Path : Node.RootPath,
                    "YAML syntax error: " + Describe(e.Message));
                return false;
            }
            catch (InvalidOperationException)
            {
                // YamlDotNet's scanner throws this (without a position) for some unclosed flow
                // collections such as "a: [1, 2"; the last event read is the nearest position.
                var mark = parser.Current?.End ?? Mark.Empty;
                Report(doc, mark, stack.Count > 0 ? stack.Peek().Path : Node.RootPath,
                    "YAML syntax error near here; check for an unclosed '[', '{' or quote");
                return false;
            }

            return ok;
        }

        /// <summary>Works out the path of a node event and, for a mapping key, checks it is not a duplicate.</summary>
        private static string Place(Stack<Frame> stack, ParsingEvent ev, YamlDocument doc, ref bool ok)
        {
            if (stack.Count == 0)
            {
                return Node.RootPath;
            }

            var frame = stack.Peek();
            if (!frame.IsMap)
            {
                return Node.ItemPath(frame.Path, frame.Index++);
            }

            if (frame.ExpectKey)
            {
                frame.ExpectKey = false;
                var key = ev is Scalar s ? s.Value : "?";
                frame.PendingKey = key;
                var keyPath = Node.ChildPath(frame.Path, key);
                if (ev is Scalar && !frame.Keys.Add(key))
                {
                    Report(doc, ev.Start, keyPath, $"duplicate key '{key}'");
                    ok = false;
                }

                return keyPath;
            }

            frame.ExpectKey = true;
            return Node.ChildPath(frame.Path, frame.PendingKey);
        }

        private static void Remember(HashSet<string> anchors, NodeEvent ev)
        {
            if (!ev.Anchor.IsEmpty)
            {
                anchors.Add(ev.Anchor.Value);
            }
        }

        private static void Report(YamlDocument doc, Mark mark, string path, string message) =>
            doc.Errors.Add(new ScenarioError(doc.File, ToInt(mark.Line), ToInt(mark.Column), path, message));

        /// <summary>"While scanning a plain scalar value, found invalid mapping." -> "while scanning ... mapping".</summary>
        private static string Describe(string message)
        {
            var m = message.Trim().TrimEnd('.');
            return m.Length > 0 && char.IsUpper(m[0]) ? char.ToLowerInvariant(m[0]) + m[1..] : m;
        }
    }
}
