namespace Simulation.Cli.Commands;

/// <summary>
/// Progress said at once, on the reporting thread, one report at a time (reports may come from several threads). Unlike
/// <see cref="Progress{T}"/>, which posts each report to the thread pool, nothing is said after the command has returned.
/// </summary>
internal sealed class SaidProgress<T>(Action<T> say) : IProgress<T>
{
    private readonly Lock _gate = new();

    public void Report(T value)
    {
        lock (_gate)
        {
            say(value);
        }
    }
}
