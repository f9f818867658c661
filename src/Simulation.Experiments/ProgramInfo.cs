using System.Reflection;

namespace Simulation.Experiments;

/// <summary>The program's version, as every output file and cache key names it.</summary>
public static class ProgramInfo
{
    public static string Version { get; } =
        typeof(ProgramInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
