using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Spumr.Ingest.Worker;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest;

public static class IngestHostingExtensions
{
    /// <summary>Adds the Ingest worker (options <c>Kafka</c> and <c>Ingest</c>, validated at start,
    /// a health check named <c>ingest</c>, and <see cref="IngestStatus"/>).</summary>
    public static IHostApplicationBuilder AddSpumrIngest(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSpumrIngest();
        return builder;
    }

    public static IServiceCollection AddSpumrIngest(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSpumrKafka();
        services.AddOptions<IngestOptions>()
            .BindConfiguration(IngestOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>());
        services.TryAddSingleton<IngestStatus>();
        services.AddHostedService<IngestWorker>();
        services.AddHealthChecks().AddCheck<IngestHealthCheck>("ingest");
        return services;
    }
}
