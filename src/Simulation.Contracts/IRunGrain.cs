using Orleans.Concurrency;
using Simulation.Model.Config;
using Simulation.Model.Phases;

namespace Simulation.Contracts;

/// <summary>
/// The scheduler of one run: advances ticks in phases with barriers across the run's company grains (the job
/// market and the user markets are played inside it). It can run to the end or advance N ticks and pause.
/// </summary>
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Sets the run up. Calling it again with the same scenario and seed does nothing.</summary>
    Task Start(ScenarioInfo scenario, ulong seed);

    /// <summary>
    /// Returns the reports from tick <paramref name="fromTick"/> on, playing up to tick <paramref name="fromTick"/> +
    /// <paramref name="ticks"/> (fewer at the end). The caller says which reports it has (those before
    /// <paramref name="fromTick"/>), so a call repeated after a lost answer or a lost activation returns the
    /// reports played but not yet received (they are kept in the run's state until then) instead of skipping them.
    /// </summary>
    Task<RunProgress> Advance(int fromTick, int ticks);

    Task<RunProgress> Status();

    /// <summary>
    /// The roster the companies decide tick <paramref name="tick"/> on, while the scheduler's fan-out that asks them to
    /// decide it is out (it interleaves with that fan-out); throws for any other tick. The run's grains on a silo fetch it
    /// once between them (<c>RunSetups</c>): with 100,000 researchers it is about 10 MB, too much to carry in each
    /// company's call. A silo that holds the roster of tick <paramref name="since"/> (-1: none) is sent only the changes
    /// from it when that is the tick before (a tick changes about 1.5 % of the entries: 160 KB instead of 10 MB), else the
    /// whole roster; the scheduler's own silo (<paramref name="asker"/>) is handed the roster itself, which is not copied.
    /// </summary>
    [AlwaysInterleave]
    Task<RosterChanges> View(int tick, int since, SiloAddress asker);
}
