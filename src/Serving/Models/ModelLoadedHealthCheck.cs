using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Spumr.Serving.Models;

/// <summary>Readiness: ready once a model version is in memory (Redis may be down afterwards; memory still serves).</summary>
internal sealed class ModelLoadedHealthCheck(LiveModel live) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(live.Current is { } model
            ? HealthCheckResult.Healthy($"serving version {model.Version}")
            : HealthCheckResult.Unhealthy("no model version is loaded yet"));
}
