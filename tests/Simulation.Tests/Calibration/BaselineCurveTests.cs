using Simulation.Experiments;
using Simulation.Model.Metrics;
using Simulation.Scenarios;
using Simulation.Tests.Support;

namespace Simulation.Tests.Calibration;

/// <summary>
/// The baseline's curves keep growing through 2025, as reported use did: a month-on-month fall of an app's or
/// a market's monthly actives needs a mechanism README names. The only one in the baseline is DeepSeek's
/// entry (2025-01-15), which draws on the apps of its own nest (the start-ups') in February.
/// </summary>
public sealed class BaselineCurveTests
{
    private static IReadOnlyList<(string Series, string Month, double Change)> Falls(LoadedScenario scenario)
    {
        var rows = Replicates.Collect(scenario.Info, scenario.Info.Seed, int.MaxValue).MonthRows;
        var falls = new List<(string, string, double)>();
        foreach (var series in rows.GroupBy(r => $"{r.Market}/{r.App}"))
        {
            var months = series.OrderBy(r => r.Month, StringComparer.Ordinal).ToList();
            for (var i = 1; i < months.Count; i++)
            {
                if (string.CompareOrdinal(months[i].Month, "2025-01") >= 0 && months[i - 1].Mau > 0 && months[i].Mau < months[i - 1].Mau * (1 - 1e-3))
                {
                    falls.Add((series.Key, months[i].Month, months[i].Mau / months[i - 1].Mau - 1));
                }
            }
        }
        return falls;
    }

    [Fact]
    public void No_app_or_market_turns_down_in_2025_except_deepseeks_nest_mates_in_the_month_after_its_entry()
    {
        var baseline = Runs.Baseline;
        var startups = baseline.Info.Apps.Where(x => x.App.Nest == "startup").Select(x => $"china-aigc/{x.App.Id}").ToHashSet();

        var falls = Falls(baseline);

        Assert.All(falls, f => Assert.True(f.Month == "2025-02" && startups.Contains(f.Series) && f.Change > -0.03,
            $"{f.Series} falls {f.Change:P1} in {f.Month}"));
    }

    [Fact]
    public void Without_deepseeks_entry_the_february_falls_all_but_vanish()
    {
        var later = ScenarioLoader.Load(Repo.Baseline, ["companies.deepseek.apps.deepseek.launch=2025-12-31"]);

        var falls = Falls(later);

        Assert.All(falls, f => Assert.True(f.Change > -0.005, $"{f.Series} falls {f.Change:P1} in {f.Month} without DeepSeek"));
    }

    [Fact]
    public void Doubaos_measured_retention_falls_when_bytedances_quality_falls_and_unlaunched_apps_have_none()
    {
        static IReadOnlyList<MetricRow> Months(LoadedScenario s) => Replicates.Collect(s.Info, s.Info.Seed, int.MaxValue).MonthRows;
        var baseline = Months(Runs.Baseline);
        var halved = Months(ScenarioLoader.Load(Path.Combine(Repo.Scenarios, "what-if", "bytedance-halves-ai-budget.yaml")));

        double D30(IReadOnlyList<MetricRow> rows, string month) => rows.Single(r => r.App == "doubao" && r.Month == month).RetentionD30!.Value;
        Assert.True(D30(halved, "2024-09") < D30(baseline, "2024-09") - 1e-4, $"{D30(halved, "2024-09")} vs {D30(baseline, "2024-09")}");
        Assert.True(D30(halved, "2025-12") < D30(baseline, "2025-12") - 1e-4);
        Assert.Null(baseline.Single(r => r.App == "deepseek" && r.Month == "2024-12").RetentionD30);
        Assert.Null(baseline.Single(r => r.App == "doubao" && r.Month == "2023-07").RetentionD30);
    }
}
