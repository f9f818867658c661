using Simulation.Scenarios;

namespace Simulation.Calibration.Sensitivity;

/// <summary>A value given to a parameter at a point of a sweep or a sensitivity design.</summary>
public sealed record ParameterValue(string Path, double Value);

/// <summary>
/// Turns parameter values into the <c>PATH=VALUE</c> overrides that give them, keeping shares that must sum
/// to 1 valid: a company policy's <c>salaryShare</c>, <c>computeShare</c> and <c>marketingShare</c> (also
/// in a policy event's <c>changes</c>) and <c>legal.outcomes</c> (damages, settlement, dismissed). When some
/// shares of such a group are given, the others of the group are rescaled in proportion to their base values
/// so that the group still sums to 1; when every share of a group is given, they are all scaled to sum to 1.
/// </summary>
public sealed class ParameterChanges
{
    private static readonly string[] BudgetShares = ["salaryShare", "computeShare", "marketingShare"];
    private static readonly string[] Outcomes = ["damages", "settlement", "dismissed"];

    private readonly Dictionary<string, double> _base = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _groups = new(StringComparer.Ordinal);

    public ParameterChanges(IReadOnlyList<NumericParameter> numbers)
    {
        Numbers = numbers;
        foreach (var n in numbers)
        {
            _base.TryAdd(n.Path, n.Value);
        }
        foreach (var group in numbers.Select(n => n.Path).Where(p => GroupKey(p) is not null).GroupBy(p => GroupKey(p)!, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            foreach (var member in members)
            {
                _groups[member] = members;
            }
        }
    }

    /// <summary>Every number of the scenario, by path (<see cref="ScenarioOverrides.NumericPaths"/>).</summary>
    public IReadOnlyList<NumericParameter> Numbers { get; }

    /// <summary>The value the scenario gives <paramref name="path"/>, or null if it writes none there (a default or a '*').</summary>
    public double? BaseValue(string path) => _base.TryGetValue(path, out var v) ? v : null;

    /// <summary>The shares that must sum to 1 with <paramref name="path"/> (itself included); empty if it is in no such group.</summary>
    public IReadOnlyList<string> Group(string path) => _groups.TryGetValue(path, out var g) ? g : [];

    /// <summary>The overrides that give the values, followed by those that rescale the rest of their share groups.</summary>
    public IReadOnlyList<string> Sets(IReadOnlyList<ParameterValue> values)
    {
        var given = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            given[v.Path] = v.Value;
        }
        var sets = values.Select(v => ScenarioOverrides.SetText(v.Path, v.Value)).ToList();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            var group = Group(v.Path);
            if (group.Count < 2 || !done.Add(group[0]))
            {
                continue;
            }
            foreach (var (path, value) in Rescaled(group, given))
            {
                sets.Add(ScenarioOverrides.SetText(path, value));
            }
        }
        return sets;
    }

    /// <summary>The scenario with the values applied (and share groups kept summing to 1).</summary>
    /// <exception cref="Scenarios.Yaml.ScenarioException">A value is invalid there, or a path names nothing.</exception>
    public LoadedScenario Apply(LoadedScenario scenario, IReadOnlyList<ParameterValue> values) =>
        values.Count == 0 ? scenario : ScenarioOverrides.Apply(scenario, Sets(values));

    /// <summary>The paths of the group not given a value, rescaled; or all given ones normalised if none is left.</summary>
    private IEnumerable<(string Path, double Value)> Rescaled(IReadOnlyList<string> group, Dictionary<string, double> given)
    {
        var rest = group.Where(p => !given.ContainsKey(p)).ToList();
        var givenSum = group.Where(given.ContainsKey).Sum(p => given[p]);
        if (rest.Count == 0)
        {
            // Every share given: normalise them (the values given replace each other's overrides: last one wins).
            if (givenSum > 0 && Math.Abs(givenSum - 1) > 1e-12)
            {
                foreach (var p in group)
                {
                    yield return (p, given[p] / givenSum);
                }
            }
            yield break;
        }
        var left = 1 - givenSum;
        var restBase = rest.Sum(p => _base[p]);
        foreach (var p in rest)
        {
            yield return (p, restBase > 0 ? _base[p] * left / restBase : left / rest.Count);
        }
    }

    /// <summary>The parent of a share that belongs to a group summing to 1, or null.</summary>
    private static string? GroupKey(string path)
    {
        var dot = path.LastIndexOf('.');
        if (dot < 0)
        {
            return null;
        }
        var (parent, name) = (path[..dot], path[(dot + 1)..]);
        if (BudgetShares.Contains(name, StringComparer.Ordinal) && (parent.EndsWith(".policy", StringComparison.Ordinal) || parent.EndsWith(".changes", StringComparison.Ordinal)))
        {
            return parent;
        }
        return parent == "legal.outcomes" && Outcomes.Contains(name, StringComparer.Ordinal) ? parent : null;
    }
}
