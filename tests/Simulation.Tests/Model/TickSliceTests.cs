using System.Text.Json;
using System.Text.Json.Serialization;
using Simulation.Cli.Bench;
using Simulation.Model.Engine;
using Simulation.Model.Rules;

namespace Simulation.Tests.Model;

/// <summary>
/// Runs advance in slices of ticks (<see cref="Simulation.Experiments.Replicates.TicksPerCall"/>): a slice must cost what its ticks
/// cost one at a time. Each tick's roster is made from the one the companies decided on, copying only the researchers the
/// rules changed; made from a stale roster, every tick of a slice remade every entry changed since the slice began.
/// </summary>
public sealed class TickSliceTests
{
    private const int Slice = 31;

    /// <summary>Reports hold infinities (a ratio with nothing to divide by): written by name.</summary>
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [Fact]
    public void A_slice_of_ticks_allocates_no_more_than_its_ticks_played_one_at_a_time_and_reports_the_same()
    {
        // 50 companies and 5,000 researchers: about a hundred roster entries change a week.
        var info = SyntheticScenario.Scaled(50).Build();
        var context = new ScenarioContext(info, info.Seed);
        Play(context, Slice, out _);

        var oneByOne = Play(context, 1, out var single);
        var inOneSlice = Play(context, Slice, out var sliced);

        Assert.Equal(single, sliced);
        // One at a time makes a list per tick more; a slice remaking entries grew with the slice (several times as much).
        Assert.True(inOneSlice <= oneByOne * 1.02, $"a slice of {Slice} ticks allocated {inOneSlice:N0} bytes, the same ticks one at a time {oneByOne:N0}");
    }

    /// <summary>Plays the first <see cref="Slice"/> ticks in slices of <paramref name="ticks"/>: the bytes allocated, and the reports as JSON.</summary>
    private static long Play(ScenarioContext context, int ticks, out string reports)
    {
        var runner = new ReferenceRunner(context);
        var played = new List<Simulation.Model.Phases.TickReport>();
        var before = GC.GetAllocatedBytesForCurrentThread();
        while (runner.NextTick < Slice)
        {
            played.AddRange(runner.Advance(Math.Min(ticks, Slice - runner.NextTick)));
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        reports = JsonSerializer.Serialize(played, Json);
        return allocated;
    }
}
