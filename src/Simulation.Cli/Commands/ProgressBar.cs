using Spectre.Console;

namespace Simulation.Cli.Commands;

/// <summary>
/// A progress bar with ETA on stderr while long work runs, drawn only when stderr is a terminal
/// (Spectre.Console draws none for pipes and files, which is right for logs).
/// </summary>
public static class ProgressBar
{
    public static async Task<T> RunAsync<T>(string label, int total, bool show, Func<IProgress<int>?, Task<T>> work)
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
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(label, maxValue: total);
                return await work(new Callback(done => task.Value = done));
            });
    }

    private sealed class Callback(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
