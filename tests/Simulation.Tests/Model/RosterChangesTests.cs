using Simulation.Cli.Bench;
using Simulation.Contracts.Wire;
using Simulation.Model.Engine;
using Simulation.Model.Phases;
using Simulation.Model.Rules;

namespace Simulation.Tests.Model;

/// <summary>
/// A silo holding a tick's roster is sent only the changes to the next (<see cref="RosterChanges"/>): a tick changes a
/// few entries of many, and the whole roster of 100,000 researchers is about 10 MB on the wire.
/// </summary>
public sealed class RosterChangesTests
{
    [Fact]
    public void Changes_that_crossed_the_wire_applied_to_the_roster_before_make_the_next_roster_entry_for_entry()
    {
        // 50 companies and 5,000 researchers: about a hundred entries change a week.
        var views = Views(SyntheticScenario.Scaled(50).Build(), ticks: 12);
        // What a silo holds: the first roster as it arrived whole.
        var held = ModelJson.RoundTrip(RosterChanges.Between(null, views[0])).ApplyTo(null);
        var changed = 0;
        for (var t = 1; t < views.Count; t++)
        {
            var changes = ModelJson.RoundTrip(RosterChanges.Between(views[t - 1], views[t]));
            Assert.Null(changes.Made);
            Assert.Equal((views[t].Tick, views[t - 1].Tick), (changes.Tick, changes.Since));
            held = changes.ApplyTo(held);

            Assert.Equal(views[t].Tick, held.Tick);
            Assert.Equal(views[t].Deterred.ToArray(), held.Deterred.ToArray());
            Assert.Equal(views[t].Researchers.ToArray(), held.Researchers.ToArray());
            Assert.True(changes.Entries.Length < views[t].Researchers.Length / 10, $"tick {views[t].Tick}: {changes.Entries.Length} of {views[t].Researchers.Length} entries sent");
            changed += changes.Entries.Length;
        }
        // The market moves: the changes are not all empty.
        Assert.True(changed > 0, "no roster entry changed in 11 ticks");
    }

    [Fact]
    public void Changes_are_exactly_the_entries_that_differ_in_value()
    {
        var views = Views(SyntheticScenario.Scaled(20).Build(), ticks: 4);
        // The earlier roster as another process holds it: equal entries, none of them the same object.
        var before = ModelJson.RoundTrip(views[2]);
        var changes = RosterChanges.Between(before, views[3]);

        var differ = Enumerable.Range(0, views[3].Researchers.Length).Where(i => views[3].Researchers[i] != views[2].Researchers[i]).ToArray();
        Assert.Equal(differ, changes.Indices.ToArray());
        Assert.Equal(differ.Select(i => views[3].Researchers[i]).ToArray(), changes.Entries.ToArray());
    }

    [Fact]
    public void In_the_process_that_made_them_the_changes_hand_over_the_roster_itself()
    {
        var views = Views(SyntheticScenario.Scaled(10).Build(), ticks: 2);
        var changes = RosterChanges.Between(views[0], views[1]);

        Assert.Same(views[1], changes.ApplyTo(views[0]));
        Assert.Same(views[1], changes.ApplyTo(null));
    }

    [Fact]
    public void Without_a_roster_before_the_changes_are_the_whole_roster()
    {
        var views = Views(SyntheticScenario.Scaled(10).Build(), ticks: 1);
        var whole = ModelJson.RoundTrip(RosterChanges.Between(null, views[0]));

        Assert.Equal(-1, whole.Since);
        Assert.Empty(whole.Indices);
        Assert.Equal(views[0].Researchers.ToArray(), whole.ApplyTo(null).Researchers.ToArray());
    }

    [Fact]
    public void Changes_applied_to_a_roster_of_another_tick_are_refused_with_both_ticks_named()
    {
        var views = Views(SyntheticScenario.Scaled(10).Build(), ticks: 3);
        var changes = ModelJson.RoundTrip(RosterChanges.Between(views[1], views[2]));

        var error = Assert.Throws<InvalidOperationException>(() => changes.ApplyTo(views[0]));
        Assert.Contains($"tick {views[2].Tick} apply to tick {views[1].Tick}'s roster", error.Message);
        Assert.Contains($"not to tick {views[0].Tick}'s", error.Message);
        Assert.Throws<InvalidOperationException>(() => changes.ApplyTo(null));
    }

    /// <summary>The rosters the companies decide the first <paramref name="ticks"/> ticks on, one a tick.</summary>
    private static List<MarketView> Views(Simulation.Model.Config.ScenarioInfo info, int ticks)
    {
        var context = new ScenarioContext(info, info.Seed);
        var runner = new ReferenceRunner(context);
        var views = new List<MarketView> { TalentRules.View(context, TalentRules.Create(context), 0) };
        while (views.Count < ticks)
        {
            runner.Advance(1);
            views.Add(runner.LastTalent!.NextView!);
        }
        return views;
    }
}
