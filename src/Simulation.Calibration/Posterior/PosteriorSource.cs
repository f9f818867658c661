using System.Collections.Concurrent;
using System.Security.Cryptography;
using Simulation.Experiments;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;
using YamlDotNet.RepresentationModel;

namespace Simulation.Calibration.Posterior;

/// <summary>The posterior draws asked for cannot be used: none saved, stale, or naming a value the scenario lacks (exit code 2).</summary>
public sealed class PosteriorException(string message) : Exception(message);

/// <summary>
/// The posterior draws the replicates of <c>--uncertainty posterior|both</c> play, and how they are applied. They are the
/// scenario file's own (<see cref="PosteriorDraws.Find"/>: saved beside it for its current hash) or, for a what-if that
/// <c>extends</c> another and has none of its own, those of its nearest base. A draw is applied as <c>PATH=VALUE</c>
/// overrides, after every other, to the paths the scenario does not set itself: a what-if's <c>set:</c> (and
/// <c>remove:</c>, and the top-level keys it replaces) between it and the file whose draws they are, and <c>--set</c>
/// (and a sweep point's values), are the intervention and win over the draw.
/// </summary>
public sealed class PosteriorSource
{
    private static readonly string[] ControlKeys = ["extends", "set", "add", "addEvents", "remove"];

    private PosteriorSource(PosteriorDraws draws, string scenarioFile, string scenarioPath, string csvPath, string digest)
    {
        Draws = draws;
        ScenarioFile = scenarioFile;
        ScenarioPath = scenarioPath;
        CsvPath = csvPath;
        Digest = digest;
    }

    public PosteriorDraws Draws { get; }

    /// <summary>The scenario file the draws belong to, as shown to the user.</summary>
    public string ScenarioFile { get; }

    /// <summary>Its full path.</summary>
    public string ScenarioPath { get; }

    /// <summary>The draws file, as shown to the user.</summary>
    public string CsvPath { get; }

    /// <summary>The first 16 hex digits of the SHA-256 of the draws file.</summary>
    public string Digest { get; }

    /// <summary>What the report beside the draws (<c>sim posterior</c>'s, <c>KEY.txt</c>) says: converged, not converged, or null without one.</summary>
    public bool? Converged { get; private init; }

