using MassTransit;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Spumr.Serving.Api;
using Spumr.Serving.Models;
using Spumr.Serving.Recommendations;
using Spumr.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Spumr.Serving;

/// <summary>Hosting of the Serving API, alone (<c>spumr serve</c>) or beside the other services (<c>spumr run</c>).</summary>
public static class ServingHostExtensions
{
    /// <summary>
    /// Registers Serving: validated <see cref="ServingOptions"/> from <paramref name="section"/>, Kestrel on
    /// its Urls, the Redis store, the in-memory model and its refresher, metrics and health checks.
    /// The MassTransit bus is the host's: add <see cref="AddSpumrServingConsumers"/> to it.
    /// </summary>
    public static WebApplicationBuilder AddSpumrServing(this WebApplicationBuilder builder, string section = ServingOptions.Section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ServingOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

        var urls = builder.Configuration[$"{section}:{nameof(ServingOptions.Urls)}"] ?? new ServingOptions().Urls;
        builder.WebHost.UseUrls(ServingOptions.SplitUrls(urls));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        // Request logs at Information would cost more than ranking; metrics cover requests.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ServingOptions>>().Value;
            return ConnectionMultiplexer.Connect(RedisConnector.Options(o.Redis, o.RedisTimeout));
        });
        services.AddSingleton(sp => new RedisEmbeddingStore(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            Options.Create(StoreOptions(sp)),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RedisEmbeddingStore>>()));
        services.AddSingleton(sp => new RedisSeenItemsStore(sp.GetRequiredService<IConnectionMultiplexer>(), Options.Create(StoreOptions(sp))));
        services.AddSingleton<LiveModel>();
        services.AddSingleton<ServingMetrics>();
        services.AddSingleton<ModelRefresher>();
        services.AddSingleton(sp => new UserVectorCache(sp.GetRequiredService<IOptions<ServingOptions>>().Value.UserCacheSize));
        services.AddSingleton<RecommendationService>();
        services.AddHostedService<ModelRefreshService>();

        services.AddProblemDetails();
        services.AddExceptionHandler<RedisFailureHandler>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServingJsonContext.Default));
        services.AddHealthChecks().AddCheck<ModelLoadedHealthCheck>("model", tags: ["ready"]);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServingMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// Adds Serving's ModelPublished consumer to the host's MassTransit bus. Every Serving instance must
    /// see every announcement, so each gets a temporary queue of its own (over RabbitMQ a shared queue
    /// would hand each message to one instance only).
    /// </summary>
    public static IBusRegistrationConfigurator AddSpumrServingConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<ModelPublishedConsumer>().Endpoint(endpoint =>
        {
            endpoint.InstanceId = "-" + Guid.NewGuid().ToString("N")[..12];
            endpoint.Temporary = true;
        });
        return bus;
    }

    /// <summary>
    /// Maps the API (/v1/...), /health (everything), /health/live, /health/ready and /metrics (Prometheus),
    /// with problem-details errors.
    /// </summary>
    public static WebApplication MapSpumrServing(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        ServingEndpoints.Map(app);
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static EmbeddingStoreOptions StoreOptions(IServiceProvider services) =>
        new() { KeyPrefix = services.GetRequiredService<IOptions<ServingOptions>>().Value.KeyPrefix };
}
