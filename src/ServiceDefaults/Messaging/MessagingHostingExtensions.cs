using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Spumr.ServiceDefaults.Messaging;

public static class MessagingHostingExtensions
{
    /// <summary>
    /// Adds the process's one MassTransit bus: the transport from <see cref="MessagingOptions"/>
    /// (section <c>Messaging</c>; in-memory unless <c>Messaging:Transport</c> is <c>RabbitMq</c>),
    /// endpoints for every consumer that <paramref name="consumers"/> registers. Call it once, at
    /// the composition root, after the services: each service contributes its consumers there,
    /// such as <c>bus =&gt; bus.AddSpumrServingConsumers()</c>. Services that only publish (the
    /// GraphMaintainer) need nothing but the bus.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called twice, or <c>Messaging:Transport</c> is not a transport name.</exception>
    public static IHostApplicationBuilder AddSpumrMessaging(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(MessagingMarker)))
        {
            throw new InvalidOperationException(
                "AddSpumrMessaging was called twice: a process has one MassTransit bus. Register every service's consumers in the one call.");
        }

        services.AddSingleton<MessagingMarker>();
        services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The transport decides which bus factory is registered, so it is read now; Get throws
        // naming Messaging:Transport when the value is not a transport name.
        var transport = builder.Configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>()?.Transport ?? MessagingTransport.InMemory;
        services.AddMassTransit(bus =>
        {
            consumers?.Invoke(bus);
            if (transport == MessagingTransport.RabbitMq)
            {
                bus.UsingRabbitMq((context, rabbit) =>
                {
                    var o = context.GetRequiredService<IOptions<MessagingOptions>>().Value.RabbitMq;
                    rabbit.Host(o.Host, (ushort)o.Port, o.VirtualHost, host =>
                    {
                        host.Username(o.Username);
                        host.Password(o.Password);
                    });
                    rabbit.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, memory) => memory.ConfigureEndpoints(context));
            }
        });
        return builder;
    }

    private sealed class MessagingMarker;
}
