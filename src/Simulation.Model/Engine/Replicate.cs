using Simulation.Model.Config;
using Simulation.Model.Metrics;
using Simulation.Model.Randomness;
using Simulation.Model.Rules;

namespace Simulation.Model.Engine;

/// <summary>One Monte Carlo replicate: its seed, and the whole run played in process with the pure model.</summary>
public static class Replicate
{
    /// <summary>
    /// Replicate 0 plays the base seed itself (so it is the run <c>sim run</c> without <c>--runs</c> plays);
    /// replicate i &gt; 0 plays <see cref="RandomStreams.DeriveSeed"/>(base seed, i).
    /// </summary>
    public static ulong Seed(ulong baseSeed, int index) => index == 0 ? baseSeed : RandomStreams.DeriveSeed(baseSeed, index);

    /// <summary>Plays replicate <paramref name="index"/> to the end with <see cref="ReferenceRunner"/>.</summary>
    public static ReplicateResult Run(ScenarioInfo scenario, ulong seed, int index)
    {
        var collector = new DataCollector(new ScenarioContext(scenario, seed), tickRows: false);
        var runner = new ReferenceRunner(scenario, seed);
        while (runner.NextTick < runner.TickCount)
        {
            foreach (var report in runner.Advance(31))
            {
                collector.Collect(report);
            }
        }
        return ReplicateResult.From(index, seed, collector);
    }
}
