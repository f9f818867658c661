using System.Text.Json.Serialization;

namespace Simulation.Exports;

// The rows of monthly, ticks and events as typed records, for the Parquet and JSON exports. Column names
// and rounding are those of the CSV files, so every format carries the same numbers.

/// <summary>A row of monthly.parquet / monthly.json (columns of monthly.csv).</summary>
public sealed class MonthlyRecord
{
    [JsonPropertyName("run")] public int Run { get; set; }
    [JsonPropertyName("seed")] public ulong Seed { get; set; }
    [JsonPropertyName("month")] public string Month { get; set; } = "";
    [JsonPropertyName("market")] public string Market { get; set; } = "";
    [JsonPropertyName("company")] public string Company { get; set; } = "";
    [JsonPropertyName("app")] public string App { get; set; } = "";
    [JsonPropertyName("mau")] public double Mau { get; set; }
    [JsonPropertyName("wau")] public double? Wau { get; set; }
    [JsonPropertyName("new_users")] public double NewUsers { get; set; }
    [JsonPropertyName("retention_d30")] public double? RetentionD30 { get; set; }
    [JsonPropertyName("market_share")] public double MarketShare { get; set; }
    [JsonPropertyName("quality")] public double? Quality { get; set; }
    [JsonPropertyName("headcount")] public double? Headcount { get; set; }
    [JsonPropertyName("stars")] public int? Stars { get; set; }
    [JsonPropertyName("cash_usd")] public double? CashUsd { get; set; }
}

/// <summary>A row of ticks.parquet / ticks.json (columns of ticks.csv).</summary>
public sealed class TickRecord
{
    [JsonPropertyName("run")] public int Run { get; set; }
    [JsonPropertyName("seed")] public ulong Seed { get; set; }
    [JsonPropertyName("tick")] public int Tick { get; set; }
    [JsonPropertyName("date")] public string Date { get; set; } = "";
    [JsonPropertyName("month")] public string Month { get; set; } = "";
    [JsonPropertyName("market")] public string Market { get; set; } = "";
    [JsonPropertyName("company")] public string Company { get; set; } = "";
    [JsonPropertyName("app")] public string App { get; set; } = "";
    [JsonPropertyName("mau")] public double Mau { get; set; }
    [JsonPropertyName("wau")] public double? Wau { get; set; }
    [JsonPropertyName("active")] public double Active { get; set; }
    [JsonPropertyName("new_users")] public double NewUsers { get; set; }
    [JsonPropertyName("retention_d30")] public double? RetentionD30 { get; set; }
    [JsonPropertyName("market_share")] public double MarketShare { get; set; }
    [JsonPropertyName("quality")] public double? Quality { get; set; }
    [JsonPropertyName("headcount")] public double? Headcount { get; set; }
    [JsonPropertyName("stars")] public int? Stars { get; set; }
    [JsonPropertyName("cash_usd")] public double? CashUsd { get; set; }
}

/// <summary>A row of events.parquet / events.json (columns of events.csv).</summary>
public sealed class EventRecord
{
    [JsonPropertyName("run")] public int Run { get; set; }
    [JsonPropertyName("seed")] public ulong Seed { get; set; }
    [JsonPropertyName("tick")] public int Tick { get; set; }
    [JsonPropertyName("date")] public string Date { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("person")] public string Person { get; set; } = "";
    [JsonPropertyName("from")] public string? From { get; set; }
    [JsonPropertyName("to")] public string? To { get; set; }
    [JsonPropertyName("amount_usd")] public double AmountUsd { get; set; }
}
