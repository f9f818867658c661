namespace Simulation.Contracts;

/// <summary>
/// A grain that does nothing but answer: what <c>sim bench --scaling</c> times to give Orleans's own cost of a call on the
/// machine (or cluster) it runs on, beside the company engine's cost per call over the reference runner.
/// </summary>
public interface IPingGrain : IGrainWithIntegerKey
{
    /// <summary>Returns <paramref name="value"/> + 1, at once.</summary>
    Task<int> Ping(int value);

    /// <summary>Deactivates the grain once the call returns: the bench leaves no activations behind on the silos.</summary>
    Task Leave();
}
