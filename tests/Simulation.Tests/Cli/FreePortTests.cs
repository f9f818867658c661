using System.Net;
using Simulation.Cli.Hosting;

namespace Simulation.Tests.Cli;

/// <summary>
/// The ports <c>sim silo</c> and the embedded silo leave to the kernel. Asked for one after the other, two free ports were
/// once the same (a silo's port and its gateway's, both 37007 in a CI run), and the silo refused to start.
/// </summary>
public sealed class FreePortTests
{
    [Fact]
    public void Free_ports_found_together_differ_from_each_other_and_from_those_asked_for()
    {
        var asked = EmbeddedSilo.FindFreeLoopbackPort();

        var ports = EmbeddedSilo.FindFreePorts(IPAddress.Loopback, 200, [asked]);

        Assert.Equal(200, ports.Length);
        Assert.Equal(ports.Length, ports.Distinct().Count());
        Assert.DoesNotContain(asked, ports);
    }
}
