using System.CommandLine;

namespace Simulation.Cli.Commands;

/// <summary>
/// <c>--set PATH=VALUE</c>, repeatable: changes one value of the scenario by path, after the file's own
/// overrides (see <see cref="Scenarios.ScenarioOverrides"/>). Pass the values to
/// <see cref="Scenarios.ScenarioLoader.Load(string, IReadOnlyList{string})"/>.
/// </summary>
public static class SetOption
{
    public static Option<string[]> Create() => new("--set")
    {
        Description = "Change a value by path, e.g. --set companies.alibaba.policy.arbitrationProbability=0.5 " +
            "(list items by id, '*' for all); repeatable.",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
        HelpName = "PATH=VALUE",
    };
}
