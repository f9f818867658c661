namespace Simulation.Contracts;

public static class StorageNames
{
    /// <summary>The grain storage every simulation grain writes its checkpoints to.</summary>
    public const string Simulation = "simulation";
}
