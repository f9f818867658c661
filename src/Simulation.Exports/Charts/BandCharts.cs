using System.Globalization;
using Simulation.Model.Metrics;

namespace Simulation.Exports.Charts;

/// <summary>
/// The charts of a Monte Carlo batch: per market MAU and market share per app as bands (median line,
/// shaded p5 to p95), and cash per company. Talent flows need events, which bands do not keep; pass
/// mean flows to <see cref="TalentCharts.Flows(ChartSource, IEnumerable{MonthlyFlow}, IReadOnlyList{DateOnly}?, string?)"/>.
/// </summary>
public static class BandCharts
{
    public const string Note = "median line, shaded p5-p95";

    public static ChartSource SourceOf(MonteCarloOutput o) =>
        new(o.ScenarioName, o.ScenarioSha256, [o.BaseSeed], o.Engine, o.ProgramVersion, [.. o.Companies.Select(c => c.Company)])
        {
            SeedDescription = o.Uncertainty.Mode switch
            {
                Experiments.UncertaintyMode.Seed => $"{o.Runs} runs from base seed {o.BaseSeed.ToString(CultureInfo.InvariantCulture)}",
                Experiments.UncertaintyMode.Posterior => $"{o.Runs} runs on seed {o.BaseSeed.ToString(CultureInfo.InvariantCulture)} x {o.Uncertainty.DrawsShort()}",
                _ => $"{o.Runs} runs, base seed {o.BaseSeed.ToString(CultureInfo.InvariantCulture)} x {o.Uncertainty.DrawsShort()}",
            },
        };

    /// <summary>What a title adds for the bands' uncertainty: nothing for seeds alone (the charts are what they always were).</summary>
    public static string TitleNote(Experiments.ReplicateUncertainty u) => u.Mode switch
    {
        Experiments.UncertaintyMode.Posterior => string.Create(CultureInfo.InvariantCulture, $" (bands: posterior, {u.Draws:N0} draws, one seed)"),
        Experiments.UncertaintyMode.Both => string.Create(CultureInfo.InvariantCulture, $" (bands: seed and posterior, {u.Draws:N0} draws)"),
        _ => "",
    };

    public static IReadOnlyList<(string Name, ChartSpec Spec)> All(MonteCarloOutput o)
    {
        var source = SourceOf(o);
        var mau = Of(o.Bands, r => r.Mau);
        var share = Of(o.Bands, r => r.MarketShare);
        var charts = new List<(string, ChartSpec)>();
        foreach (var market in o.Bands.Select(r => r.Market).Distinct())
        {
            charts.Add(($"mau-{market}", UserCharts.MauPerApp(source, market, mau, Note)));
            if (UserCharts.Contested(mau, market))
            {
                charts.Add(($"share-{market}", UserCharts.MarketShare(source, market, share, Note)));
            }
        }
        charts.Add(("cash", CashCharts.Cash(source, Of(o.Bands, r => r.CashUsd), Note)));
        var note = TitleNote(o.Uncertainty);
        return note.Length == 0 ? charts : [.. charts.Select(c => (c.Item1, c.Item2 with { Title = c.Item2.Title + note }))];
    }

    /// <summary>PNG and SVG of every chart, keyed by relative path under <c>charts/</c>.</summary>
    public static IReadOnlyDictionary<string, byte[]> Render(MonteCarloOutput o) => RunCharts.Render(All(o));

    /// <summary>One <see cref="MetricBand"/> (p5, p50, p95) per market, company and app, over the months it has the metric.</summary>
    public static IReadOnlyList<MetricBand> Of(IEnumerable<BandRow> rows, Func<BandRow, Simulation.Model.Metrics.Band?> metric) =>
    [
        .. rows.Where(r => metric(r) is not null)
            .GroupBy(r => (r.Market, r.Company, r.App))
            .Select(g => new MetricBand(
                g.Key.Market, g.Key.Company, g.Key.App,
                [.. g.Select(r => MonthStart(r.Month))],
                [.. g.Select(r => metric(r)!.P5)],
                [.. g.Select(r => metric(r)!.P50)],
                [.. g.Select(r => metric(r)!.P95)])),
    ];

    private static DateOnly MonthStart(string month) => DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
