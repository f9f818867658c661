namespace Simulation.Contracts;

/// <summary>Grain keys carry the run id, so many runs share one cluster without interfering.</summary>
public static class GrainKeys
{
    public static string Run(string runId) => runId;

    public static string Company(string runId, string company) => $"{runId}/company/{company}";

    public static string Market(string runId, string market) => $"{runId}/market/{market}";

    public static string Talent(string runId) => $"{runId}/talent";
}
