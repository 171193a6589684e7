using Microsoft.Extensions.Diagnostics.HealthChecks;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.GraphMaintainer.Worker;

/// <summary>Live: healthy while the consume loop runs and polls; unhealthy once it failed, stopped or stalled.</summary>
internal sealed class GraphMaintainerLiveHealthCheck(GraphMaintainerStatus status, TimeProvider clock) : IHealthCheck
{
    /// <summary>A poll waits 100 ms; a batch or a snapshot of a large state takes seconds. Minutes without a poll mean it is stuck.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(2);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = Data(status);
        var result = status.Loop switch
        {
            null => HealthCheckResult.Degraded("GraphMaintainer is loading its snapshot.", data: data),
            { State: ConsumeLoopState.Failed } loop => HealthCheckResult.Unhealthy("GraphMaintainer consume loop failed: " + loop.Failure?.Message, loop.Failure, data),
            { State: ConsumeLoopState.Stopped } => HealthCheckResult.Unhealthy("GraphMaintainer consume loop has stopped.", data: data),
            { State: ConsumeLoopState.NotStarted } => HealthCheckResult.Degraded("GraphMaintainer consume loop is starting.", data: data),
            _ when status.RedisFailing => HealthCheckResult.Degraded($"GraphMaintainer cannot write seen items to Redis ({status.RedisFailures} failed attempts); the stream waits while it retries.", data: data),
            var loop when clock.GetUtcNow() - loop.LastPoll > Stall => HealthCheckResult.Unhealthy($"GraphMaintainer consume loop has not polled since {loop.LastPoll:O}.", data: data),
            var loop => HealthCheckResult.Healthy($"GraphMaintainer running on {loop.AssignedPartitions} partitions.", data),
        };
        return Task.FromResult(result);
    }

    internal static Dictionary<string, object> Data(GraphMaintainerStatus status) => new()
    {
        ["consumed"] = status.Consumed,
        ["applied"] = status.Applied,
        ["deadLettered"] = status.DeadLettered,
        ["lag"] = status.Lag,
        ["users"] = status.UserCount,
        ["items"] = status.ItemCount,
        ["snapshotsWritten"] = status.SnapshotsWritten,
        ["redisFailures"] = status.RedisFailures,
    };
}

/// <summary>Ready: the state is loaded and has caught up with what the topics held when the worker started.</summary>
internal sealed class GraphMaintainerReadyHealthCheck(GraphMaintainerStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = GraphMaintainerLiveHealthCheck.Data(status);
        var result = (status.SnapshotLoaded, status.CaughtUp) switch
        {
            (false, _) => HealthCheckResult.Unhealthy("GraphMaintainer is loading its snapshot.", data: data),
            (true, false) => HealthCheckResult.Unhealthy($"GraphMaintainer is catching up: {Math.Max(0, status.Lag)} messages behind.", data: data),
            _ => HealthCheckResult.Healthy($"GraphMaintainer state is current ({status.Lag} messages behind).", data),
        };
        return Task.FromResult(result);
    }
}
