using Simulation.Calibration;
using Simulation.Experiments;
using Simulation.Model.Config;
using Simulation.Model.Targets;
using Simulation.Tests.Support;

namespace Simulation.Tests.Calibration;

/// <summary>The baseline tells the article's story: every target holds for the default seed and for the median of 20 seeds.</summary>
public sealed class BaselineTargetTests
{
    private static readonly Lazy<IReadOnlyList<IReadOnlyList<TargetResult>>> TwentySeeds = new(() =>
    {
        var seed = Runs.Baseline.Info.Seed;
        var results = new IReadOnlyList<TargetResult>[20];
        Parallel.For(0, results.Length, i => results[i] = Calibrator.Evaluate(Runs.Baseline, Seeds.For(seed, i)));
        return results;
    });

    /// <summary>The article's targets: each must hold. The record's other observations are reported, fitted or not, and may miss.</summary>
    public static TheoryData<string> TargetIds() => [.. Runs.Baseline.Info.Targets.Where(TargetEvaluator.IsArticle).Select(t => t.Id)];

    [Fact]
    public void The_baseline_lists_the_articles_targets_and_the_records_observations()
    {
        var targets = Runs.Baseline.Info.Targets;

        Assert.Equal(13, targets.Count(TargetEvaluator.IsArticle));
        Assert.All(targets.Where(t => !TargetEvaluator.IsArticle(t)), t => Assert.StartsWith("seeds/observations.yaml:", t.Source));
        Assert.Equal(Enum.GetValues<TargetKind>().ToHashSet(), targets.Select(t => t.Kind).ToHashSet());
    }

    [Fact]
    public void The_fit_uses_nothing_dated_after_the_fitting_window()
    {
        var info = Runs.Baseline.Info;
        var inFit = TargetEvaluator.InFit(info).ToArray();

        Assert.Equal(new DateOnly(2024, 12, 1), info.FitUntil);
        Assert.All(inFit, t => Assert.True(t.Month <= info.FitUntil, t.Id));
        Assert.Contains(info.Targets, t => t.Month > info.FitUntil);
        Assert.All(info.Targets.Where(t => t.Month > info.FitUntil), t => Assert.Equal(TargetLabel.Emergent, TargetEvaluator.LabelOf(info, t)));
        Assert.Equal(inFit.Select(t => t.Id), Calibrator.Fitted(info, TwentySeeds.Value[0]).Select(r => r.Target.Id));
    }

    [Theory]
    [MemberData(nameof(TargetIds))]
    public void Each_target_holds_for_the_default_seed(string id)
    {
        var result = TwentySeeds.Value[0].Single(r => r.Target.Id == id);

        Assert.True(result.Within, $"{id}: expected {result.Expected}, simulated {result.Simulated} ({result.Error})");
    }

    [Theory]
    [MemberData(nameof(TargetIds))]
    public void Each_target_holds_for_the_median_of_20_seeds(string id)
    {
        var results = TwentySeeds.Value.Select(run => run.Single(r => r.Target.Id == id)).ToList();
        var target = results[0].Target;
        var median = MathNet.Numerics.Statistics.Statistics.Median(results.Select(r => r.Value));

        var holds = target.Kind switch
        {
            TargetKind.MarketActives or TargetKind.MarketGrowth or TargetKind.AppActives or TargetKind.AppWeekly or TargetKind.Retention =>
                target.Relative
                    ? Math.Abs(median - target.Value!.Value) <= target.Tolerance * target.Value.Value
                    : Math.Abs(median - target.Value!.Value) <= target.Tolerance,
            TargetKind.AppWeeklyAtLeast => median >= target.Value!.Value,
            _ => median >= 0.5, // yes/no targets: hold in most runs
        };
        Assert.True(holds, $"{id}: median {median} over 20 seeds, expected {results[0].Expected}");
    }
}
