using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Spumr.ServiceDefaults.Kafka;

public static class KafkaServiceCollectionExtensions
{
    /// <summary>Binds and validates <see cref="KafkaOptions"/> (section <c>Kafka</c>) once, however
    /// many services in the process ask for it.</summary>
    public static IServiceCollection AddSpumrKafka(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(KafkaOptionsMarker)))
        {
            return services;
        }

        services.AddSingleton<KafkaOptionsMarker>();
        services.AddOptions<KafkaOptions>()
            .BindConfiguration(KafkaOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    private sealed class KafkaOptionsMarker;
}
