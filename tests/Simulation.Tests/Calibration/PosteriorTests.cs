using System.Reflection;
using System.Globalization;
using Simulation.Calibration;
using Simulation.Calibration.Posterior;
using Simulation.Cli.Commands;
using Simulation.Scenarios;
using Simulation.Tests.Support;
using static Simulation.Tests.Support.SimCli;

namespace Simulation.Tests.Calibration;

/// <summary>The posterior sampler on a one-market scenario whose truth is known, and <c>sim posterior</c>.</summary>
public sealed class PosteriorTests
{
    private const double TrueInnovation = 0.04;

    private const string Template = """
        name: synthetic
        start: 2023-01-01
        end: 2024-12-31
        tick: month
        seed: 5
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
          - {id: panel, model: logNormal, sigma: 0.05}
        targets:
          - {id: early, kind: marketActives, market: m, month: 2023-06, value: EARLY, tolerance: 0.05, relative: true, series: panel}
          - {id: late, kind: marketActives, market: m, month: 2024-06, value: LATE, tolerance: 0.05, relative: true, series: panel}
        """;

    /// <summary>The scenario with innovation fitted in [0.005, 0.2] and its targets the truth's figures.</summary>
    private static string Synthetic()
    {
        var truth = ScenarioLoader.Parse(Fill(TrueInnovation.ToString("R", CultureInfo.InvariantCulture), 1, 1), "truth.yaml");
        var observed = Calibrator.Evaluate(truth, 5);
        return Fill("""{value: 0.05, assumption: "a guess", fit: {min: 0.005, max: 0.2}}""", observed[0].Value, observed[1].Value);
    }

    private static string Fill(string innovation, double early, double late) => Template
        .Replace("INNOVATION", innovation)
        .Replace("EARLY", early.ToString("R", CultureInfo.InvariantCulture))
        .Replace("LATE", late.ToString("R", CultureInfo.InvariantCulture));

    private static readonly PosteriorOptions Small = new() { Chains = 3, Warmup = 300, Draws = 400 };

    [Fact]
    public void The_posterior_of_a_known_parameter_covers_the_truth_and_its_chains_agree()
    {
        var result = new PosteriorSampler(ScenarioText.Parse(Synthetic(), "synthetic.yaml"), Small).Run();

        var p = Assert.Single(result.Parameters);
        Assert.Equal("markets.m.innovation", p.Path);
        Assert.InRange(TrueInnovation, p.Q05, p.Q95);
        Assert.True(p.Q95 - p.Q05 < 0.02, $"a 90 % interval of {p.Q05:G3}-{p.Q95:G3} is not pinned by two figures at 5 %");
        Assert.True(p.RHat < 1.05, $"R-hat {p.RHat}");
        Assert.True(p.EssBulk > 100, $"ESS {p.EssBulk}");
        Assert.Equal(3 * 400, result.Draws.Count);
        Assert.All(result.Blocks.SelectMany(b => b.Acceptance), a => Assert.InRange(a, 0.1, 0.8));
        Assert.All(result.Draws.Draws, d => Assert.InRange(d[0], 0.005, 0.2));
    }

    [Fact]
    public void The_same_scenario_gives_the_same_draws_on_any_number_of_cores()
    {
        var text = ScenarioText.Parse(Synthetic(), "synthetic.yaml");
        var options = Small with { Warmup = 100, Draws = 100 };

        var first = new PosteriorSampler(text, options).Run().Draws;
        var second = new PosteriorSampler(text, options).Run().Draws;

        Assert.Equal(first.Draws.Select(d => d[0]), second.Draws.Select(d => d[0]));
        Assert.Equal(first.Chain, second.Chain);
    }

    [Fact]
    public async Task Sim_posterior_saves_the_draws_beside_the_scenario_keyed_by_its_hash_and_a_changed_scenario_finds_none()
    {
        var dir = Directory.CreateTempSubdirectory("sim-posterior-").FullName;
        try
        {
            var file = Path.Combine(dir, "synthetic.yaml");
            File.WriteAllText(file, Synthetic());

            var (code, stdout, stderr) = await Sim("posterior", file, "--chains", "2", "--warmup", "100", "--draws", "100");

            Assert.True(code == 0, stderr);
            var scenario = ScenarioLoader.Load(file);
            var draws = PosteriorDraws.Find(file, scenario);
            Assert.NotNull(draws);
            Assert.Equal(Path.Combine(dir, "synthetic.posterior", PosteriorDraws.KeyOf(scenario) + ".csv"), PosteriorDraws.CsvPath(file, draws.Key));
            Assert.Equal(200, draws.Count);
            Assert.Equal(["markets.m.innovation"], draws.Paths);
            Assert.Contains("R-hat", stdout, StringComparison.Ordinal);
            Assert.Contains("markets.m.innovation", File.ReadAllText(PosteriorDraws.ReportPath(file, draws.Key)), StringComparison.Ordinal);

            File.WriteAllText(file, File.ReadAllText(file).Replace("imitation: 0.9", "imitation: 0.8", StringComparison.Ordinal));
            Assert.Null(PosteriorDraws.Find(file, ScenarioLoader.Load(file)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Sim_posterior_says_in_its_estimate_when_the_model_is_a_debug_build_slower_than_readmes_figures()
    {
        var dir = Directory.CreateTempSubdirectory("sim-posterior-").FullName;
        try
        {
            var file = Path.Combine(dir, "synthetic.yaml");
            File.WriteAllText(file, Synthetic());

            var (code, _, stderr) = await Sim("posterior", file, "--chains", "2", "--warmup", "100", "--draws", "100");

            Assert.True(code == 0, stderr);
            var estimate = Assert.Single(stderr.Split('\n'), l => l.StartsWith("estimate:", StringComparison.Ordinal));
            var debug = typeof(Simulation.Model.Engine.ReferenceRunner).Assembly.GetCustomAttribute<System.Diagnostics.DebuggableAttribute>() is { IsJITOptimizerDisabled: true };
            Assert.Equal(debug, estimate.Contains("a Debug build, several times slower than README's figures", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--chains", "1", "--chains must be a whole number of at least 2")]
    [InlineData("--draws", "5", "--draws must be a whole number of at least 100")]
    public async Task Sim_posterior_refuses_bad_options_with_exit_code_2(string option, string value, string message)
    {
        var (code, _, stderr) = await Sim("posterior", Repo.Baseline, option, value);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }
}
