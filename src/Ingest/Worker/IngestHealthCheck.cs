using Microsoft.Extensions.Diagnostics.HealthChecks;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest.Worker;

/// <summary>Healthy while the consume loop runs and polls; unhealthy once it failed, stopped or stalled.</summary>
internal sealed class IngestHealthCheck(IngestStatus status, TimeProvider clock) : IHealthCheck
{
    /// <summary>A loop that has not returned from a poll for this long is stuck (a poll waits 100 ms;
    /// a rebalance that rebuilds the dedupe window may take seconds).</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(2);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["consumed"] = status.Consumed,
            ["forwarded"] = status.Forwarded,
            ["rejected"] = status.Rejected,
            ["duplicates"] = status.Duplicates,
        };
        var result = status.Loop switch
        {
            null => HealthCheckResult.Degraded("Ingest has not started its consume loop yet.", data: data),
            { State: ConsumeLoopState.Failed } loop => HealthCheckResult.Unhealthy("Ingest consume loop failed: " + loop.Failure?.Message, loop.Failure, data),
            { State: ConsumeLoopState.Stopped } => HealthCheckResult.Unhealthy("Ingest consume loop has stopped.", data: data),
            { State: ConsumeLoopState.NotStarted } => HealthCheckResult.Degraded("Ingest consume loop is starting.", data: data),
            var loop when clock.GetUtcNow() - loop.LastPoll > Stall => HealthCheckResult.Unhealthy($"Ingest consume loop has not polled since {loop.LastPoll:O}.", data: data),
            var loop => HealthCheckResult.Healthy($"Ingest running with {loop.AssignedPartitions} partitions.", data),
        };
        return Task.FromResult(result);
    }
}
