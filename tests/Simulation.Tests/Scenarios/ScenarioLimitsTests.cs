using Simulation.Cli.Commands;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;
using Simulation.Tests.Support;

namespace Simulation.Tests.Scenarios;

/// <summary>Values each field accepts but the run cannot represent are rejected at their field, naming the limit.</summary>
public class ScenarioLimitsTests
{
    private static ScenarioError SingleError(params string[] sets) =>
        Assert.Single(Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(Repo.Baseline, sets)).Errors);

    [Theory]
    [InlineData("end=9999-12-31", "end", "expected a date in the years 1900 to 2200, got 9999-12-31")]
    [InlineData("start=1899-12-31", "start", "expected a date in the years 1900 to 2200, got 1899-12-31")]
    [InlineData("companies.bytedance.revenue.0.monthlyUsd=1e308", "monthlyUsd", "expected a number in [0, 1e13], got 1e308")]
    [InlineData("companies.bytedance.cashUsd=1.5e15", "cashUsd", "expected a number in [0, 1e15], got 1.5e15")]
    [InlineData("markets.china-aigc.potential=2e11", "potential", "expected a number in [0, 1e11], got 2e11")]
    [InlineData("companies.bytedance.workforce.engineer=1e12", "engineer", "expected a number in [0, 1e8], got 1e12")]
    [InlineData("talent.tiers.engineer.productivity=1e308", "productivity", "expected a number in [0, 10000], got 1e308")]
    [InlineData("talent.starUplift=1e200", "starUplift", "expected a number in [0, 5], got 1e200")]
    public void A_value_beyond_its_declared_range_or_its_units_ceiling_is_rejected_at_its_field_naming_the_range(string set, string field, string message)
    {
        var error = SingleError(set);

        Assert.EndsWith(field, error.Path, StringComparison.Ordinal);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(("--set", 1), (error.File, error.Line));
    }

    [Theory]
    [InlineData("companies.bytedance.revenue.0.monthlyUsd=1e13")]
    [InlineData("markets.china-aigc.potential=1e11")]
    [InlineData("talent.starUplift=5")]
    [InlineData("start=1900-01-01,tick=week")]
    public void A_value_at_its_limit_loads(string sets)
    {
        Assert.NotNull(ScenarioLoader.Load(Repo.Baseline, sets.Split(',')));
    }

    [Fact]
    public void A_horizon_of_more_ticks_than_the_limit_is_rejected_at_end_naming_the_limit_and_the_count()
    {
        var error = SingleError("end=2200-12-31");

        Assert.Equal("end", error.Path);
        Assert.Equal("expected a horizon of at most 36,525 ticks (100 years by day; use tick: week or month for longer), got 65,013 day ticks from 2023-01-01 to 2200-12-31", error.Message);
    }

    [Fact]
    public void The_same_horizon_by_week_loads()
    {
        var loaded = ScenarioLoader.Load(Repo.Baseline, ["end=2200-12-31", "tick=week"]);

        Assert.Equal(loaded.Info.CreateCalendar().Count, ScenarioLimits.Ticks(loaded.Info.Start, loaded.Info.End, loaded.Info.TickLength));
    }

    [Fact]
    public void A_name_too_long_for_a_folder_is_rejected_at_its_line_and_column()
    {
        var text = File.ReadAllText(Repo.Baseline).Replace("name: baseline", "name: " + new string('a', 220), StringComparison.Ordinal);

        var error = Assert.Single(Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "long.yaml")).Errors);

        var line = 1 + text[..text.IndexOf("name: aaa", StringComparison.Ordinal)].Count(c => c == '\n');
        Assert.Equal(new ScenarioError("long.yaml", line, 7, "name", "expected at most 64 characters, got 220"), error);
    }

    [Fact]
    public void An_event_dated_the_first_day_of_the_calendar_is_rejected()
    {
        // The binder reads DateOnly.MinValue as "no date", so it does not check this one against the scenario's span.
        var error = SingleError("events.0.date=0001-01-01");

        Assert.Equal("expected a date in the years 1900 to 2200, got 0001-01-01", error.Message);
    }

    [Theory]
    [InlineData("end=9999-12-31")]
    [InlineData("companies.bytedance.revenue.0.monthlyUsd=1e308")]
    [InlineData("name=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Sim_validate_and_run_with_runs_reject_an_unrepresentable_set_as_bad_input_and_write_nothing(string set)
    {
        var output = Path.Combine(Path.GetTempPath(), "sim-limits-" + Guid.NewGuid().ToString("N"));
        var stderr = new StringWriter();

        var validate = await SimCommand.InvokeAsync(["validate", Repo.Baseline, "--set", set], TextWriter.Null, stderr);
        var run = await SimCommand.InvokeAsync(["run", Repo.Baseline, "--set", set, "--engine", "reference", "--runs", "5", "--no-charts", "--out", output], TextWriter.Null, stderr);

        Assert.Equal((ExitCodes.BadInput, ExitCodes.BadInput), (validate, run));
        Assert.False(Directory.Exists(output));
        Assert.DoesNotContain("internal error", stderr.ToString(), StringComparison.Ordinal);
    }
}
