using Simulation.Model.Engine;
using Simulation.Tests.Support;

namespace Simulation.Tests.Model;

/// <summary>A star who moves to a rival draws colleagues along (a lift-out): people leave one pool for the other, none are created.</summary>
public sealed class FollowerTests
{
    [Fact]
    public void A_poached_star_brings_followers_per_star_times_skill_colleagues_from_the_old_pool_to_the_new()
    {
        var rivals = TestScenarios.Rivals(arbitration: 0, nonCompete: 0);
        var scenario = rivals with { Talent = rivals.Talent with { FollowersPerStar = 4 } };
        var runner = new ReferenceRunner(scenario, scenario.Seed);

        while (runner.NextTick < runner.TickCount)
        {
            var report = runner.Advance(1)[0];
            var poach = report.Events.FirstOrDefault(e => e.Kind == "poach");
            if (poach is null)
            {
                Assert.All(runner.LastTalent!.Companies, c => Assert.True(c.Followers.IsDefaultOrEmpty || c.Followers.All(f => f == 0)));
                continue;
            }
            // Each company's net followers: 4 x skill 0.5 per star it won, minus per star it lost.
            foreach (var company in runner.LastTalent!.Companies)
            {
                var won = report.Events.Count(e => e.Kind == "poach" && e.To == company.Company);
                var lost = report.Events.Count(e => e.Kind == "poach" && e.From == company.Company);
                Assert.Equal(2.0 * (won - lost), company.Followers[0], 12);
            }
            Assert.Equal(0, runner.LastTalent.Companies.Sum(c => c.Followers[0]), 12);
            return;
        }
        Assert.Fail("no star was poached in the rivals scenario");
    }

    [Fact]
    public void Stars_move_alone_by_default()
    {
        var scenario = TestScenarios.Rivals(arbitration: 0, nonCompete: 0);
        var runner = new ReferenceRunner(scenario, scenario.Seed);

        while (runner.NextTick < runner.TickCount)
        {
            runner.Advance(1);
            Assert.All(runner.LastTalent!.Companies, c => Assert.True(c.Followers.IsDefaultOrEmpty));
        }
    }
}
