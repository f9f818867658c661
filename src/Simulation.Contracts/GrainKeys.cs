namespace Simulation.Contracts;

/// <summary>Grain keys carry the run id (which holds no <c>/</c>), so many runs share one cluster without interfering.</summary>
public static class GrainKeys
{
    public static string Run(string runId) => runId;

    public static string Company(string runId, string company) => $"{runId}/company/{company}";

    public static string Scenario(string runId) => $"{runId}/scenario";

    /// <summary>The run id a company or scenario key belongs to.</summary>
    public static string RunOf(string key) => key.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? key[..slash] : key;
}
