using StackExchange.Redis;

namespace Spumr.ServiceDefaults.Redis;

/// <summary>The one way Spumr services connect to Redis.</summary>
public static class RedisConnector
{
    /// <summary>
    /// Client settings for <paramref name="configuration"/> (a StackExchange.Redis configuration string,
    /// such as "127.0.0.1:6379"). Commands fail fast while disconnected instead of queueing, so callers
    /// can answer "Redis unreachable" within <paramref name="commandTimeout"/> rather than hang.
    /// </summary>
    public static ConfigurationOptions Options(string configuration, TimeSpan commandTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        var ms = (int)Math.Clamp(commandTimeout.TotalMilliseconds, 1, int.MaxValue);
        options.AsyncTimeout = ms;
        options.SyncTimeout = ms;
        options.ConnectTimeout = Math.Max(ms, 1000);
        options.ConnectRetry = 1;
        return options;
    }

    public static async Task<ConnectionMultiplexer> ConnectAsync(string configuration, TimeSpan commandTimeout) =>
        await ConnectionMultiplexer.ConnectAsync(Options(configuration, commandTimeout));
}
