using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Experiments;

/// <summary>Plays a scenario to its end, handing each tick's report to <c>collect</c> in tick order (a single run).</summary>
public interface IRunEngine
{
    string Name { get; }

    Task RunAsync(ScenarioInfo scenario, ulong seed, Action<TickReport> collect, IProgress<(int Done, int Total)>? progress, CancellationToken ct);
}
