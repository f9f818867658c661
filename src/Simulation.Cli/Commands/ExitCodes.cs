namespace Simulation.Cli.Commands;

public static class ExitCodes
{
    public const int Success = 0;
    public const int InternalError = 1;
    public const int BadInput = 2;
    public const int Cancelled = 130;
}
