using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Simulation.Cli.Commands;
using Simulation.Cli.Engines;
using Simulation.Experiments;
using Simulation.Exports;
using Simulation.Model.Metrics;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;
using Simulation.Tests.Support;

namespace Simulation.Tests.Scenarios;

/// <summary>
/// Mutates the shipped scenarios (shortened to <see cref="FuzzScenarios.Months"/> months of week ticks) thousands
/// of times and checks that what the loader accepts, the reference engine can play. Seeded: a failure names
/// its case and replays with the same <c>Replay</c>.
/// </summary>
public class ScenarioFuzzTests
{
    /// <summary>A loaded scenario longer than this is not played here (its calendar is still built); long horizons have their own tests.</summary>
    private const int MaxTicksPlayed = 400;

    [Property(MaxTest = 3000, Parallelism = 2, Replay = "(20261201,7919)", Arbitrary = [typeof(FuzzScenarios)])]
    public void Mutated_scenario_either_loads_and_plays_to_the_end_with_finite_numbers_or_is_rejected_with_scenario_errors(FuzzCase fuzz)
    {
        using var file = FuzzScenarios.Write(fuzz);
        if (file is null)
        {
            return;
        }
        try
        {
            LoadedScenario loaded;
            try
            {
                loaded = ScenarioLoader.Load(file.Path);
            }
            catch (ScenarioException e)
            {
                Assert.All(e.Errors, error => Assert.True(error.Line >= 0 && !string.IsNullOrWhiteSpace(error.Message), error.ToString()));
                return;
            }
            var calendar = loaded.Info.CreateCalendar();
            if (calendar.Count > MaxTicksPlayed)
            {
                return;
            }
            var output = SimulationRun.RunAsync(new ReferenceEngine(), loaded, loaded.Info.Seed).GetAwaiter().GetResult();
            Assert.Equal(calendar.Count, output.TickRows.Select(r => r.Tick).Distinct().Count());
            AssertFinite(output);
            RunExport.Render(output);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{fuzz}\n{file.Description}\n{e}");
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{fuzz}\n{file.Description}\n{e.Message}");
        }
    }

    [Property(MaxTest = 150, Replay = "(20261202,104729)", Arbitrary = [typeof(FuzzScenarios)])]
    public async Task Sim_validate_and_run_on_a_mutated_scenario_exit_with_success_or_bad_input_and_agree(FuzzCase fuzz)
    {
        using var file = FuzzScenarios.Write(fuzz);
        if (file is null)
        {
            return;
        }
        var output = Path.Combine(FuzzScenarios.Root, "out-" + Path.GetFileNameWithoutExtension(file.Path));
        try
        {
            var validate = await SimAsync("validate", file.Path);
            var run = await SimAsync("run", file.Path, "--engine", "reference", "--no-charts", "--out", output);
            var context = $"{file.Description}\nvalidate: {validate}\nrun: {run}";
            Assert.True(validate.Code is ExitCodes.Success or ExitCodes.BadInput, context);
            Assert.True(run.Code is ExitCodes.Success or ExitCodes.BadInput, context);
            Assert.True(validate.Code == run.Code, "validate and run disagree: " + context);
            Assert.DoesNotContain((validate.Out + validate.Err + run.Out + run.Err).Split('\n'), line => line.StartsWith("   at ", StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Fact]
    public void Fuzz_cases_reach_the_engine_often_enough_to_test_it()
    {
        var cases = FuzzScenarios.Generator.Sample(size: 10, numberOfSamples: 300, seed: new Rnd(20261201UL, 7919UL)).ToList();
        var loaded = 0;
        foreach (var fuzz in cases)
        {
            using var file = FuzzScenarios.Write(fuzz);
            try
            {
                if (file is not null && ScenarioLoader.Load(file.Path) is not null)
                {
                    loaded++;
                }
            }
            catch (ScenarioException)
            {
            }
        }
        // About one in six loads (measured: 52 of 300); below one in ten the fuzz would mostly test rejections.
        Assert.InRange(loaded, cases.Count / 10, cases.Count);
    }

    [Fact]
    public async Task Shortened_shipped_scenarios_all_load_and_play()
    {
        foreach (var (name, _) in FuzzScenarios.Files)
        {
            var loaded = ScenarioLoader.Load(Path.Combine(FuzzScenarios.Root, name));
            var output = await SimulationRun.RunAsync(new ReferenceEngine(), loaded, loaded.Info.Seed);
            Assert.NotEmpty(output.MonthRows);
            AssertFinite(output);
        }
    }

    private static async Task<(int Code, string Out, string Err)> SimAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await SimCommand.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static void AssertFinite(RunOutput output)
    {
        foreach (var row in output.TickRows.Concat(output.MonthRows))
        {
            AssertFinite(row, row.Mau, row.Wau, row.Active, row.NewUsers, row.RetentionD30, row.MarketShare, row.Quality, row.Headcount, row.CashUsd);
        }
        foreach (var c in output.FinalCompanies)
        {
            AssertFinite(c, c.CashUsd, c.Headcount, c.ModelQuality, c.RevenueUsd, c.SpendUsd, c.UnpaidUsd);
        }
        foreach (var (e, date) in output.Events)
        {
            AssertFinite(e, e.AmountUsd);
        }
    }

    private static void AssertFinite(object what, params double?[] values) =>
        Assert.True(values.All(v => v is null || double.IsFinite(v.Value)), $"not finite: {what}");
}
