using Simulation.Tests.Support;

namespace Simulation.Tests.Cluster;

/// <summary>Folders a posterior is drawn in, in process and on a cluster, and the check that both drew the same.</summary>
public static class PosteriorFolders
{
    /// <summary>A folder of its own under <paramref name="dir"/> holding the scenario as fittable.yaml (the posterior writes its draws beside it).</summary>
    public static string Create(string dir, string name, string text)
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "fittable.yaml"), text);
        return folder;
    }

    /// <summary>Both folders hold one file of draws, of the same name and bytes.</summary>
    public static void AssertSameDraws(string local, string remote)
    {
        var draws = Directory.GetFiles(Path.Combine(local, "fittable.posterior"), "*.csv").Select(Path.GetFileName).Order().ToList();
        Assert.Single(draws);
        Assert.Equal(draws, Directory.GetFiles(Path.Combine(remote, "fittable.posterior"), "*.csv").Select(Path.GetFileName).Order());
        Assert.True(File.ReadAllBytes(Path.Combine(local, "fittable.posterior", draws[0]!)).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(remote, "fittable.posterior", draws[0]!))),
            $"{draws[0]} differs between the posterior in process and on the cluster");
    }
}
