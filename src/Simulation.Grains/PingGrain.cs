using Simulation.Contracts;

namespace Simulation.Grains;

/// <summary>An empty call (<see cref="IPingGrain"/>): the floor under the cost of any grain call.</summary>
public sealed class PingGrain : Grain, IPingGrain
{
    Task<int> IPingGrain.Ping(int value) => Task.FromResult(value + 1);

    Task IPingGrain.Leave()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
