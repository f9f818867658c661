namespace Simulation.Grains;

/// <summary>Tick-number discipline for a phase: a repeated call is answered from what was kept, a call out of order is an error.</summary>
internal static class PhaseOrder
{
    /// <summary>Throws unless <paramref name="inOrder"/>: the phase is asked for a tick its grain is not at.</summary>
    public static void Require(bool inOrder, string grain, string phase, int tick, string state)
    {
        if (!inOrder)
        {
            throw new InvalidOperationException($"{grain}: {phase} for tick {tick} when {state}: phases must run in tick order");
        }
    }
}
