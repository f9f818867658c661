namespace Simulation.Model.Metrics;

/// <summary>A metric across Monte Carlo replicates: mean and the 5th, 50th and 95th percentiles.</summary>
public sealed record Band(double Mean, double P5, double P50, double P95);

/// <summary>
/// One line of the band export: an app (or a market's total, company and app "ALL") in a month, each
/// metric as a <see cref="Band"/> over <see cref="Runs"/> replicates. A metric that is empty in the
/// single-run monthly.csv (wau in monthly markets; company fields on market totals) is null here.
/// </summary>
public sealed record BandRow
{
    public required string Month { get; init; }
    public required string Market { get; init; }
    public required string Company { get; init; }
    public required string App { get; init; }
    public required int Runs { get; init; }
    public required Band Mau { get; init; }
    public Band? Wau { get; init; }
    public required Band NewUsers { get; init; }
    public required Band MarketShare { get; init; }
    public Band? CashUsd { get; init; }
    public Band? Headcount { get; init; }
    public Band? Quality { get; init; }
}

/// <summary>A company's end of run across replicates: what the summary table prints, as bands.</summary>
public sealed record CompanyBands
{
    public required string Company { get; init; }
    /// <summary>The month the end figures are taken in (the last month of the run).</summary>
    public required string Month { get; init; }
    /// <summary>Sum of the company's apps' MAU in the last month.</summary>
    public required Band EndMau { get; init; }
    /// <summary>Highest monthly sum of the company's apps' MAU over the run (per replicate, then banded).</summary>
    public required Band PeakMau { get; init; }
    public required Band Headcount { get; init; }
    public required Band Stars { get; init; }
    public required Band CashUsd { get; init; }
    /// <summary>Each app's market share in the last month, in (company, app) order.</summary>
    public required IReadOnlyList<AppShareBand> Apps { get; init; }
}

public sealed record AppShareBand(string App, string Market, Band MarketShare);
