using System.Diagnostics;
using System.Globalization;
using Simulation.Model.Config;

namespace Simulation.Experiments;

/// <summary>
/// How long an experiment will take, before it starts: a short timed pilot of the scenario on the replicate
/// loop in process (a fraction of a second, or one whole replicate if it is shorter) gives the cost per tick, times the
/// ticks a replicate plays, times the cells, over the cores that play at once.
/// </summary>
public sealed record Estimate(TimeSpan PerCell, int Cells, int Cores)
{
    /// <summary>Batches expected to take less than this print no estimate.</summary>
    public static readonly TimeSpan WorthSaying = TimeSpan.FromSeconds(5);

    public TimeSpan Total => PerCell * ((double)Cells / Cores);

    /// <summary>Times the first ticks of <paramref name="scenario"/> (up to <paramref name="stopTick"/>) with the replicate loop for about <paramref name="budget"/>.</summary>
    public static Estimate FromPilot(ScenarioInfo scenario, int cells, int parallel, int stopTick = int.MaxValue, TimeSpan? budget = null)
    {
        var ticker = new ReferenceTicker(scenario, scenario.Seed);
        var stop = Math.Min(stopTick, ticker.TickCount);
        var clock = Stopwatch.StartNew();
        using var pilot = new CancellationTokenSource();
        (int Tick, TimeSpan At)? first = null, last = null;
        var slices = new Slices(p =>
        {
            // The first slice pays for the JIT: the pilot's clock starts after it.
            if (first is null)
            {
                first = (p.Done, clock.Elapsed);
                pilot.CancelAfter(budget ?? TimeSpan.FromMilliseconds(300));
            }
            else
            {
                last = (p.Done, clock.Elapsed);
            }
        });
        try
        {
            Replicates.PlayAsync(ticker, _ => { }, stop, slices, pilot.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // The pilot's time is up.
        }
        var perTick = (first, last) switch
        {
            ({ } a, { } b) => (b.At - a.At) / (b.Tick - a.Tick),
            ({ } a, null) when a.Tick > 0 => a.At / a.Tick,
            _ => TimeSpan.Zero,
        };
        return new Estimate(perTick * stop, cells, Math.Max(1, Math.Min(parallel, Environment.ProcessorCount)));
    }

    private sealed class Slices(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }

    /// <summary>"about 2 h 10 min on 2 cores (1,000,000 runs of about 11 ms)".</summary>
    public string Describe(string cells = "runs") =>
        string.Create(CultureInfo.InvariantCulture, $"about {Duration(Total)} on {Cores} core{(Cores == 1 ? "" : "s")} ({Cells:N0} {cells} of about {Duration(PerCell)} each)");

    /// <summary>A duration as people say it: "40 s", "5 min", "2 h 10 min", "3 d 4 h".</summary>
    public static string Duration(TimeSpan t) => t.TotalSeconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, Math.Round(t.TotalMilliseconds))} ms"),
        < 90 => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(t.TotalSeconds)} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(t.TotalMinutes)} min"),
        < 86400 => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours} h {t.Minutes} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalDays} d {t.Hours} h"),
    };
}
