using Simulation.Model.Config;
using Simulation.Model.Targets;

namespace Simulation.Calibration;

/// <summary>
/// A set of free parameters whose posterior is independent of the others': <see cref="Parameters"/> (indices in the
/// scenario's order), the user <see cref="Markets"/> they move, and the fitted <see cref="Targets"/> those markets decide
/// (null: every target in the fit, for the one block of a posterior that does not factorize).
/// </summary>
public sealed record ParameterBlock(IReadOnlyList<int> Parameters, IReadOnlyList<string> Markets, IReadOnlyList<string>? Targets)
{
    /// <summary>The block's name in a report: its markets, or "all" for the whole posterior.</summary>
    public string Name => Targets is null || Markets.Count == 0 ? "all" : string.Join(" + ", Markets);
}

/// <summary>
/// Splits a posterior into independent blocks where its likelihood factorizes. When every free number is on the demand side,
/// an evaluation replays the supply side (<see cref="Calibrator.Replays"/>): a user market then plays from its own numbers,
/// its apps' numbers and its apps' recorded supply alone, so markets fall into groups that share nothing, and the
/// likelihood is a sum over those groups of their targets' terms and the prior a sum over their parameters. Two markets
/// share a group when a company has apps in both (its reaction to a fall in share moves the marketing of all its apps), a
/// fitted target compares apps of both, or a free number reaches both (a series' sigma over targets in both). The posterior
/// is then the product of the groups' posteriors: each block can be drawn on its own, in fewer dimensions, and its chains
/// mix as fast as its own shape allows.
/// Where cash binds a run is played whole (the replay cannot stand in for it), and there the groups meet through the
/// companies and the job market; the sampler counts those runs (<see cref="Calibrator.Runs"/>).
/// </summary>
public static class LikelihoodBlocks
{
    /// <summary>
    /// The blocks of <paramref name="text"/>'s free parameters, in the order of their first parameter: one block of every
    /// parameter and every target when the evaluations do not replay (<paramref name="replays"/> false), when a parameter's
    /// path names no market the scenario has, or when the markets form a single group.
    /// </summary>
    public static IReadOnlyList<ParameterBlock> Of(ScenarioText text, ScenarioInfo info, bool replays)
    {
        var all = new[] { new ParameterBlock([.. Enumerable.Range(0, text.Parameters.Count)], [], null) };
        if (!replays || info.Markets.Length < 2)
        {
            return all;
        }
        var markets = info.Markets.Select(m => m.Id).ToList();
        var index = markets.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i, StringComparer.Ordinal);
        var appMarket = info.Companies.SelectMany(c => c.Apps).ToDictionary(a => a.Id, a => index[a.Market], StringComparer.Ordinal);
        var parent = Enumerable.Range(0, markets.Count).ToArray();
        int Find(int m) => parent[m] == m ? m : parent[m] = Find(parent[m]);
        void Join(IEnumerable<int> group)
        {
            var first = -1;
            foreach (var m in group)
            {
                if (first < 0)
                {
                    first = Find(m);
                }
                else
                {
                    parent[Find(m)] = first;
                }
            }
        }

        foreach (var company in info.Companies)
        {
            Join(company.Apps.Select(a => appMarket[a.Id]));
        }
        var inFit = TargetEvaluator.InFit(info).ToList();
        var targetMarkets = inFit.ToDictionary(t => t.Id, t => MarketsOf(t, index, appMarket), StringComparer.Ordinal);
        foreach (var group in targetMarkets.Values)
        {
            Join(group);
        }
        var parameterMarkets = new List<int[]>();
        foreach (var p in text.Parameters)
        {
            var reached = MarketsOf(p.Path, index, appMarket, inFit, targetMarkets);
            if (reached is null)
            {
                return all;
            }
            Join(reached);
            parameterMarkets.Add(reached);
        }

        // A parameter that reaches no market (a sigma of a series with no fitted target) goes with the first block.
        var groups = parameterMarkets.Select(m => m.Length == 0 ? -1 : Find(m[0])).ToArray();
        var order = groups.Where(g => g >= 0).Distinct().ToList();
        if (order.Count < 2)
        {
            return all;
        }
        for (var i = 0; i < groups.Length; i++)
        {
            groups[i] = groups[i] < 0 ? order[0] : groups[i];
        }
        // Targets of markets no parameter reaches, and targets of no market (about people), are constants of the replay:
        // they go with the first block, so that the blocks' targets are together the fit's.
        int GroupOf(TargetInfo t) => targetMarkets[t.Id] is [var m, ..] && order.Contains(Find(m)) ? Find(m) : order[0];
        return
        [
            .. order.Select(g => new ParameterBlock(
                [.. Enumerable.Range(0, groups.Length).Where(i => groups[i] == g)],
                [.. Enumerable.Range(0, markets.Count).Where(m => Find(m) == g).Select(m => markets[m])],
                [.. inFit.Where(t => GroupOf(t) == g).Select(t => t.Id)])),
        ];
    }

    /// <summary>The markets whose outcomes a target reads: its market's, its apps' (none for a target about people).</summary>
    private static int[] MarketsOf(TargetInfo t, Dictionary<string, int> index, Dictionary<string, int> appMarket)
    {
        var found = new List<int>();
        if (t.Market is { } m && index.TryGetValue(m, out var i))
        {
            found.Add(i);
        }
        foreach (var app in new[] { t.App, t.Other })
        {
            if (app is not null && appMarket.TryGetValue(app, out var a))
            {
                found.Add(a);
            }
        }
        return [.. found.Distinct()];
    }

    /// <summary>
    /// The markets a free number moves: a market's own, an app's market, the markets of a series' fitted targets (for its
    /// sigma); null for a path of none of these shapes (the posterior is then drawn whole).
    /// </summary>
    private static int[]? MarketsOf(string path, Dictionary<string, int> index, Dictionary<string, int> appMarket,
        List<TargetInfo> inFit, Dictionary<string, int[]> targetMarkets)
    {
        var parts = path.Split('.');
        return parts switch
        {
            ["markets", var market, ..] when index.TryGetValue(market, out var m) => [m],
            ["companies", _, "apps", var app, ..] when appMarket.TryGetValue(app, out var m) => [m],
            ["series", var series, "sigma"] => [.. inFit.Where(t => t.Series == series).SelectMany(t => targetMarkets[t.Id]).Distinct()],
            _ => null,
        };
    }
}
