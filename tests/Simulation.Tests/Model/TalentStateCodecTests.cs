using Simulation.Model.Engine;
using Simulation.Model.State;
using Simulation.Scenarios;
using Simulation.Tests.Support;

namespace Simulation.Tests.Model;

/// <summary>The job market's binary checkpoint form (the scheduler grain's): every field back as written, and nothing else read.</summary>
public sealed class TalentStateCodecTests
{
    /// <summary>The baseline's job market after the talent war: moves, non-competes, a filing and its arbitration.</summary>
    private static TalentState Played(int ticks)
    {
        var info = ScenarioLoader.Load(Path.Combine(Repo.Scenarios, "baseline.yaml")).Info;
        var runner = new ReferenceRunner(info, info.Seed);
        runner.Advance(ticks);
        return runner.Talent;
    }

    [Fact]
    public void A_played_job_market_reads_back_field_for_field_with_its_non_competes_and_arbitrations()
    {
        var state = Played(735);
        Assert.Contains(state.Researchers, r => r.BoundTo is not null);
        Assert.NotEmpty(state.Arbitrations);

        var back = TalentStateCodec.Read(TalentStateCodec.Write(state));

        Assert.Equivalent(state.Researchers, back.Researchers, strict: true);
        Assert.Equivalent(state.Arbitrations, back.Arbitrations, strict: true);
        Assert.Equal(state.DeterredUntilDay, back.DeterredUntilDay);
        Assert.Equal(state.Unemployed, back.Unemployed);
        // Doubles by their bits, not by a rounded text.
        Assert.Equal(state.Researchers.Select(r => BitConverter.DoubleToInt64Bits(r.MonthlySalaryUsd)), back.Researchers.Select(r => BitConverter.DoubleToInt64Bits(r.MonthlySalaryUsd)));
    }

    [Fact]
    public void Bytes_of_another_format_or_cut_short_are_refused_as_invalid_data()
    {
        var bytes = TalentStateCodec.Write(Played(10));

        Assert.Throws<InvalidDataException>(() => TalentStateCodec.Read(bytes[..^3]));
        Assert.Throws<InvalidDataException>(() => TalentStateCodec.Read([.. bytes, 0]));
        Assert.Throws<InvalidDataException>(() => TalentStateCodec.Read("{\"Researchers\":[]}"u8.ToArray()));
    }
}
