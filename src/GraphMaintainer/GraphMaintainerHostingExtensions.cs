using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Spumr.GraphMaintainer.State;
using Spumr.GraphMaintainer.Worker;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.GraphMaintainer;

public static class GraphMaintainerHostingExtensions
{
    /// <summary>
    /// Adds the GraphMaintainer worker: options <c>Kafka</c>, <c>GraphMaintainer</c> and
    /// <c>GraphMaintainer:Graphs</c> (validated at start), health checks <c>graph-maintainer</c>
    /// (tag <c>live</c>) and <c>graph-maintainer-ready</c> (tag <c>ready</c>), the meter
    /// <c>Spumr.GraphMaintainer</c>, and <see cref="GraphMaintainerStatus"/>. It publishes
    /// <c>GraphSnapshotReady</c> on the process's bus, which the host adds with <c>AddSpumrMessaging</c>.
    /// </summary>
    public static IHostApplicationBuilder AddSpumrGraphMaintainer(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSpumrGraphMaintainer();
        return builder;
    }

    /// <inheritdoc cref="AddSpumrGraphMaintainer(IHostApplicationBuilder)"/>
    public static IServiceCollection AddSpumrGraphMaintainer(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSpumrKafka();
        services.AddOptions<GraphMaintainerOptions>()
            .BindConfiguration(GraphMaintainerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphMaintainerOptions>, GraphMaintainerOptionsValidator>());
        services.AddOptions<GraphStateOptions>()
            .Configure(o => o.DedupeWindow = GraphMaintainerOptions.DefaultDedupeWindow)
            .BindConfiguration(GraphStateOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphStateOptions>, GraphStateOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphStateOptions>, GraphMaintainerGraphsValidator>());
        services.TryAddSingleton<GraphMaintainerStatus>();
        services.TryAddSingleton<GraphMaintainerMetrics>();
        services.AddHostedService<GraphMaintainerWorker>();
        services.AddHealthChecks()
            .AddCheck<GraphMaintainerLiveHealthCheck>("graph-maintainer", tags: ["live"])
            .AddCheck<GraphMaintainerReadyHealthCheck>("graph-maintainer-ready", tags: ["ready"]);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(GraphMaintainerMetrics.MeterName));
        return services;
    }
}
