using System.CommandLine;
using Simulation.Cli.Hosting;

namespace Simulation.Cli.Commands;

/// <summary>
/// <c>--cluster redis://HOST:PORT</c> and <c>--cluster-id</c>: declared here once, added to <c>sim silo</c>,
/// <c>sim cluster status</c>, <c>sim bench --scaling</c> and every command that plays replicates (which then run on that cluster's silos
/// instead of in this process).
/// </summary>
public sealed class ClusterOption
{
    private readonly Option<ClusterAddress?> _address;

    private readonly Option<string> _id = new("--cluster-id")
    {
        Description = $"With --cluster: the cluster's id; silos and clients with the same Redis and id form one cluster (default {ClusterTarget.DefaultClusterId}).",
        DefaultValueFactory = _ => ClusterTarget.DefaultClusterId,
    };

    /// <param name="required">True for the commands that only make sense on a cluster (sim silo, sim cluster status).</param>
    public ClusterOption(bool required = false)
    {
        _address = new("--cluster")
        {
            Description = required
                ? "The cluster's Redis: redis://HOST:PORT."
                : "Play on the silos of this cluster (redis://HOST:PORT; started with sim silo) instead of in this process; same files.",
            Required = required,
            HelpName = "redis://HOST:PORT",
            CustomParser = result =>
            {
                var address = ClusterAddress.TryParse(result.Tokens.Single().Value, out var error);
                if (address is null)
                {
                    result.AddError($"--cluster: {error}");
                }
                return address;
            },
        };
        _id.Validators.Add(result =>
        {
            var id = result.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(id) || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            {
                result.AddError($"--cluster-id: '{id}' must be letters, digits, '-', '_' or '.'");
            }
        });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_address);
        command.Options.Add(_id);
    }

    /// <summary>The cluster asked for; null without <c>--cluster</c>.</summary>
    public ClusterTarget? Target(ParseResult parse)
    {
        if (parse.GetValue(_address) is not { } address)
        {
            if (parse.GetResult(_id) is { Implicit: false })
            {
                throw new UsageException("--cluster-id applies only with --cluster");
            }
            return null;
        }
        return new ClusterTarget(address, parse.GetValue(_id)!);
    }

    /// <summary>Refuses <c>--cluster</c> with the reference engine, which plays in this process.</summary>
    public static void CheckEngine(ClusterTarget? cluster, string engine)
    {
        if (cluster is not null && engine == "reference")
        {
            throw new UsageException("--cluster plays on the cluster's silos; --engine reference plays in this process: choose one");
        }
    }
}
