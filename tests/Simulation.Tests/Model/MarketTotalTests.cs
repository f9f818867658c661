using Simulation.Experiments;
using Simulation.Model.Engine;
using Simulation.Model.Metrics;
using Simulation.Model.Rules;
using Simulation.Tests.Support;

namespace Simulation.Tests.Model;

public sealed class MarketTotalTests
{
    [Fact]
    public void The_baselines_de_duplicated_market_total_is_never_below_its_largest_app_nor_above_the_sum_of_its_apps()
    {
        var rows = Replicates.Play(Runs.Baseline.Info, Runs.Baseline.Info.Seed, 0).Rows;

        var months = rows.GroupBy(r => (r.Market, r.Month)).ToList();
        Assert.NotEmpty(months);
        foreach (var month in months)
        {
            var apps = month.Where(r => r.App != MetricRow.All).ToList();
            var total = month.Single(r => r.App == MetricRow.All);
            foreach (var metric in new Func<MetricRow, double>[] { r => r.Mau, r => r.Wau ?? 0 })
            {
                Assert.InRange(metric(total), apps.Max(metric) - 1e-6, apps.Sum(metric) + 1e-6);
            }
        }
    }

    [Theory]
    [InlineData(8.88e6, 8.88e6, 1.3, 8.88e6)] // one app live: nobody can use two apps
    [InlineData(130, 60, 1.3, 100)] // enough apps: the sum over multi-homing
    [InlineData(100, 90, 1.3, 90)] // one app dominates: at least its users
    [InlineData(100, 40, 1, 100)] // no multi-homing: the sum
    public void The_de_duplicated_total_divides_by_multi_homing_within_the_largest_app_and_the_sum(double sum, double largest, double multiHoming, double expected) =>
        Assert.Equal(expected, MarketRules.Deduplicated(sum, largest, multiHoming), 9);
}
