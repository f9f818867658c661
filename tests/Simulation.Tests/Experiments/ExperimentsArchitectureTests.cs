using Simulation.Experiments;

namespace Simulation.Tests.Experiments;

public sealed class ExperimentsArchitectureTests
{
    [Fact]
    public void The_experiment_runner_references_no_command_line_console_or_orleans_runtime()
    {
        var referenced = typeof(ExperimentRunner).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(referenced, n => n.StartsWith("System.CommandLine", StringComparison.Ordinal));
        Assert.DoesNotContain(referenced, n => n.StartsWith("Spectre", StringComparison.Ordinal));
        Assert.DoesNotContain(referenced, n => n is "Orleans.Runtime" or "Orleans.Server" or "Orleans.Client");
        Assert.DoesNotContain(referenced, n => n == "Simulation.Cli");
    }
}
