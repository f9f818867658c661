
namespace Simulation.Model.Metrics;

/// <summary>The metrics <c>sim compare</c> can compare, by the name the CSV columns use.</summary>
public static class ComparedMetrics
{
    public static readonly IReadOnlyList<string> Names =
        ["mau", "wau", "market_share", "cash_usd", "headcount", "quality", "attraction_share", "retention_d30", "switch_net", "new_users", "potential", "attraction_factor", "star_lift"];

    /// <summary>The metric's value in a row; null where the row has none (wau of a monthly market, cash of a market total).</summary>
    public static Func<MetricRow, double?> Of(string metric) => metric switch
    {
        "mau" => r => r.Mau,
        "wau" => r => r.Wau,
        "market_share" => r => r.MarketShare,
        "cash_usd" => r => r.CashUsd,
        "headcount" => r => r.Headcount,
        "quality" => r => r.Quality,
        "attraction_share" => r => r.AttractionShare,
        "retention_d30" => r => r.RetentionD30,
        "switch_net" => r => r.SwitchNet,
        "new_users" => r => r.NewUsers,
        "potential" => r => r.Potential,
        "attraction_factor" => r => r.AttractionFactor,
        "star_lift" => r => r.StarLift,
        _ => throw new ArgumentException($"unknown metric '{metric}'; expected one of {string.Join(", ", Names)}", nameof(metric)),
    };
}

/// <summary>
/// One compared scenario against the reference for an app (or a market total) in a month, over the paired
/// replicates: the reference's and the scenario's bands, and the bands of the paired difference
/// (scenario minus reference, replicate by replicate) and of the relative difference (the difference over
/// the reference; null when the reference is 0 in every replicate).
/// </summary>
public sealed record ComparisonRow
{
    public required string Scenario { get; init; }
    public required string Month { get; init; }
    public required string Market { get; init; }
    public required string Company { get; init; }
    public required string App { get; init; }
    public required Band Reference { get; init; }
    public required Band Value { get; init; }
    public required Band Difference { get; init; }
    public Band? RelativeDifference { get; init; }
}

/// <summary>
/// Folds paired replicates (replicate i of the reference and of every compared scenario, all played with the
/// same seed: common random numbers) into bands of one metric and of its paired differences, one replicate
/// index at a time, in index order. Like <see cref="BandAggregator"/> it keeps a fixed number of statistics
/// per (scenario, month, market, company, app): nothing per replicate, so memory does not grow with the runs.
/// </summary>
/// <remarks>
/// A row one scenario has and another lacks (an app only some scenarios define) counts as 0 where it is
/// missing, in every replicate, including replicates folded before the row was first seen. A scenario is
/// compared on the rows of the reference and its own; rows only a third scenario has are not its business.
/// </remarks>
public sealed class ComparisonAggregator
{

    private readonly IReadOnlyList<string> _scenarios;
    private readonly Func<MetricRow, double?> _metric;
    private readonly int _exactCapacity;
    private readonly Dictionary<Key, BandCell> _reference = [];
    private readonly Dictionary<Key, PairCells>[] _pairs;
    private readonly List<string> _markets = [];
    private readonly List<(string Market, string Company, string App)> _series = [];

