using System.Xml.Linq;
using Simulation.Cli.Bench;
using Simulation.Experiments;
using Simulation.Cli.Engines;
using Simulation.Exports;
using Simulation.Exports.Charts;
using Simulation.Model.Engine;
using Simulation.Model.Metrics;
using Simulation.Scenarios;
using Simulation.Scenarios.Yaml;
using Simulation.Tests.Support;
using SkiaSharp;
using Band = Simulation.Exports.Charts.Band;

namespace Simulation.Tests.Exports;

public sealed class ChartTests
{
    private static readonly LoadedScenario Rivals = new(TestScenarios.Rivals(), "rivals", "0123456789abcdef0123", new ProvenanceLog());

    private static readonly Lazy<Task<RunOutput>> LazyRun = new(() => SimulationRun.RunAsync(new ReferenceEngine(), Rivals, 3));

    private static Task<RunOutput> RunAsync() => LazyRun.Value;

    [Fact]
    public void The_machine_has_a_font_to_draw_chart_text_with()
    {
        // Without font files ScottPlot draws no text at all, in PNG and in SVG alike (checked by hand by
        // hiding /usr/share/fonts): .ci/run installs fonts-dejavu-core.
        Assert.NotNull(ChartRenderer.FontFamily);
    }

    [Fact]
    public async Task A_run_draws_mau_share_talent_and_cash_charts_in_png_and_svg_under_charts()
    {
        var files = RunCharts.Render(await RunAsync());

        string[] names = ["cash", "mau-m", "share-m", "talent-flows"];
        Assert.Equal(names.SelectMany(n => new[] { $"charts/{n}.png", $"charts/{n}.svg" }).Order(StringComparer.Ordinal), files.Keys);
        Assert.All(files.Where(f => f.Key.EndsWith(".png", StringComparison.Ordinal)), f => Assert.Equal(PngSignature, f.Value.Take(8)));
    }

    [Fact]
    public async Task Every_chart_svg_holds_its_title_the_scenario_and_seed_axis_labels_and_legend_as_text()
    {
        var output = await RunAsync();

        foreach (var (name, spec) in RunCharts.All(output))
        {
            var text = SvgTexts(ChartRenderer.Render(spec).Svg);

            Assert.Contains(spec.Title, text);
            Assert.Contains(text, t => t.Contains("scenario rivals (sha256 0123456789ab), seed 3", StringComparison.Ordinal));
            Assert.Contains(spec.YLabel, text);
            Assert.Contains("month", text);
            Assert.All(spec.Series.Where(s => s.Label.Length > 0), s => Assert.Contains(s.Label, text));
            Assert.Contains(text, t => System.Text.RegularExpressions.Regex.IsMatch(t, "^2024-[0-9]{2}$"));
        }
    }

    [Fact]
    public async Task The_png_draws_the_title_text_so_another_title_changes_the_pixels_above_the_plot()
    {
        // Same layout, other letters: without fonts both strips would be equally blank.
        var spec = UserCharts.MauPerApp(await RunAsync(), "m");
        var reversed = spec with { Title = new string([.. spec.Title.Reverse()]) };

        var differing = DifferingPixelsInTitleStrip(ChartRenderer.Render(spec).Png, ChartRenderer.Render(reversed).Png);

        Assert.True(differing > 100, $"only {differing} pixels differ where the title is drawn");
    }

