using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Spumr.ServiceDefaults.Hosting;

/// <summary>
/// What every Spumr service process shares: OpenTelemetry metrics of all <c>Spumr.*</c> meters (plus
/// runtime and ASP.NET Core) exported for Prometheus, and the health and metrics endpoints.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks with this tag must pass for /health/live (the process is working).</summary>
    public const string LiveTag = "live";

    /// <summary>Health checks with this tag must pass for /health/ready (the service can do its job).</summary>
    public const string ReadyTag = "ready";

    /// <summary>Registers metrics once per process, however many services call it.</summary>
    public static IHostApplicationBuilder AddSpumrServiceDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(ServiceDefaultsMarker)))
        {
            return builder;
        }

        builder.Services.AddSingleton<ServiceDefaultsMarker>();
        builder.Services.AddHealthChecks();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Spumr.*")
            .AddRuntimeInstrumentation()
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// Maps /health (every check, with details), /health/live (checks tagged live), /health/ready
    /// (checks tagged ready) and /metrics (Prometheus text format).
    /// </summary>
    public static IEndpointRouteBuilder MapSpumrManagementEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }

    /// <summary>
    /// Listens for the management endpoints of a worker process on <c>Management:Urls</c>
    /// (semicolon-separated), or on <paramref name="defaultUrls"/>.
    /// </summary>
    public static WebApplicationBuilder UseSpumrManagementUrls(this WebApplicationBuilder builder, string defaultUrls)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var urls = builder.Configuration["Management:Urls"] ?? defaultUrls;
        builder.WebHost.UseUrls(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    private sealed class ServiceDefaultsMarker;
}
