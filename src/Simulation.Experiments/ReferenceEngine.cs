using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Experiments;

/// <summary>The plain in-process loop: no Orleans, the oracle for the grains.</summary>
public sealed class ReferenceEngine : IRunEngine
{
    public string Name => "reference";

    public Task RunAsync(ScenarioInfo scenario, ulong seed, Action<TickReport> collect, IProgress<(int Done, int Total)>? progress, CancellationToken ct) =>
        Replicates.PlayAsync(new ReferenceTicker(scenario, seed), collect, progress: progress, ct: ct).AsTask();
}
