using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using YamlDotNet.RepresentationModel;

namespace Simulation.Tests.Support;

/// <summary>One generated scenario: which shipped file, the mutations applied to its tree, and whether it starts with a byte-order mark.</summary>
public sealed record FuzzCase(int Scenario, Mutation[] Mutations, bool ByteOrderMark)
{
    public override string ToString() =>
        $"{FuzzScenarios.Files[Scenario % FuzzScenarios.Files.Count].Name} bom={ByteOrderMark} [{string.Join("; ", Mutations.Select(m => $"{m.Kind}({m.Target},{m.Variant})"))}]";
}

/// <summary>A mutated scenario written to disk, with what was done to it.</summary>
public sealed record FuzzFile(string Path, string Description, string Text) : IDisposable
{
    public void Dispose() => File.Delete(Path);
}

/// <summary>
/// The shipped scenarios (baseline and what-ifs) shortened to <see cref="Months"/> months of week ticks,
/// written once to a temporary folder (with the repository's <c>seeds/</c> linked beside them, so sources
/// are checked), and the FsCheck generator of mutations of them.
/// </summary>
public static class FuzzScenarios
{
    public const int Months = 3;

    private static readonly Lazy<(string Root, IReadOnlyList<(string Name, YamlNode Tree)> Files)> Setup = new(Create);
    private static int _counter;

    public static string Root => Setup.Value.Root;

    /// <summary>The shortened files: <c>baseline.yaml</c> and <c>what-if/*.yaml</c> (which extend <c>../baseline.yaml</c>).</summary>
    public static IReadOnlyList<(string Name, YamlNode Tree)> Files => Setup.Value.Files;

    public static Arbitrary<FuzzCase> Cases() => Generator.ToArbitrary();

    public static Gen<FuzzCase> Generator { get; } =
        from scenario in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, 16)))
        from count in Gen.Frequency((5, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(3)))
        from mutations in Gen.ArrayOf(MutationGen, count)
        from bom in Gen.Frequency((19, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new FuzzCase(scenario, mutations, bom);

    private static Gen<Mutation> MutationGen { get; } =
        from kind in Gen.Frequency(
            (6, Gen.Constant(MutationKind.ReplaceValue)),
            (4, Gen.Constant(MutationKind.ScaleNumber)),
            (3, Gen.Constant(MutationKind.ExtremeNumber)),
            (2, Gen.Constant(MutationKind.RootField)),
            (4, Gen.Constant(MutationKind.ShiftDate)),
            (3, Gen.Constant(MutationKind.SwapReference)),
            (2, Gen.Constant(MutationKind.DropKey)),
            (2, Gen.Constant(MutationKind.DuplicateItem)),
            (1, Gen.Constant(MutationKind.RemoveItem)),
            (1, Gen.Constant(MutationKind.EmptyList)),
            (1, Gen.Constant(MutationKind.AddUnknownKey)))
        from target in Gen.Choose(0, 1 << 20)
        from variant in Gen.Choose(0, 1 << 20)
        select new Mutation(kind, target, variant);

    /// <summary>Writes the case's mutated file beside the file it mutates (so a what-if still extends the shortened baseline); null if the tree has nothing the mutations need.</summary>
    public static FuzzFile? Write(FuzzCase c)
    {
        var (name, tree) = Files[c.Scenario % Files.Count];
        var root = ScenarioMutator.Clone(tree);
        var done = new List<string>();
        try
        {
            foreach (var m in c.Mutations)
            {
                done.Add(ScenarioMutator.Apply(root, m));
            }
        }
        catch (NothingToMutateException)
        {
            return null;
        }
        var yaml = ScenarioMutator.Serialize(root);
        var folder = Path.GetDirectoryName(Path.Combine(Root, name))!;
        var path = Path.Combine(folder, $"fuzz-{Interlocked.Increment(ref _counter)}.yaml");
        var bytes = Encoding.UTF8.GetBytes(yaml);
        File.WriteAllBytes(path, c.ByteOrderMark ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);
        return new FuzzFile(path, $"{name}{(c.ByteOrderMark ? " (with BOM)" : "")}: {string.Join("; ", done)}", yaml);
    }

    private static (string, IReadOnlyList<(string, YamlNode)>) Create()
    {
        var root = Directory.CreateTempSubdirectory("sim-fuzz-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(root, recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(root, "seeds"), Path.Combine(Repo.Root, "seeds"));
        Directory.CreateDirectory(Path.Combine(root, "what-if"));
        var baseline = (YamlMappingNode)ScenarioMutator.Parse(File.ReadAllText(Repo.Baseline));
        var start = Date(baseline, "start");
        var end = Date(baseline, "end");
        var newEnd = start.AddMonths(Months).AddDays(-1);
        var files = new List<(string, YamlNode)>();
        foreach (var path in Repo.AllScenarios())
        {
            var tree = ScenarioMutator.Parse(File.ReadAllText(path));
            var isBase = path == Repo.Baseline;
            ScenarioMutator.Shorten(tree, start, end, newEnd, isBase ? "week" : null);
            var name = Path.GetRelativePath(Repo.Scenarios, path).Replace('\\', '/');
            File.WriteAllText(Path.Combine(root, name), ScenarioMutator.Serialize(tree));
            files.Add((name, tree));
        }
        // The baseline first: the generator picks index 0 most often.
        return (root, [.. files.OrderBy(f => f.Item1 == "baseline.yaml" ? 0 : 1).ThenBy(f => f.Item1, StringComparer.Ordinal)]);
    }

    private static DateOnly Date(YamlMappingNode map, string key) =>
        DateOnly.ParseExact(((YamlScalarNode)map.Children[key]).Value!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
