using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spumr.ServiceDefaults.Messaging;

namespace Spumr.GraphMaintainer.Tests.Messaging;

/// <summary>AddSpumrMessaging: one bus per process, its transport chosen by configuration.</summary>
public sealed class MessagingTests
{
    [Fact]
    public void In_memory_is_the_default_transport()
    {
        using var host = Build([]).Build();

        Assert.Equal("loopback", host.Services.GetRequiredService<IBus>().Address.Scheme);
    }

    [Fact]
    public void RabbitMq_is_chosen_by_configuration()
    {
        using var host = Build(new()
        {
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMq:Host"] = "rabbit.example",
            ["Messaging:RabbitMq:Port"] = "5673",
            ["Messaging:RabbitMq:VirtualHost"] = "spumr",
        }).Build();

        // Resolving the bus configures it; nothing connects before the host starts.
        var address = host.Services.GetRequiredService<IBus>().Address;
        Assert.Equal("rabbitmq", address.Scheme);
        Assert.Equal("rabbit.example", address.Host);
        Assert.Equal(5673, address.Port);
        Assert.StartsWith("/spumr/", address.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_bus_in_one_process_is_refused()
    {
        var builder = Build([]);

        var e = Assert.Throws<InvalidOperationException>(() => builder.AddSpumrMessaging());

        Assert.Contains("AddSpumrMessaging was called twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_transport_name_is_refused_naming_the_key()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Messaging:Transport"] = "Kafka" }));

        Assert.Contains("'Kafka'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Messaging:Transport", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_RabbitMq_settings_stop_the_host_at_start_naming_each_key()
    {
        using var host = Build(new()
        {
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMq:Host"] = " ",
            ["Messaging:RabbitMq:Port"] = "70000",
            ["Messaging:RabbitMq:Username"] = "",
        }).Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Messaging:RabbitMq:Host is empty", e.Message, StringComparison.Ordinal);
        Assert.Contains("Messaging:RabbitMq:Port 70000 is not a TCP port", e.Message, StringComparison.Ordinal);
        Assert.Contains("Messaging:RabbitMq:Username is empty", e.Message, StringComparison.Ordinal);
    }

    private static HostApplicationBuilder Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSpumrMessaging();
        return builder;
    }
}
