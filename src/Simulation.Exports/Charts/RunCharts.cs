namespace Simulation.Exports.Charts;

/// <summary>The charts of one run, each with its file name (without extension) under <c>charts/</c>.</summary>
public static class RunCharts
{
    public const string Folder = "charts";

    /// <summary>MAU per market, share per market where two or more apps have users, talent flows and cash.</summary>
    public static IReadOnlyList<(string Name, ChartSpec Spec)> All(RunOutput output)
    {
        var charts = new List<(string, ChartSpec)>();
        foreach (var market in output.MonthRows.Select(r => r.Market).Distinct())
        {
            charts.Add(($"mau-{market}", UserCharts.MauPerApp(output, market)));
            if (UserCharts.Contested(output, market))
            {
                charts.Add(($"share-{market}", UserCharts.MarketShare(output, market)));
            }
        }
        charts.Add(("talent-flows", TalentCharts.Flows(output)));
        charts.Add(("cash", CashCharts.Cash(output)));
        return charts;
    }

    /// <summary>PNG and SVG of every chart, keyed by relative path (<c>charts/mau-china-aigc.png</c>).</summary>
    public static IReadOnlyDictionary<string, byte[]> Render(RunOutput output) => Render(All(output));

    /// <summary>PNG and SVG of each named chart, keyed <c>charts/NAME.png</c> and <c>charts/NAME.svg</c>.</summary>
    public static IReadOnlyDictionary<string, byte[]> Render(IEnumerable<(string Name, ChartSpec Spec)> charts)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, spec) in charts)
        {
            var chart = ChartRenderer.Render(spec);
            files[$"{Folder}/{name}.png"] = chart.Png;
            files[$"{Folder}/{name}.svg"] = chart.SvgBytes;
        }
        return files;
    }
}
