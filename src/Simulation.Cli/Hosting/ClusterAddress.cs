using System.Globalization;
using StackExchange.Redis;

namespace Simulation.Cli.Hosting;

/// <summary>Where a cluster's membership lives: <c>redis://HOST:PORT</c> (the port defaults to Redis's 6379).</summary>
public sealed record ClusterAddress(string Host, int Port)
{
    public const string Scheme = "redis://";

    public override string ToString() => $"{Scheme}{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses <c>redis://HOST[:PORT]</c>; null and the reason when <paramref name="text"/> is not one.</summary>
    public static ClusterAddress? TryParse(string text, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "redis")
        {
            error = $"'{text}' is not a Redis address: write redis://HOST:PORT (for example redis://127.0.0.1:6379)";
            return null;
        }
        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0 || uri.Host.Length == 0)
        {
            error = $"'{text}': write redis://HOST:PORT, without a user, path or query";
            return null;
        }
        return new ClusterAddress(uri.Host.Trim('[', ']'), uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port);
    }

    /// <summary>StackExchange.Redis's configuration for this address: fails fast when Redis cannot be reached.</summary>
    public ConfigurationOptions RedisConfiguration()
    {
        var options = new ConfigurationOptions { AbortOnConnectFail = true, ConnectTimeout = 3000, ConnectRetry = 1 };
        options.EndPoints.Add(Host, Port);
        return options;
    }
}

/// <summary>The cluster named by <c>--cluster</c> cannot be used: Redis unreachable, no silo up (exit code 2, nothing written).</summary>
public sealed class ClusterException(string message, Exception? inner = null) : Exception(message, inner);