    /// <param name="scenarios">Names: the reference first, then each compared scenario (at least two in all).</param>
    /// <param name="metric">One of <see cref="ComparedMetrics.Names"/>.</param>
    public ComparisonAggregator(IReadOnlyList<string> scenarios, string metric, int exactCapacity = QuantileSketch.DefaultExactCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scenarios.Count, 2, nameof(scenarios));
        _scenarios = [.. scenarios];
        _metric = ComparedMetrics.Of(metric);
        Metric = metric;
        _exactCapacity = exactCapacity;
        _pairs = [.. scenarios.Select(_ => new Dictionary<Key, PairCells>())];
    }

    public string Metric { get; }

    /// <summary>The reference first, then the compared scenarios.</summary>
    public IReadOnlyList<string> Scenarios => _scenarios;

    /// <summary>Replicate indexes folded so far.</summary>
    public int Runs { get; private set; }

    /// <summary>Doubles the statistics hold now; bounded by the scenarios' size, not by <see cref="Runs"/>.</summary>
    public long RetainedValues =>
        _reference.Values.Sum(c => (long)c.RetainedValues) + _pairs.Sum(p => p.Values.Sum(c => (long)c.RetainedValues));

    /// <summary>
    /// Adds replicate <see cref="Runs"/> of every scenario: <paramref name="replicates"/>[0] is the reference's,
    /// then one per compared scenario in order, all with the same index (and, for common random numbers, seed).
    /// </summary>
    public void Add(IReadOnlyList<ReplicateResult> replicates)
    {
        if (replicates.Count != _scenarios.Count)
        {
            throw new ArgumentException($"expected a replicate of each of {_scenarios.Count} scenarios, got {replicates.Count}", nameof(replicates));
        }
        if (replicates.FirstOrDefault(r => r.Index != Runs) is { } wrong)
        {
            throw new InvalidOperationException($"replicate {wrong.Index} folded out of order (expected {Runs})");
        }
        var rows = replicates.Select(r => r.Rows.ToDictionary(Key.Of)).ToArray();
        for (var s = 0; s < replicates.Count; s++)
        {
            foreach (var row in replicates[s].Rows)
            {
                Register(Key.Of(row), s);
            }
        }
        foreach (var (key, cell) in _reference)
        {
            cell.Add(ValueOf(rows[0], key));
        }
        for (var s = 1; s < _pairs.Length; s++)
        {
            foreach (var (key, cells) in _pairs[s])
            {
                cells.Add(ValueOf(rows[0], key), ValueOf(rows[s], key));
            }
        }
        Runs++;
    }

    /// <summary>
    /// Every compared scenario's rows that have a value: by scenario, month, market (in order of first
    /// appearance), then apps in order of first appearance with the market's total last.
    /// </summary>
    public IReadOnlyList<ComparisonRow> Rows()
    {
        var rows = new List<ComparisonRow>();
        for (var s = 1; s < _pairs.Length; s++)
        {
            foreach (var key in _pairs[s].Keys.OrderBy(k => k.Month, StringComparer.Ordinal).ThenBy(SeriesOrder))
            {
                if (_pairs[s][key].ToRow(_scenarios[s], key, _reference[key]) is { } row)
                {
                    rows.Add(row);
                }
            }
        }
        return rows;
    }

    private (int Market, bool Total, int Series) SeriesOrder(Key key) =>
        (_markets.IndexOf(key.Market), key.App == MetricRow.All, _series.IndexOf((key.Market, key.Company, key.App)));

    private double? ValueOf(Dictionary<Key, MetricRow> rows, Key key) => rows.TryGetValue(key, out var row) ? _metric(row) : 0;

    /// <summary>Makes cells for a row first seen now, filled with the zeros of the replicates folded before.</summary>
    private void Register(Key key, int scenario)
    {
        if (!_reference.ContainsKey(key))
        {
            var cell = new BandCell(_exactCapacity);
            for (var i = 0; i < Runs; i++)
            {
                cell.Add(0);
            }
            _reference[key] = cell;
            if (!_markets.Contains(key.Market))
            {
                _markets.Add(key.Market);
            }
            if (!_series.Contains((key.Market, key.Company, key.App)))
            {
                _series.Add((key.Market, key.Company, key.App));
            }
        }
        IEnumerable<int> pairs = scenario == 0 ? Enumerable.Range(1, _pairs.Length - 1) : [scenario];
        foreach (var s in pairs)
        {
            if (!_pairs[s].ContainsKey(key))
            {
                var cells = new PairCells(_exactCapacity);
                for (var i = 0; i < Runs; i++)
                {
                    cells.Add(0, 0);
                }
                _pairs[s][key] = cells;
            }
        }
    }

    private readonly record struct Key(string Month, string Market, string Company, string App)
    {
        public static Key Of(MetricRow row) => new(row.Month, row.Market, row.Company, row.App);
    }

    /// <summary>A compared scenario's value, and its difference and relative difference from the reference's.</summary>
    private sealed class PairCells(int exactCapacity)
    {
        private readonly BandCell _value = new(exactCapacity), _difference = new(exactCapacity), _relative = new(exactCapacity);

        public int RetainedValues => _value.RetainedValues + _difference.RetainedValues + _relative.RetainedValues;

        public void Add(double? reference, double? value)
        {
            _value.Add(value);
            if (reference is { } r && value is { } v)
            {
                _difference.Add(v - r);
                if (r != 0)
                {
                    _relative.Add((v - r) / r);
                }
            }
        }

        public ComparisonRow? ToRow(string scenario, Key key, BandCell reference) =>
            _difference.ToBand() is { } difference
                ? new ComparisonRow
                {
                    Scenario = scenario,
                    Month = key.Month,
                    Market = key.Market,
                    Company = key.Company,
                    App = key.App,
                    Reference = reference.ToBand()!,
                    Value = _value.ToBand()!,
                    Difference = difference,
                    RelativeDifference = _relative.ToBand(),
                }
                : null;
    }
}
