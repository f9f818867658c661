namespace Simulation.Grains;

/// <summary>Tick-number discipline for a phase: a repeated call is answered from the cache, a skipped tick is an error.</summary>
internal static class PhaseOrder
{
    /// <summary>True when <paramref name="tick"/> was already done; throws when it is not the next one.</summary>
    public static bool AlreadyDone(string phase, int lastTick, int tick)
    {
        if (tick == lastTick)
        {
            return true;
        }
        if (tick != lastTick + 1)
        {
            throw new InvalidOperationException($"{phase} for tick {tick} after tick {lastTick}: phases must run in tick order");
        }
        return false;
    }
}
