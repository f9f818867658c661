using Simulation.Model.Config;
using Simulation.Model.Engine;
using Simulation.Model.Rules;
using Simulation.Model.Time;
using Simulation.Tests.Support;

namespace Simulation.Tests.Model;

public sealed class RetentionAndBassTests
{
    [Theory]
    [InlineData(0.05, 3, 240)]
    [InlineData(0.2, 3, 240)]
    [InlineData(0.345, 3, 240)]
    [InlineData(0.5, 4, 365)]
    [InlineData(0.85, 2, 400)]
    public void A_retention_curve_gives_its_stated_30_day_retention(double d30, double fast, double slow)
    {
        var curve = RetentionCurve.From(new RetentionInfo { D30 = d30, FastHalfLifeDays = fast, SlowHalfLifeDays = slow });

        Assert.Equal(d30, curve.At(30), 12);
        Assert.Equal(1.0, curve.At(0), 12);
        Assert.True(curve.At(60) < curve.At(30));
    }

    [Fact]
    public void A_30_day_retention_the_half_lives_cannot_reach_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => RetentionCurve.From(new RetentionInfo { D30 = 0.99, SlowHalfLifeDays = 100 }));
        Assert.Contains("strictly between", e.Message);
    }

    [Fact]
    public void A_cohort_decays_along_the_curve_when_stepped_one_day_at_a_time()
    {
        var curve = RetentionCurve.From(new RetentionInfo { D30 = 0.345 });
        double[] stock = [curve.Weight(0) * 1000, curve.Weight(1) * 1000];
        for (var day = 0; day < 30; day++)
        {
            for (var k = 0; k < stock.Length; k++)
            {
                stock[k] *= Math.Exp(-curve.Rate(k));
            }
        }

        Assert.Equal(345, stock.Sum(), 9);
    }

    [Theory]
    [InlineData(TickLength.Day)]
    [InlineData(TickLength.Week)]
    [InlineData(TickLength.Month)]
    public void Without_word_of_mouth_first_adoptions_follow_the_closed_form_whatever_the_tick(TickLength tick)
    {
        const double p = 0.3;
        var scenario = TestScenarios.SingleApp(p, q: 0, tick);
        var runner = new ReferenceRunner(scenario, seed: 1);
        var context = new ScenarioContext(scenario, 1);

        var reports = runner.RunToEnd();

        Assert.Equal(context.Calendar.Count, reports.Count);
        foreach (var report in reports)
        {
            var years = context.YearsAtEnd(context.Calendar[report.Tick]);
            var market = report.Markets[0];
            var everAdopted = 1 - market.NeverAdopted / market.Potential;
            Assert.Equal(1 - Math.Exp(-p * years), everAdopted, 1e-9);
        }
    }

    [Fact]
    public void Word_of_mouth_comes_from_active_users_so_churn_slows_adoption_below_cumulative_Bass()
    {
        const double p = 0.3, q = 2.0;
        var scenario = TestScenarios.SingleApp(p, q, TickLength.Day);
        var context = new ScenarioContext(scenario, 1);

        var reports = new ReferenceRunner(scenario, seed: 1).RunToEnd();

        var last = reports[^1].Markets[0];
        var years = context.YearsAtEnd(context.Calendar[reports[^1].Tick]);
        var everAdopted = 1 - last.NeverAdopted / last.Potential;
        Assert.True(everAdopted < Bass.ClosedForm(p, q, years) - 0.01, $"ever adopted {everAdopted} vs Bass {Bass.ClosedForm(p, q, years)}");
        Assert.True(everAdopted > 1 - Math.Exp(-p * years), "word of mouth adds nothing");
    }

    [Fact]
    public void Bass_steps_compose_so_the_tick_length_does_not_change_the_path()
    {
        var once = Bass.Step(0.1, 0.03, 0.4, 2.0);
        var twice = Bass.Step(Bass.Step(0.1, 0.03, 0.4, 0.5), 0.03, 0.4, 1.5);

        Assert.Equal(once, twice, 12);
    }

    [Fact]
    public void Without_innovators_imitation_alone_spreads_from_existing_adopters()
    {
        Assert.Equal(0, Bass.Step(0, 0, 1, 1));
        Assert.True(Bass.Step(0.01, 0, 1, 1) > 0.01);
    }

    [Fact]
    public void Lapsed_users_come_back_when_the_market_has_a_reactivation_rate()
    {
        var final = TestScenarios.SingleApp(tick: TickLength.Month);
        var returning = final with { Markets = [final.Markets[0] with { Reactivation = 2 }] };

        var a = new ReferenceRunner(final, 1).RunToEnd()[^1].Markets[0];
        var b = new ReferenceRunner(returning, 1).RunToEnd()[^1].Markets[0];

        Assert.True(b.Lapsed < a.Lapsed, $"lapsed {b.Lapsed} vs {a.Lapsed}");
        Assert.True(b.ActivePeople > a.ActivePeople, $"active {b.ActivePeople} vs {a.ActivePeople}");
        Assert.True(b.Reactivated > 0);
        Assert.Equal(0, a.Reactivated);
    }

    [Fact]
    public void Research_luck_is_a_random_walk_with_the_stated_volatility_and_off_by_default()
    {
        const double volatility = 0.3;
        var plain = TestScenarios.SingleApp(tick: TickLength.Month, years: 1);
        var lucky = plain with { Quality = plain.Quality with { Volatility = volatility } };

        var noLuck = new ReferenceRunner(plain, 1);
        noLuck.RunToEnd();
        var positions = Enumerable.Range(1, 2000).Select(seed =>
        {
            var runner = new ReferenceRunner(lucky, (ulong)seed);
            runner.RunToEnd();
            return runner.Companies[0].LogEfficiency;
        }).ToArray();

        Assert.Equal(0, noLuck.Companies[0].LogEfficiency);
        Assert.Equal(0, positions.Average(), 0.03);
        // One year of monthly steps: the variance is volatility^2 x 1 year.
        Assert.Equal(volatility * volatility, MathNet.Numerics.Statistics.Statistics.Variance(positions), 0.01);
        Assert.NotEqual(positions[0], positions[1]);
    }
}
