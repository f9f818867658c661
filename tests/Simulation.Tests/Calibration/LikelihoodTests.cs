using Simulation.Calibration;
using Simulation.Model.Config;
using Simulation.Model.Targets;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;
using Simulation.Tests.Support;

namespace Simulation.Tests.Calibration;

/// <summary>The observation model: series, their error models, the likelihood's terms and the priors of fitted numbers.</summary>
public sealed class LikelihoodTests
{
    private static readonly SeriesInfo LogNormal = new() { Id = "panel", Model = ErrorModel.LogNormal, Sigma = 0.1 };
    private static readonly SeriesInfo Normal = new() { Id = "rate", Model = ErrorModel.Normal, Sigma = 0.01 };

    private static TargetResult Result(TargetKind kind, double? value, double simulated, (double, double)? pair = null) => new()
    {
        Target = new TargetInfo { Id = "t", Kind = kind, Month = new DateOnly(2024, 9, 1), Value = value, Series = "panel" },
        Expected = "",
        Simulated = "",
        Value = simulated,
        Error = "",
        Within = true,
        Residual = 0,
        Pair = pair,
    };

    [Fact]
    public void A_log_normal_figure_scores_the_squared_log_error_over_sigma_and_keeps_its_scale_term_apart()
    {
        var term = Likelihood.Term(Result(TargetKind.AppActives, 110, 100), LogNormal);

        Assert.Equal(Math.Log(1.1) / 0.1, term.Z, 12);
        Assert.Equal(Math.Pow(Math.Log(1.1) / 0.1, 2), term.Deviance, 12);
        Assert.Equal(2 * Math.Log(0.1), term.ScaleTerm!.Value, 12);
    }

    [Fact]
    public void A_normal_figure_scores_the_absolute_error_over_sigma()
    {
        var term = Likelihood.Term(Result(TargetKind.Retention, 0.345, 0.325), Normal);

        Assert.Equal(2.0, term.Z, 9);
        Assert.Equal(4.0, term.Deviance, 9);
    }

    [Fact]
    public void A_bound_costs_little_when_met_by_far_and_grows_like_a_squared_error_when_missed_by_far()
    {
        var met = Likelihood.Term(Result(TargetKind.AppWeeklyAtLeast, 100, 200), LogNormal);
        var missed = Likelihood.Term(Result(TargetKind.AppWeeklyAtLeast, 100, 50), LogNormal);
        var atTheBound = Likelihood.Term(Result(TargetKind.AppWeeklyAtLeast, 100, 100), LogNormal);

        Assert.True(met.Deviance < 1e-9, $"{met.Deviance}");
        Assert.Equal(-2 * Math.Log(0.5), atTheBound.Deviance, 12);
        var z = Math.Log(0.5) / 0.1;
        Assert.InRange(missed.Deviance, z * z, z * z + 2 * Math.Log(-z) + Math.Log(2 * Math.PI) + 0.1);
    }

    [Fact]
    public void A_ranking_is_the_probability_that_two_independent_observations_keep_the_simulated_order()
    {
        var close = Likelihood.Term(Result(TargetKind.AppAbove, null, 1, (100, 100)), LogNormal);
        var reversed = Likelihood.Term(Result(TargetKind.AppAbove, null, 0, (80, 100)), LogNormal);

        Assert.Equal(-2 * Math.Log(0.5), close.Deviance, 12);
        var z = Math.Log(0.8) / (0.1 * Math.Sqrt(2));
        Assert.Equal(z, reversed.Z, 12);
        Assert.Equal(-2 * Math.Log(MathNet.Numerics.Distributions.Normal.CDF(0, 1, z)), reversed.Deviance, 9);
    }

    [Fact]
    public void A_figure_the_run_lacks_is_impossible_under_the_likelihood()
    {
        var term = Likelihood.Term(Result(TargetKind.AppActives, 100, double.NaN), LogNormal);

        Assert.Equal(double.PositiveInfinity, term.Deviance);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(-10.0)]
    [InlineData(-35.0)]
    [InlineData(-60.0)]
    public void The_log_of_the_normal_distribution_function_stays_accurate_in_the_far_tail(double x)
    {
        var exact = Math.Log(MathNet.Numerics.Distributions.Normal.CDF(0, 1, x));
        var tail = -0.5 * x * x - Math.Log(-x) - 0.5 * Math.Log(2 * Math.PI);

        Assert.Equal(double.IsFinite(exact) && exact > -700 ? exact : tail, Likelihood.LogPhi(x), Math.Abs(x) < 30 ? 1e-9 : 1e-3);
    }

    [Fact]
    public void Only_targets_in_a_series_and_in_the_fitting_window_enter_the_fit()
    {
        var info = Runs.Baseline.Info;
        var inFit = TargetEvaluator.InFit(info).ToList();

        Assert.All(inFit, t => Assert.NotNull(t.Series));
        Assert.All(inFit, t => Assert.True(t.Month <= info.FitUntil));
        // The article's "more than 300 million" enters once, as the bound; the point of the same figure is only checked.
        Assert.Contains(inFit, t => t.Id == "chatgpt-wau-2024-12");
        Assert.DoesNotContain(inFit, t => t.Id == "chatgpt-wau-2024-12-point");
        Assert.All(info.Targets.Where(t => t.Series is not null), t => Assert.Contains(info.Series, s => s.Id == t.Series));
    }

