
namespace Simulation.Model.Metrics;

/// <summary>
/// Folds Monte Carlo replicates into bands one at a time, in replicate-index order, keeping a fixed
/// number of statistics per (month, market, company, app) and metric: a running mean (MathNet) and a
/// <see cref="QuantileSketch"/>. Nothing per replicate is kept, so memory does not grow with the runs.
/// </summary>
public sealed class BandAggregator(int exactCapacity = QuantileSketch.DefaultExactCapacity)
{

    private readonly Dictionary<(string Month, string Market, string Company, string App), RowCells> _rows = [];
    private readonly List<(string Month, string Market, string Company, string App)> _order = [];
    private readonly Dictionary<string, CompanyCells> _companies = new(StringComparer.Ordinal);
    private readonly List<string> _companyOrder = [];
    private string _lastMonth = "";

    /// <summary>Replicates folded so far.</summary>
    public int Runs { get; private set; }

    /// <summary>Doubles the statistics hold now; bounded by the scenario's size, not by <see cref="Runs"/>.</summary>
    public long RetainedValues =>
        _rows.Values.Sum(r => r.Cells().Sum(c => c.RetainedValues)) + _companies.Values.Sum(c => c.Cells().Sum(s => s.RetainedValues));

    /// <summary>Adds the next replicate; they must come in index order (0, 1, 2, ...) so the bands are reproducible.</summary>
    public void Add(ReplicateResult replicate)
    {
        if (replicate.Index != Runs)
        {
            throw new InvalidOperationException($"replicate {replicate.Index} folded out of order (expected {Runs})");
        }
        foreach (var row in replicate.Rows)
        {
            Row(row).Add(row);
        }
        if (replicate.Rows.Length > 0)
        {
            _lastMonth = replicate.Rows[^1].Month;
        }
        foreach (var company in replicate.Companies)
        {
            var apps = replicate.Rows.Where(r => r.Company == company.Company).ToList();
            var end = apps.Where(r => r.Month == _lastMonth).ToList();
            var peak = apps.GroupBy(r => r.Month).Select(g => g.Sum(r => r.Mau)).DefaultIfEmpty(0).Max();
            Company(company.Company).Add(end, peak, company.Headcount, company.Stars, company.CashUsd);
        }
        Runs++;
    }

    /// <summary>The bands in the order of the first replicate's rows (month, market, company, app).</summary>
    public IReadOnlyList<BandRow> Rows() => [.. _order.Select(key => _rows[key].ToBandRow(key))];

    /// <summary>The companies' end-of-run bands, in scenario order.</summary>
    public IReadOnlyList<CompanyBands> Companies() => [.. _companyOrder.Select(c => _companies[c].ToBands(c, _lastMonth))];

    private RowCells Row(MetricRow row)
    {
        var key = (row.Month, row.Market, row.Company, row.App);
        if (!_rows.TryGetValue(key, out var cells))
        {
            cells = new RowCells(exactCapacity);
            _rows[key] = cells;
            _order.Add(key);
        }
        return cells;
    }

    private CompanyCells Company(string id)
    {
        if (!_companies.TryGetValue(id, out var cells))
        {
            cells = new CompanyCells(exactCapacity);
            _companies[id] = cells;
            _companyOrder.Add(id);
        }
        return cells;
    }

    private sealed class RowCells(int exactCapacity)
    {
        private readonly BandCell _mau = new(exactCapacity), _wau = new(exactCapacity), _newUsers = new(exactCapacity), _share = new(exactCapacity),
            _cash = new(exactCapacity), _headcount = new(exactCapacity), _quality = new(exactCapacity);
        private int _runs;

        public IEnumerable<BandCell> Cells() => [_mau, _wau, _newUsers, _share, _cash, _headcount, _quality];

        public void Add(MetricRow row)
        {
            _runs++;
            _mau.Add(row.Mau);
            _wau.Add(row.Wau);
            _newUsers.Add(row.NewUsers);
            _share.Add(row.MarketShare);
            _cash.Add(row.CashUsd);
            _headcount.Add(row.Headcount);
            _quality.Add(row.Quality);
        }

        public BandRow ToBandRow((string Month, string Market, string Company, string App) key) => new()
        {
            Month = key.Month,
            Market = key.Market,
            Company = key.Company,
            App = key.App,
            Runs = _runs,
            Mau = _mau.ToBand()!,
            Wau = _wau.ToBand(),
            NewUsers = _newUsers.ToBand()!,
            MarketShare = _share.ToBand()!,
            CashUsd = _cash.ToBand(),
            Headcount = _headcount.ToBand(),
            Quality = _quality.ToBand(),
        };
    }

    private sealed class CompanyCells(int exactCapacity)
    {
        private readonly BandCell _endMau = new(exactCapacity), _peakMau = new(exactCapacity), _headcount = new(exactCapacity),
            _stars = new(exactCapacity), _cash = new(exactCapacity);
        private readonly List<(string App, string Market, BandCell Share)> _apps = [];

        public IEnumerable<BandCell> Cells() => [_endMau, _peakMau, _headcount, _stars, _cash, .. _apps.Select(a => a.Share)];

        public void Add(List<MetricRow> endRows, double peakMau, double headcount, int stars, double cashUsd)
        {
            _endMau.Add(endRows.Sum(r => r.Mau));
            _peakMau.Add(peakMau);
            _headcount.Add(headcount);
            _stars.Add(stars);
            _cash.Add(cashUsd);
            foreach (var row in endRows)
            {
                var index = _apps.FindIndex(a => a.App == row.App && a.Market == row.Market);
                if (index < 0)
                {
                    _apps.Add((row.App, row.Market, new BandCell(exactCapacity)));
                    index = _apps.Count - 1;
                }
                _apps[index].Share.Add(row.MarketShare);
            }
        }

        public CompanyBands ToBands(string company, string month) => new()
        {
            Company = company,
            Month = month,
            EndMau = _endMau.ToBand()!,
            PeakMau = _peakMau.ToBand()!,
            Headcount = _headcount.ToBand()!,
            Stars = _stars.ToBand()!,
            CashUsd = _cash.ToBand()!,
            Apps = [.. _apps.Select(a => new AppShareBand(a.App, a.Market, a.Share.ToBand()!))],
        };
    }
}
