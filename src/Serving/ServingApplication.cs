using Spumr.ServiceDefaults.Messaging;

namespace Spumr.Serving;

/// <summary>Serving as a process of its own: what both <c>Spumr.Serving</c> and <c>spumr serve</c> run.</summary>
public static class ServingApplication
{
    /// <summary>
    /// Builds the app from <paramref name="args"/> and the usual configuration sources, with
    /// <paramref name="settings"/> (keys such as "Serving:Redis") taking precedence. ModelPublished arrives
    /// through the bus of <c>Messaging</c> (in-memory by default: only from this process; with RabbitMQ
    /// from the Trainer's process too); the poller follows the live pointer either way.
    /// </summary>
    public static WebApplication Create(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddSpumrServing();
        builder.AddSpumrMessaging(bus => bus.AddSpumrServingConsumers());
        var app = builder.Build();
        app.MapSpumrServing();
        return app;
    }
}