    /// <summary>
    /// The draws for <paramref name="file"/>: its own, else those of the nearest file up its <c>extends</c> chain
    /// (each base loaded from its file, for its key). <paramref name="loaded"/>, if given, is the file loaded without
    /// <c>--set</c> (saves loading it again).
    /// </summary>
    /// <exception cref="PosteriorException">None is found: says where they were looked for and how to make them.</exception>
    public static PosteriorSource Find(string file, LoadedScenario? loaded = null)
    {
        var looked = new List<(string File, string Csv, IReadOnlyList<string> Stale)>();
        var current = Path.GetFullPath(file);
        var display = file;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (seen.Add(current))
        {
            loaded ??= TryLoad(current);
            if (loaded is not null)
            {
                var key = PosteriorDraws.KeyOf(loaded);
                var csv = PosteriorDraws.CsvPath(current, key);
                if (File.Exists(csv))
                {
                    return Read(csv, key, display, current);
                }
                looked.Add((display, Show(csv), Stale(current, key)));
            }
            if (TopLevel(current) is not { } top || Extends(top) is not { } relative)
            {
                break;
            }
            current = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current) ?? ".", relative));
            display = Show(current);
            loaded = null;
        }
        throw new PosteriorException(NotFound(looked));
    }

    private static PosteriorSource Read(string csv, string key, string display, string fullPath)
    {
        try
        {
            var draws = PosteriorDraws.Read(csv, key);
            if (draws.Count == 0)
            {
                throw new FormatException("no draws in it");
            }
            var digest = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(csv)))[..16];
            var report = Path.ChangeExtension(csv, ".txt");
            bool? converged = File.Exists(report) ? File.ReadAllText(report) switch
            {
                var text when text.Contains("NOT CONVERGED", StringComparison.Ordinal) => false,
                var text when text.Contains("Converged:", StringComparison.Ordinal) => true,
                _ => null,
            } : null;
            return new PosteriorSource(draws, display, fullPath, Show(csv), digest) { Converged = converged };
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new PosteriorException($"the posterior draws of {display} ({Show(csv)}) cannot be read: {e.Message}");
        }
    }

    /// <summary>"no posterior draws for X as it is now (looked for ...); make them with `sim posterior X`".</summary>
    private static string NotFound(IReadOnlyList<(string File, string Csv, IReadOnlyList<string> Stale)> looked)
    {
        if (looked.Count == 0)
        {
            return "no posterior draws: the scenario could not be loaded on its own to find them";
        }
        var where = string.Join(" nor for ", looked.Select((l, i) =>
            $"{(i == 0 ? "" : $"the scenario it extends{(i > 1 ? " in turn" : "")}, ")}{l.File} (looked for {l.Csv})"));
        var root = looked[^1].File;
        var make = looked.Count == 1
            ? $"make them with `sim posterior {root}`"
            : $"make them with `sim posterior {root}` (its what-ifs use its draws) or `sim posterior {looked[0].File}`";
        var stale = looked.Where(l => l.Stale.Count > 0)
            .Select(l => $"; the draws in {Path.GetDirectoryName(l.Csv)}{Path.DirectorySeparatorChar} ({string.Join(", ", l.Stale)}) are for an earlier version of {l.File}, which has changed since: they are not used");
        return $"--uncertainty: no posterior draws for {where}; {make}{string.Concat(stale)}";
    }

    /// <summary>The draws files beside a scenario for other keys than its current one.</summary>
    private static IReadOnlyList<string> Stale(string scenarioPath, string key)
    {
        var folder = PosteriorDraws.FolderOf(scenarioPath);
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*.csv").Select(Path.GetFileName).OfType<string>().Where(f => f != key + ".csv").Order(StringComparer.Ordinal)]
            : [];
    }

    private static LoadedScenario? TryLoad(string path)
    {
        try
        {
            return ScenarioLoader.Load(path);
        }
        catch (ScenarioException)
        {
            return null; // a base that is only valid with its what-if's changes has no posterior of its own
        }
    }

    /// <summary>A path relative to the working folder when it lies within it, else the full path.</summary>
    private static string Show(string fullPath)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? fullPath : relative;
    }

    /// <summary>
    /// The paths (with <c>*</c> wildcards; a path also covers what lies under it) that the scenario file itself sets:
    /// for each file from it up its <c>extends</c> chain, stopping at the file whose draws these are, the <c>set:</c>
    /// paths, the <c>remove:</c> items and the top-level keys of every file that extends another. A file that extends
    /// nothing sets nothing: it is the scenario.
    /// </summary>
    public IReadOnlyList<string> InterventionsOf(string file)
    {
        var result = new List<string>();
        var current = Path.GetFullPath(file);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (current != ScenarioPath && seen.Add(current) && TopLevel(current) is { } top && Extends(top) is { } relative)
        {
            foreach (var (key, value) in top.Children)
            {
                if (key is not YamlScalarNode { Value: { } name })
                {
                    continue;
                }
                switch (name)
                {
                    case "set" when value is YamlMappingNode set:
                        result.AddRange(set.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).OfType<string>());
                        break;
                    case "remove" when value is YamlSequenceNode remove:
                        result.AddRange(remove.Children.OfType<YamlScalarNode>().Select(k => k.Value).OfType<string>());
                        break;
                    case var other when !ControlKeys.Contains(other, StringComparer.Ordinal):
                        result.Add(other);
                        break;
                }
            }
            current = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current) ?? ".", relative));
        }
        return result;
    }

    /// <summary>The paths a scenario's <c>--set</c> overrides (and a sweep point's values) set.</summary>
    public static IEnumerable<string> PathsOf(IEnumerable<string> sets) =>
        sets.Select(s => s.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? s[..eq].Trim() : s.Trim());

    /// <summary>Whether <paramref name="pattern"/> (dotted, <c>*</c> for any one segment) names <paramref name="path"/> or a field above it.</summary>
    public static bool Covers(string pattern, string path)
    {
        var p = pattern.Split('.');
        var q = path.Split('.');
        if (p.Length > q.Length)
        {
            return false;
        }
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i].Trim() != "*" && !string.Equals(p[i].Trim(), q[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Applies draw <paramref name="draw"/> to <paramref name="scenario"/> on the paths <paramref name="applied"/> marks.
    /// </summary>
    /// <exception cref="ScenarioException">A path names nothing there, or a value is invalid.</exception>
    public LoadedScenario Apply(LoadedScenario scenario, IReadOnlyList<double> draw, IReadOnlyList<bool> applied)
    {
        var sets = new List<string>(Draws.Paths.Count);
        for (var i = 0; i < Draws.Paths.Count; i++)
        {
            if (applied[i])
            {
                sets.Add(ScenarioOverrides.SetText(Draws.Paths[i], draw[i]));
            }
        }
        return sets.Count == 0 ? scenario : ScenarioOverrides.Apply(scenario, sets);
    }

    /// <summary>Which of the draws' paths apply to a scenario that sets <paramref name="interventions"/> itself.</summary>
    public bool[] Applied(IEnumerable<string> interventions)
    {
        var patterns = interventions.ToList();
        return [.. Draws.Paths.Select(p => !patterns.Any(x => Covers(x, p)))];
    }

    /// <summary>
    /// Checks that the draws can be applied to <paramref name="scenario"/>: every path names a value of it and the
    /// first draw <paramref name="runs"/> replicates play is valid there.
    /// </summary>
    /// <exception cref="PosteriorException">A path the scenario does not have (named), or an invalid value.</exception>
    public void Check(LoadedScenario scenario, IReadOnlyList<bool> applied, int runs)
    {
        try
        {
            Apply(scenario, Draws.ForReplicate(0, runs), applied);
        }
        catch (ScenarioException e)
        {
            var missing = new List<string>();
            for (var i = 0; i < Draws.Paths.Count; i++)
            {
                var only = new bool[Draws.Paths.Count];
                only[i] = applied[i];
                try
                {
                    Apply(scenario, Draws.ForReplicate(0, runs), only);
                }
                catch (ScenarioException one)
                {
                    missing.Add($"{Draws.Paths[i]} ({string.Join("; ", one.Errors.Select(x => x.Message))})");
                }
            }
            throw new PosteriorException(missing.Count > 0
                ? $"the posterior draws of {ScenarioFile} ({CsvPath}) set {string.Join(", ", missing)}, which {scenario.File} cannot take"
                : $"the posterior draws of {ScenarioFile} ({CsvPath}) do not apply to {scenario.File}: {string.Join("; ", e.Errors.Select(x => x.Message))}");
        }
    }

    /// <summary>
    /// The uncertainty of <c>--uncertainty MODE</c> for an experiment on <paramref name="variants"/> (the first's posterior,
    /// or its base's, serves every variant), checked before anything is played.
    /// </summary>
    /// <exception cref="PosteriorException">No draws are found, or they do not apply to a variant.</exception>
    public static ReplicateUncertainty Resolve(UncertaintyMode mode, IReadOnlyList<LoadedScenario> variants, int runs)
    {
        if (mode == UncertaintyMode.Seed)
        {
            return ReplicateUncertainty.Seed;
        }
        var first = variants[0];
        var source = Find(first.File, first.Sets.IsEmpty ? first : null);
        var plan = variants.Select(v => (v, source.AppliedTo(v))).ToList();
        foreach (var (scenario, applied) in plan)
        {
            source.Check(scenario, applied, runs);
        }
        return source.For(mode, plan, runs);
    }

    /// <summary>Which of the draws' paths apply to <paramref name="scenario"/>: those neither its files nor its overrides set.</summary>
    public bool[] AppliedTo(LoadedScenario scenario) => Applied(InterventionsOf(scenario.File).Concat(PathsOf(scenario.Sets)));

    /// <summary>
    /// The uncertainty of an experiment whose variants are <paramref name="variants"/> (each with the paths it sets
    /// itself, <see cref="Applied"/>): replicate r of every variant plays draw <see cref="PosteriorDraws.ForReplicate"/>(r,
    /// <paramref name="runs"/>), so variants are paired. A draw is set on the bound scenario's records directly when that is
    /// checked (on the variant's first draw) to give what binding the overrides gives; else each distinct draw is bound
    /// from the YAML (once, when draws repeat because there are more runs than draws).
    /// </summary>
    public ReplicateUncertainty For(UncertaintyMode mode, IReadOnlyList<(LoadedScenario Scenario, bool[] Applied)> variants, int runs)
    {
        if (mode == UncertaintyMode.Seed)
        {
            return ReplicateUncertainty.Seed;
        }
        var reused = runs > Draws.Count;
        var bound = variants.Select(_ => new ConcurrentDictionary<double[], Lazy<Model.Config.ScenarioInfo>>(ReferenceEqualityComparer.Instance)).ToArray();
        var direct = variants.Select(v => new Lazy<DirectValues?>(() => Verified(v.Scenario, v.Applied, runs))).ToArray();
        return Describe(mode) with
        {
            ScenarioOf = (v, r) =>
            {
                var draw = Draws.ForReplicate(r, runs);
                if (direct[v].Value?.Apply(variants[v].Scenario.Info, draw, variants[v].Applied) is { } fast)
                {
                    return fast;
                }
                return reused
                    ? bound[v].GetOrAdd(draw, d => new Lazy<Model.Config.ScenarioInfo>(() => Bind(variants[v], d, r))).Value
                    : Bind(variants[v], draw, r);
            },
        };
    }

    /// <summary>Direct setting of the draws' values, if it gives <paramref name="scenario"/> with the first draw exactly as binding does.</summary>
    private DirectValues? Verified(LoadedScenario scenario, bool[] applied, int runs)
    {
        if (DirectValues.For(scenario.Info, Draws.Paths) is not { } direct)
        {
            return null;
        }
        var draw = Draws.ForReplicate(0, runs);
        try
        {
            var fast = direct.Apply(scenario.Info, draw, applied);
            return fast is not null && fast.Fingerprint() == Apply(scenario, draw, applied).Info.Fingerprint() ? direct : null;
        }
        catch (ScenarioException)
        {
            return null;
        }
    }

    /// <summary>The uncertainty as outputs state it (mode, draws, key), without the scenarios.</summary>
    public ReplicateUncertainty Describe(UncertaintyMode mode) => mode == UncertaintyMode.Seed
        ? ReplicateUncertainty.Seed
        : new ReplicateUncertainty
        {
            Mode = mode,
            Draws = Draws.Count,
            DrawsKey = Draws.Key,
            DrawsDigest = Digest,
            DrawsFile = CsvPath,
            DrawsScenario = ScenarioFile,
            DrawsConverged = Converged,
        };

    private Model.Config.ScenarioInfo Bind((LoadedScenario Scenario, bool[] Applied) variant, double[] draw, int replicate)
    {
        try
        {
            return Apply(variant.Scenario, draw, variant.Applied).Info;
        }
        catch (ScenarioException e)
        {
            var index = Enumerable.Range(0, Draws.Count).First(i => ReferenceEquals(Draws.Draws[i], draw));
            throw new PosteriorException(
                $"posterior draw {index + 1} of {CsvPath} (replicate {replicate}) is not valid for {variant.Scenario.File}: {string.Join("; ", e.Errors.Select(x => x.Message))}");
        }
    }

    /// <summary>A scenario file's top-level mapping, or null if it cannot be read as one.</summary>
    private static YamlMappingNode? TopLevel(string path)
    {
        try
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(path);
            stream.Load(reader);
            return stream.Documents.Count > 0 ? stream.Documents[0].RootNode as YamlMappingNode : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            return null;
        }
    }

    private static string? Extends(YamlMappingNode top) =>
        top.Children.TryGetValue(new YamlScalarNode("extends"), out var node) && node is YamlScalarNode { Value: { Length: > 0 } e } ? e : null;
}
