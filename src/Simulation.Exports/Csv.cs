using System.Globalization;
using System.Text;

namespace Simulation.Exports;

/// <summary>Invariant, LF-terminated CSV text: the same numbers always give the same bytes.</summary>
internal static class Csv
{
    public static string Count(double value) => Math.Round(value, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture);

    public static string Count(double? value) => value is { } v ? Count(v) : "";

    public static string Fraction(double? value) => value is { } v ? v.ToString("0.000000", CultureInfo.InvariantCulture) : "";

    public static string Decimal1(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "";

    public static string Int(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        return value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }

    public static void AppendLine(StringBuilder sb, params string[] fields)
    {
        sb.AppendJoin(',', fields);
        sb.Append('\n');
    }
}
