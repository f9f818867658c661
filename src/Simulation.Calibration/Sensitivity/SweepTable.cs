using System.Text;

namespace Simulation.Calibration.Sensitivity;

/// <summary>sweep.csv: one row per point, the parameter values and then each output's mean (and p5, p95 with several runs).</summary>
public static class SweepTable
{
    /// <summary>The header: <c>point</c>, the parameter paths, then per output its spec (the mean) and, with runs &gt; 1, <c>SPEC:p5</c>, <c>SPEC:p95</c>.</summary>
    public static IReadOnlyList<string> Columns(IReadOnlyList<string> parameters, IReadOnlyList<OutputSpec> outputs, int runs) =>
        ["point", .. parameters, .. outputs.SelectMany(o => runs > 1 ? [o.Text, $"{o.Text}:p5", $"{o.Text}:p95"] : new[] { o.Text })];

    /// <summary>The cells of one row, numbers written invariantly (parameters exactly, outputs to 10 significant digits).</summary>
    public static IReadOnlyList<string> Cells(PointOutcome point, int outputs, int runs) =>
    [
        point.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        .. point.Values.Select(v => SensitivityAnalysis.R(v.Value)),
        .. Enumerable.Range(0, outputs).SelectMany(o => runs > 1
            ? [SensitivityAnalysis.G(point.Mean(o)), SensitivityAnalysis.G(point.Quantile(o, 0.05)), SensitivityAnalysis.G(point.Quantile(o, 0.95))]
            : new[] { SensitivityAnalysis.G(point.Mean(o)) }),
    ];

    public static string Csv(IReadOnlyList<string> parameters, IReadOnlyList<PointOutcome> points, IReadOnlyList<OutputSpec> outputs, int runs)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', Columns(parameters, outputs, runs).Select(SensitivityAnalysis.Field)).Append('\n');
        foreach (var point in points)
        {
            sb.AppendJoin(',', Cells(point, outputs.Count, runs)).Append('\n');
        }
        return sb.ToString();
    }
}
