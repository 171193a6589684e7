using StackExchange.Redis;

namespace Spumr.Serving;

/// <summary>Which exceptions mean "Redis is unreachable", and how to say so to a client in a few words.</summary>
internal static class RedisFailure
{
    public static bool Is(Exception e) => e is RedisException or RedisTimeoutException;

    /// <summary>A short reason for clients; the client library's full diagnostics (endpoints, key names, queue state) go to the log only.</summary>
    public static string Describe(Exception e) => e switch
    {
        RedisTimeoutException => "Redis did not answer in time",
        RedisConnectionException => "no connection to Redis",
        _ => "Redis refused the command",
    };
}
