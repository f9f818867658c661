using System.Collections.Concurrent;
using Orleans.TestingHost;
using Simulation.Cli.Hosting;

namespace Simulation.Tests.Support;

/// <summary>
/// A test cluster whose grain storage keeps what is written (memory storage, as <c>sim run</c> has) and whose silo
/// runs <see cref="FaultInjector"/>: tests make company grains lose their activation, or a call fail, at a tick and
/// phase of their choosing.
/// </summary>
public sealed class FaultClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddCheckpointStorage().AddIncomingGrainCallFilter<FaultInjector>());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class FaultClusterCollection : ICollectionFixture<FaultClusterFixture>
{
    public const string Name = "faults";
}

public enum FaultKind
{
    /// <summary>The grain loses its activation once the call has returned (its live state is gone; storage is not).</summary>
    DeactivateAfter,
    /// <summary>The call fails before it reaches the grain, as a call to a silo that died would.</summary>
    FailBefore,
}

/// <summary>One fault: when grain <see cref="GrainKey"/> is called with <see cref="Method"/> for <see cref="Tick"/>; it fires once.</summary>
public sealed record Fault(string GrainKey, string Method, int Tick, FaultKind Kind);

/// <summary>Fires the planned faults (each once) on incoming calls whose first argument is the tick.</summary>
public sealed class FaultInjector : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<Fault, bool> Planned = new();
    private static readonly ConcurrentQueue<Fault> FiredQueue = new();

    public static void Plan(params Fault[] faults)
    {
        foreach (var fault in faults)
        {
            Planned[fault] = true;
        }
    }

    /// <summary>The faults that fired, in order.</summary>
    public static IReadOnlyList<Fault> Fired => [.. FiredQueue];

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var fault = Match(context);
        if (fault?.Kind == FaultKind.FailBefore && Planned.TryRemove(fault, out _))
        {
            FiredQueue.Enqueue(fault);
            throw new SiloUnavailableException($"injected: {fault}");
        }
        await context.Invoke();
        if (fault?.Kind == FaultKind.DeactivateAfter && Planned.TryRemove(fault, out _))
        {
            FiredQueue.Enqueue(fault);
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, $"injected: {fault}"));
        }
    }

    private static Fault? Match(IIncomingGrainCallContext context)
    {
        if (Planned.IsEmpty || context.Request.GetArgumentCount() == 0 || context.Request.GetArgument(0) is not int tick)
        {
            return null;
        }
        var key = context.TargetId.Key.ToString()!;
        foreach (var fault in Planned.Keys)
        {
            if (fault.GrainKey == key && fault.Method == context.MethodName && fault.Tick == tick)
            {
                return fault;
            }
        }
        return null;
    }
}