    [Fact]
    public void A_prior_centre_adds_its_squared_distance_and_a_log_normal_prior_its_jacobian()
    {
        var normal = new FitPrior(0.4, 0.1, Log: false, "evidence");
        var logNormal = new FitPrior(0.03, 1.0, Log: true, "evidence");

        Assert.Equal(0.0, normal.Penalty(0.4), 12);
        Assert.Equal(4.0, normal.Penalty(0.6), 12);
        Assert.Equal(2 * Math.Log(0.03), logNormal.Penalty(0.03), 12);
        Assert.Equal(1 + 2 * Math.Log(0.03 * Math.E), logNormal.Penalty(0.03 * Math.E), 12);
    }

    private const string Scenario = """
        name: tiny
        start: 2023-01-01
        end: 2024-12-31
        tick: month
        talent:
          tiers: [{id: staff, monthlySalaryUsd: 10000}]
        markets:
          - id: m
            potential: 10000000
            innovation: INNOVATION
            imitation: 0.9
        companies:
          - id: solo
            cashUsd: 1000000000
            workforce: {staff: 10}
            policy: {aiBudgetFloorUsd: 1000000, salaryShare: 0.4, computeShare: 0.4, marketingShare: 0.2}
            apps:
              - {id: app, market: m, retention: {d30: 0.3} }
        series:
          - {id: panel, model: logNormal, sigma: SIGMA}
        targets:
          - {id: late, kind: marketActives, market: m, month: 2024-06, value: 5000000, tolerance: 0.1, relative: true, series: SERIES}
        """;

    private static string Tiny(string innovation = """{value: 0.04, assumption: "a guess", fit: {min: 0.005, max: 0.5}}""", string sigma = "0.1", string series = "panel") =>
        Scenario.Replace("INNOVATION", innovation).Replace("SIGMA", sigma).Replace("SERIES", series);

    [Fact]
    public void A_prior_is_read_with_its_evidence_and_survives_a_fitted_what_if()
    {
        var text = ScenarioText.Parse(Tiny("""{value: 0.04, assumption: "a guess", fit: {min: 0.005, max: 0.5, prior: {median: 0.03, logSd: 1, evidence: "Sultan, Farley and Lehmann 1990"}}}"""), "tiny.yaml");

        var prior = Assert.Single(text.Parameters).Prior;
        Assert.Equal(new FitPrior(0.03, 1, Log: true, "Sultan, Farley and Lehmann 1990"), prior);
    }

    [Theory]
    [InlineData("prior: {centre: 0.03}", "fit.prior", "missing required field 'sd'")]
    [InlineData("prior: {centre: 0.03, sd: 0.01, median: 0.03, evidence: x}", "fit.prior", "got both")]
    [InlineData("prior: {centre: 0.9, sd: 0.01, evidence: x}", "fit.prior.centre", "within the fit range")]
    [InlineData("prior: {median: 0.03, logSd: 0, evidence: x}", "fit.prior.logSd", "a spread above 0")]
    [InlineData("prior: {centre: 0.03, sd: 0.01}", "fit.prior", "missing required field 'evidence'")]
    public void A_malformed_prior_is_reported_at_its_field(string prior, string pathEnd, string message)
    {
        var text = Tiny("{value: 0.04, assumption: \"a guess\", fit: {min: 0.005, max: 0.5, " + prior + "}}");

        var errors = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "tiny.yaml")).Errors;

        Assert.Contains(errors, e => e.Path.EndsWith(pathEnd, StringComparison.Ordinal) && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_target_naming_an_unknown_series_is_reported_with_the_known_ones()
    {
        var errors = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Tiny(series: "panle"), "tiny.yaml")).Errors;

        var error = Assert.Single(errors);
        Assert.Equal("targets.late.series", error.Path);
        Assert.Equal("unknown series 'panle'; expected one of: panel", error.Message);
    }

    [Fact]
    public void A_fitted_sigma_keeps_its_scale_term_measured_from_its_lower_bound()
    {
        var stated = new Calibrator(ScenarioText.Parse(Tiny(), "tiny.yaml"), new CalibrationOptions { Seeds = 1 });
        var fitted = new Calibrator(ScenarioText.Parse(Tiny(sigma: """{value: 0.1, assumption: "a guess", fit: {min: 0.02, max: 1}}"""), "tiny.yaml"), new CalibrationOptions { Seeds = 1 });

        var z2 = stated.Objective([0.04]);
        // With sigma free: z^2 at that sigma plus 2 ln(sigma/0.02) for the one figure.
        Assert.Equal(z2 + 2 * Math.Log(0.1 / 0.02), fitted.Objective([0.04, 0.1]), 9);
        Assert.Equal(z2 / 4 + 2 * Math.Log(0.2 / 0.02), fitted.Objective([0.04, 0.2]), 9);
        // At sigma = 1 its logarithm is 0, and the term is still there.
        Assert.Equal(z2 / 100 + 2 * Math.Log(1 / 0.02), fitted.Objective([0.04, 1]), 9);
    }

    [Fact]
    public void A_scenario_with_nothing_in_a_series_cannot_be_calibrated()
    {
        var text = Tiny().Replace(", series: panel", "", StringComparison.Ordinal);

        var e = Assert.Throws<CalibrationInputException>(() => new Calibrator(ScenarioText.Parse(text, "tiny.yaml")));

        Assert.Contains("no target to fit", e.Message, StringComparison.Ordinal);
        Assert.Contains("series:", e.Message, StringComparison.Ordinal);
    }
}
