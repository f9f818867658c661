using Simulation.Experiments;
using Spectre.Console;

namespace Simulation.Cli.Commands;

/// <summary>
/// Draws an experiment's progress (<see cref="ExperimentProgress"/>: done of total, elapsed, time left) as a bar on
/// stderr, only when stderr is a terminal (nothing for pipes and files, which is right for logs), and only once the
/// work has taken longer than <c>after</c>: a run that ends in a blink draws nothing.
/// </summary>
public static class ProgressBar
{
    public static async Task<T> RunAsync<T>(string label, bool show, Func<IProgress<ExperimentProgress>?, Task<T>> work, TimeSpan after = default)
    {
        if (!show || Console.IsErrorRedirected)
        {
            return await work(null);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (!console.Profile.Capabilities.Interactive)
        {
            return await work(null);
        }
        var latest = new Latest();
        var running = Task.Run(() => work(latest));
        if (after > TimeSpan.Zero && await Task.WhenAny(running, Task.Delay(after)) == running)
        {
            return await running;
        }
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(label, maxValue: 1);
                while (!running.IsCompleted)
                {
                    if (latest.Value is { Total: > 0 } p)
                    {
                        bar.MaxValue = p.Total;
                        bar.Value = p.Done;
                        bar.Description = $"{label}: {p.Done:N0} of {p.Total:N0} {p.Stage}";
                    }
                    await Task.WhenAny(running, Task.Delay(100));
                }
                return await running;
            });
    }

    /// <summary>A single run's progress in months: ticks played of the ticks to play, as months of the run.</summary>
    public static IProgress<(int Done, int Total)> Months(IProgress<ExperimentProgress>? progress, int months)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        return new Callback<(int Done, int Total)>(p => progress?.Report(
            new ExperimentProgress("months", (int)((long)p.Done * months / Math.Max(1, p.Total)), months, clock.Elapsed)));
    }

    private sealed class Latest : IProgress<ExperimentProgress>
    {
        private volatile ExperimentProgress? _value;

        public ExperimentProgress? Value => _value;

        public void Report(ExperimentProgress value) => _value = value;
    }

    private sealed class Callback<TValue>(Action<TValue> report) : IProgress<TValue>
    {
        public void Report(TValue value) => report(value);
    }
}
