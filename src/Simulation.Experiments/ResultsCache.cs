using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulation.Model.Metrics;
using Simulation.Scenarios;

namespace Simulation.Experiments;

/// <summary>The bands of a complete Monte Carlo batch, as the cache keeps them.</summary>
public sealed record CachedBands(int Runs, IReadOnlyList<BandRow> Bands, IReadOnlyList<CompanyBands> Companies);

/// <summary>
/// Bands of complete Monte Carlo batches on disk, one JSON file per key. The key is a SHA-256 of the
/// scenario (file hash and the hash of the configuration as run, so overrides count), the base seed,
/// the number of runs, the program version, the build of the model and, with <c>--uncertainty posterior</c> or
/// <c>both</c>, the mode and the posterior draws (key and contents): every engine and placement gives
/// the same bands, so none of them is in the key. Files are written to a temporary name and moved in.
/// </summary>
public sealed class ResultsCache(string directory)
{
    private const string Format = "bands-v1";

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Directory { get; } = directory;

    /// <summary>$SIM_CACHE_DIR, else $XDG_CACHE_HOME/simulation, else ~/.cache/simulation.</summary>
    public static ResultsCache Default()
    {
        if (Environment.GetEnvironmentVariable("SIM_CACHE_DIR") is { Length: > 0 } explicitDir)
        {
            return new ResultsCache(explicitDir);
        }
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return new ResultsCache(Path.Combine(root, "simulation"));
    }

    /// <param name="uncertainty">
    /// What made the replicates differ: seed uncertainty (null or <see cref="ReplicateUncertainty.Seed"/>) keeps the key
    /// it always had; posterior draws add the mode and the draws' key and contents, so that bands of one are never
    /// served for the other.
    /// </param>
    public static string Key(LoadedScenario scenario, ulong baseSeed, int runs, ReplicateUncertainty? uncertainty = null)
    {
        var model = typeof(Simulation.Model.Engine.ReferenceRunner).Assembly.ManifestModule.ModuleVersionId;
        var text = string.Join("\n", Format, scenario.Sha256, scenario.Info.Fingerprint(), baseSeed, runs, ProgramInfo.Version, model);
        if (uncertainty?.CacheText is { } extra)
        {
            text += "\n" + extra;
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The cached bands for <paramref name="key"/>, or null (also when the file is unreadable).</summary>
    public CachedBands? TryGet(string key)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<CachedBands>(File.ReadAllBytes(path), Json);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    public void Put(string key, CachedBands bands)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temp = Path.Combine(Directory, $".{key}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(bands, Json));
            File.Move(temp, PathOf(key), overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private string PathOf(string key) => Path.Combine(Directory, key + ".json");
}