    [Fact]
    public async Task Mau_chart_has_a_line_per_app_in_millions_and_the_market_total_dashed()
    {
        var output = await RunAsync();
        var spec = UserCharts.MauPerApp(output, "m");

        var lines = spec.Series.Cast<Line>().ToList();
        Assert.Equal(["a-app (a)", "b-app (b)"], lines.SkipLast(1).Select(l => l.Label).Order(StringComparer.Ordinal));
        Assert.True(lines[0].Values.Max() >= lines[1].Values.Max(), "the app with the higher peak comes first");
        Assert.Equal("market total (de-duplicated users)", lines[^1].Label);
        Assert.True(lines[^1].Dashed);
        var total = output.MonthRows.Where(r => r.App == MetricRow.All).ToList();
        Assert.Equal(total.Select(r => r.Date), lines[^1].Dates);
        Assert.Equal(total[^1].Mau / 1e6, lines[^1].Values[^1], 9);
        Assert.Contains("(millions)", spec.YLabel, StringComparison.Ordinal);
        Assert.Contains("(%)", UserCharts.MarketShare(output, "m").YLabel, StringComparison.Ordinal);
        Assert.Contains("(USD, log scale)", CashCharts.Cash(output).YLabel, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_market_where_only_one_app_ever_has_users_gets_no_share_chart()
    {
        var solo = new LoadedScenario(TestScenarios.SingleApp(years: 1), "single-app", "0123456789abcdef0123", new ProvenanceLog());
        var output = await SimulationRun.RunAsync(new ReferenceEngine(), solo, 1);

        var names = RunCharts.All(output).Select(c => c.Name).ToList();

        Assert.False(UserCharts.Contested(output, "m"));
        Assert.Equal(["mau-m", "talent-flows", "cash"], names);
        Assert.True(UserCharts.Contested(await RunAsync(), "m"));
    }

    [Fact]
    public async Task With_many_companies_each_chart_draws_at_most_the_top_10_and_one_others_series_in_distinct_colours()
    {
        var synthetic = new SyntheticScenario(Companies: 24, Researchers: 48, AppsPerCompany: 1, Markets: 1);
        var output = await SimulationRun.RunAsync(new ReferenceEngine(), new LoadedScenario(synthetic.Build(), synthetic.Name, "0123456789abcdef0123", new ProvenanceLog()), 1);

        foreach (var (name, spec) in RunCharts.All(output))
        {
            var drawn = spec.Series.Where(s => s.Label.Length > 0 && s.Color != ChartSeries.Neutral).ToList();
            Assert.InRange(drawn.Count, 2, TopSeries.Count + 1);
            Assert.Equal(drawn.Count, drawn.Select(s => ChartRenderer.ColorOf(s.Color)).Distinct().Count());
            var others = Assert.Single(drawn, s => s.Color == ChartSeries.Others);
            Assert.StartsWith("others (", others.Label, StringComparison.Ordinal);
            Assert.Contains("summed as \"others\"", spec.Note, StringComparison.Ordinal);
        }
        var mau = UserCharts.MauPerApp(output, "m0").Series.OfType<Line>().Where(l => l.Color != ChartSeries.Neutral).ToList();
        var apps = output.MonthRows.Where(r => r.Market == "m0" && r.App != MetricRow.All).ToList();
        var last = apps.Max(r => r.Date);
        Assert.Equal(apps.Where(r => r.Date == last).Sum(r => r.Mau) / 1e6, mau.Sum(l => l.Values[^1]), 6);
        var peaks = mau.Take(TopSeries.Count).Select(l => l.Values.Max()).ToList();
        Assert.Equal(peaks.OrderDescending(), peaks);
    }

    [Fact]
    public async Task The_cash_axis_is_logarithmic_labelled_in_dollars_and_draws_no_cash_or_debt_at_a_floor_it_names()
    {
        var output = await RunAsync();
        var broke = output with { MonthRows = [.. output.MonthRows.Select(r => r.Company == "b" && r.Date.Month > 6 ? r with { CashUsd = -5e6 } : r)] };

        var spec = CashCharts.Cash(broke);

        Assert.Equal(YScale.Log10, spec.YScale);
        Assert.Equal(["$1M", "$10M", "$100M", "$1B", "$10B", "$1T"], new[] { 1e6, 1e7, 1e8, 1e9, 1e10, 1e12 }.Select(spec.YTickLabel!));
        Assert.All(spec.Series.Cast<Line>(), l => Assert.All(l.Values, v => Assert.True(v >= CashCharts.FloorUsd)));
        Assert.Contains(CashCharts.FloorUsd, spec.Series.Cast<Line>().Single(l => l.Label == "b").Values);
        Assert.Contains("cash below $1M (none left, or debt) drawn at $1M", spec.Note, StringComparison.Ordinal);
        Assert.Null(CashCharts.Cash(output).Note);
    }

    [Fact]
    public async Task Talent_flow_bars_count_each_move_once_up_for_the_hirer_and_once_down_for_the_employer_left()
    {
        var output = await RunAsync();
        var moves = output.Events.Where(e => TalentCharts.MoveKinds.Contains(e.Event.Kind) && e.Event.From != e.Event.To).ToList();
        Assert.NotEmpty(moves);

        var bars = TalentCharts.Flows(output).Series.OfType<Bars>().ToList();

        Assert.Equal(moves.Count(m => m.Event.To is not null), bars.Sum(b => b.Values.Where(v => v > 0).Sum()));
        Assert.Equal(moves.Count(m => m.Event.From is not null), -bars.Sum(b => b.Values.Where(v => v < 0).Sum()));
        Assert.Equal(["a", "b"], bars.Where(b => b.Label.Length > 0).Select(b => b.Label));
    }

    [Fact]
    public async Task Band_charts_draw_a_shaded_spread_with_a_median_line_and_say_so_in_the_subtitle()
    {
        var output = await RunAsync();
        var source = ChartSource.Of(output) with { Seeds = [.. Enumerable.Range(1, 20).Select(i => (ulong)i)] };
        var bands = output.MonthRows.GroupBy(r => (r.Market, r.Company, r.App)).Select(g => new MetricBand(
            g.Key.Market, g.Key.Company, g.Key.App, [.. g.Select(r => r.Date)],
            [.. g.Select(r => r.Mau * 0.9)], [.. g.Select(r => r.Mau)], [.. g.Select(r => r.Mau * 1.1)])).ToList();

        var spec = UserCharts.MauPerApp(source, "m", bands);
        var text = SvgTexts(ChartRenderer.Render(spec).Svg);

        Assert.All(spec.Series, s => Assert.IsType<Band>(s));
        Assert.True(((Band)spec.Series[^1]).Dashed);
        Assert.Contains(text, t => t.Contains("20 runs, seeds 1-20", StringComparison.Ordinal) && t.Contains("p5-p95", StringComparison.Ordinal));
        Assert.Contains("a-app (a)", text);
    }

    [Fact]
    public void A_monte_carlo_batch_draws_mau_and_share_bands_per_market_and_cash_bands_naming_its_runs()
    {
        var scenario = TestScenarios.Rivals();
        var bands = new BandAggregator();
        for (var i = 0; i < 3; i++)
        {
            bands.Add(Replicates.Play(scenario, Seeds.For(9, i), i));
        }
        var batch = new MonteCarloOutput("rivals", "0123456789abcdef0123", 9, 3, 3, "reference", null, "0.1.0", bands.Rows(), bands.Companies());

        var charts = BandCharts.All(batch);

        Assert.Equal(["mau-m", "share-m", "cash"], charts.Select(c => c.Name));
        Assert.All(charts, c => Assert.All(c.Spec.Series, s => Assert.IsType<Band>(s)));
        Assert.All(charts, c => Assert.Contains("3 runs from base seed 9", c.Spec.Subtitle, StringComparison.Ordinal));
        var mau = (Band)charts[0].Spec.Series[0];
        Assert.All(mau.Low.Zip(mau.Mid, mau.High), b => Assert.True(b.First <= b.Second && b.Second <= b.Third));
        Assert.Contains("3 runs from base seed 9", string.Join("\n", SvgTexts(ChartRenderer.Render(charts[^1].Spec).Svg)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new ulong[] { 7 }, "seed 7")]
    [InlineData(new ulong[] { 3, 9 }, "seeds 3, 9")]
    [InlineData(new ulong[] { 1, 2, 3, 4, 5, 6 }, "6 runs, seeds 1-6")]
    [InlineData(new ulong[] { 1, 5, 9, 13, 17 }, "5 runs, seeds 1, 5, ..., 17")]
    public void The_subtitle_names_the_seeds(ulong[] seeds, string expected) => Assert.Equal(expected, ChartSource.SeedText(seeds));

    [Fact]
    public async Task Save_writes_a_png_and_an_svg_beside_each_other_and_the_same_chart_gives_the_same_bytes()
    {
        var spec = CashCharts.Cash(await RunAsync());
        var folder = Directory.CreateTempSubdirectory("sim-chart-");
        try
        {
            ChartRenderer.Save(spec, Path.Combine(folder.FullName, "cash"));

            Assert.Equal(["cash.png", "cash.svg"], folder.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal));
            var again = ChartRenderer.Render(spec);
            Assert.Equal(again.Png, File.ReadAllBytes(Path.Combine(folder.FullName, "cash.png")));
            Assert.Equal(again.Svg, File.ReadAllText(Path.Combine(folder.FullName, "cash.svg")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The text content of every &lt;text&gt; element, trimmed.</summary>
    private static List<string> SvgTexts(string svg) =>
        [.. XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim())];

    /// <summary>Pixels that differ between two images in the top 28 rows, where the title sits.</summary>
    private static int DifferingPixelsInTitleStrip(byte[] png, byte[] other)
    {
        using var a = SKBitmap.Decode(png);
        using var b = SKBitmap.Decode(other);
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        var differing = 0;
        for (var y = 0; y < 28; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                differing += a.GetPixel(x, y) == b.GetPixel(x, y) ? 0 : 1;
            }
        }
        return differing;
    }
}
