using System.CommandLine;
using System.Runtime.InteropServices;
using Simulation.Exports;
using Simulation.Model.Rules;
using Simulation.Scenarios.Yaml;

namespace Simulation.Cli.Commands;

/// <summary>The <c>sim</c> command line: parsing, and one place that maps failures to exit codes.</summary>
public static class SimCommand
{
    public static async Task<int> InvokeAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Simulation: the race between AI-model companies for researchers and users, on Orleans.")
        {
            RunCommand.Create(stdout),
            ValidateCommand.Create(stdout),
            SchemaCommand.Create(stdout),
            CalibrateCommand.Create(stdout, stderr),
            PosteriorCommand.Create(stdout, stderr),
            ProfileCommand.Create(stdout, stderr),
            BacktestCommand.Create(stdout, stderr),
            CompareCommand.Create(stdout),
            SweepCommand.Create(stdout, stderr),
            SensitivityCommand.Create(stdout, stderr),
            BenchCommand.Create(stdout),
            WorkshopCommand.Create(stdout, stderr),
            SiloCommand.Create(stdout, stderr),
            ClusterCommand.Create(stdout),
        };
        var verbose = new Option<bool>("--verbose") { Description = "Print the full trace of an internal error.", Recursive = true };
        root.Options.Add(verbose);
        NumericOptions.Apply(root);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"sim: {error.Message}");
            }
            await stderr.WriteLineAsync("Run 'sim --help' for usage.");
            return ExitCodes.BadInput;
        }
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        // SIGTERM and SIGHUP are Ctrl+C too: a batch writes what finished, and no staging folder is left behind.
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            cancel.Cancel();
        }
        try
        {
            // ProcessTerminationTimeout = null: Ctrl+C is ours alone (above). System.CommandLine's own handler
            // would return 130 two seconds after Ctrl+C, before a Monte Carlo batch has written what finished.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancel.Token);
        }
        catch (ScenarioException e)
        {
            foreach (var error in e.Errors)
            {
                await stderr.WriteLineAsync($"error: {error}");
            }
            await stderr.WriteLineAsync($"{e.Errors.Count} error(s); nothing was written.");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is UsageException or Simulation.Cli.Hosting.ClusterException or ScenarioValueException or OutputFolderException or Simulation.Calibration.Posterior.PosteriorException)
        {
            await stderr.WriteLineAsync($"sim: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file or folder the user named (the scenario, --out, --json) that cannot be read or written.
            await stderr.WriteLineAsync($"sim: {e.Message.TrimEnd('.')}; nothing was written.");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("sim: cancelled; nothing was written.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            await stderr.WriteLineAsync(InternalError(e, parse.GetValue(verbose)));
            return ExitCodes.InternalError;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>A bug's report: one line, or with <paramref name="verbose"/> the whole exception and its trace.</summary>
    public static string InternalError(Exception e, bool verbose) => verbose
        ? $"sim: internal error: {e}"
        : $"sim: internal error: {e.GetType().FullName}: {OneLine(e.Message)}; run with --verbose for the trace";

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>A command line that parses but asks for something impossible (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
