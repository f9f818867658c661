namespace Simulation.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Scenarios => Path.Combine(Root, "scenarios");

    public static string Baseline => Path.Combine(Scenarios, "baseline.yaml");

    public static IEnumerable<string> AllScenarios() =>
        Directory.EnumerateFiles(Scenarios, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Simulation.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Simulation.sln not found above " + AppContext.BaseDirectory);
    }
}
