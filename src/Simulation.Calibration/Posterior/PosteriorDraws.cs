using System.Globalization;
using System.Text;
using Simulation.Scenarios;

namespace Simulation.Calibration.Posterior;

/// <summary>Convergence of one free parameter across the chains.</summary>
/// <param name="RHat">Rank-normalised split R-hat (Vehtari et al. 2021): the larger of bulk and folded; below 1.05 is converged.</param>
/// <param name="EssBulk">Effective sample size of the rank-normalised draws (Geyer's initial sequence).</param>
/// <param name="EssTail">Effective sample size of the 5 % and 95 % quantile indicators, the smaller.</param>
public sealed record ParameterDiagnostics(string Path, double Mean, double Sd, double Q05, double Q50, double Q95, double RHat, double EssBulk, double EssTail);

/// <summary>
/// Posterior draws of a scenario's free parameters, saved beside the scenario and keyed by its hash:
/// <c>&lt;folder&gt;/&lt;file&gt;.posterior/&lt;key&gt;.csv</c> (one row per draw: chain, draw, then each parameter by path)
/// and <c>&lt;key&gt;.txt</c> (how they were drawn and their diagnostics). The key is the hash of the scenario as loaded
/// (<see cref="Model.Config.ScenarioInfo.Fingerprint"/>, its first 16 hex digits): any change to the scenario, its
/// observations or a value makes the draws stale, and they are then not found.
/// </summary>
public sealed record PosteriorDraws
{
    public required string Key { get; init; }
    /// <summary>The free parameters' paths (as <c>--set</c> takes them), in the file's order.</summary>
    public required IReadOnlyList<string> Paths { get; init; }
    /// <summary>The chain each draw comes from, and the draws (each one value per path), chain after chain.</summary>
    public required IReadOnlyList<int> Chain { get; init; }
    public required IReadOnlyList<double[]> Draws { get; init; }

    public int Count => Draws.Count;

    /// <summary>The first 16 hex digits of the scenario's fingerprint.</summary>
    public static string KeyOf(LoadedScenario scenario) => scenario.Info.Fingerprint()[..16];

    /// <summary>The folder of a scenario file's posteriors: <c>scenarios/baseline.posterior/</c> beside <c>scenarios/baseline.yaml</c>.</summary>
    public static string FolderOf(string scenarioFile) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(scenarioFile))!, Path.GetFileNameWithoutExtension(scenarioFile) + ".posterior");

    public static string CsvPath(string scenarioFile, string key) => Path.Combine(FolderOf(scenarioFile), key + ".csv");

    public static string ReportPath(string scenarioFile, string key) => Path.Combine(FolderOf(scenarioFile), key + ".txt");

    /// <summary>The draws saved for this scenario as it is now, or null when there are none (or they are for an older version of it).</summary>
    public static PosteriorDraws? Find(string scenarioFile, LoadedScenario scenario)
    {
        var key = KeyOf(scenario);
        var path = CsvPath(scenarioFile, key);
        return File.Exists(path) ? Read(path, key) : null;
    }

    /// <summary>Writes the draws (and the report beside them) atomically.</summary>
    public void Save(string scenarioFile, string report)
    {
        Directory.CreateDirectory(FolderOf(scenarioFile));
        WriteAtomically(CsvPath(scenarioFile, Key), ToCsv());
        WriteAtomically(ReportPath(scenarioFile, Key), report);
    }

    /// <summary>The draws as <see cref="Save"/> writes them: <c>chain,draw,PATH,...</c>, one row per draw, values written to read back exactly.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append("chain,draw,").Append(string.Join(',', Paths)).Append('\n');
        var index = 0;
        for (var i = 0; i < Draws.Count; i++)
        {
            index = i > 0 && Chain[i] == Chain[i - 1] ? index + 1 : 0;
            sb.Append(Chain[i].ToString(CultureInfo.InvariantCulture)).Append(',').Append(index.ToString(CultureInfo.InvariantCulture));
            foreach (var v in Draws[i])
            {
                sb.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static void WriteAtomically(string path, string text)
    {
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Reads a draws file written by <see cref="Save"/>.</summary>
    /// <exception cref="FormatException">The file is not one.</exception>
    public static PosteriorDraws Read(string path, string key)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || !lines[0].StartsWith("chain,draw,", StringComparison.Ordinal))
        {
            throw new FormatException($"{path}: not a posterior draws file (expected a header 'chain,draw,<path>,...' and at least one draw)");
        }
        var paths = lines[0].Split(',')[2..];
        var chains = new List<int>();
        var draws = new List<double[]>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }
            var fields = lines[i].Split(',');
            if (fields.Length != paths.Length + 2)
            {
                throw new FormatException($"{path}:{i + 1}: expected {paths.Length + 2} fields, got {fields.Length}");
            }
            chains.Add(int.Parse(fields[0], CultureInfo.InvariantCulture));
            draws.Add([.. fields[2..].Select(f => double.Parse(f, CultureInfo.InvariantCulture))]);
        }
        return new PosteriorDraws { Key = key, Paths = paths, Chain = chains, Draws = draws };
    }

    /// <summary>
    /// The draw replicate <paramref name="replicate"/> of <paramref name="runs"/> uses: evenly spaced through the pooled
    /// draws, so every run count takes a spread of them and the same replicate always the same draw.
    /// </summary>
    public double[] ForReplicate(int replicate, int runs) => Draws[(int)((long)replicate * Draws.Count / Math.Max(runs, 1))];
}
