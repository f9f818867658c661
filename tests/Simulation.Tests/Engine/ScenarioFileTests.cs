using Simulation.Experiments;
using Simulation.Cli.Engines;
using Simulation.Exports;
using Simulation.Scenarios;
using Simulation.Tests.Support;

namespace Simulation.Tests.Engine;

/// <summary>Every example scenario validates and runs with its fixed seed (Mesa's rule for examples).</summary>
public sealed class ScenarioFileTests
{
    public static TheoryData<string> Files() => [.. Repo.AllScenarios().Select(f => Path.GetRelativePath(Repo.Root, f))];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_scenario_file_validates_and_runs(string file)
    {
        var loaded = ScenarioLoader.Load(Path.Combine(Repo.Root, file));
        var output = await SimulationRun.RunAsync(new ReferenceEngine(), loaded, loaded.Info.Seed);

        var months = (loaded.Info.End.Year - loaded.Info.Start.Year) * 12 + loaded.Info.End.Month - loaded.Info.Start.Month + 1;
        Assert.Equal(months, output.MonthRows.Select(r => r.Month).Distinct().Count());
        Assert.All(output.MonthRows, r =>
        {
            Assert.True(double.IsFinite(r.Mau) && r.Mau >= 0, $"{r.Month} {r.App}: MAU {r.Mau}");
            Assert.InRange(r.MarketShare, 0, 1);
            Assert.True(r.CashUsd is null or >= 0);
        });
        Assert.StartsWith(RunExport.MonthlyHeader, RunExport.Monthly(output));
    }
}
