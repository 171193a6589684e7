using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spumr.Core.Messages;
using Spumr.ServiceDefaults.Messaging;

namespace Spumr.Serving.Tests;

/// <summary>Serving instances in separate processes, each on its own bus over a real RabbitMQ node.</summary>
public sealed class ModelPublishedOverRabbitMqTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [RabbitMqFact]
    public async Task Every_Serving_instance_swaps_on_one_announcement_from_the_Trainer_process()
    {
        using var rabbit = new RabbitMqServer();
        var messaging = new Dictionary<string, string?>
        {
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMq:Host"] = "127.0.0.1",
            ["Messaging:RabbitMq:Port"] = rabbit.Port.ToString(CultureInfo.InvariantCulture),

            // The poll runs at min(PollInterval, LeaseTtl / 3): an hour and 20 minutes away here.
            ["Serving:LeaseTtl"] = "01:00:00",
        };
        var prefix = TestEmbeddings.NewPrefix();
        var store = TestEmbeddings.Store(redis.Connection, prefix);
        await store.PublishAsync(TestEmbeddings.Random(5, 10, 4, seed: 1));
        await using var first = await ServingHost.StartAsync(redis.Endpoint, prefix, pollInterval: TimeSpan.FromHours(1), more: messaging);
        await using var second = await ServingHost.StartAsync(redis.Endpoint, prefix, pollInterval: TimeSpan.FromHours(1), more: messaging);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(messaging);
        builder.AddSpumrMessaging();
        using var trainer = builder.Build();
        await trainer.StartAsync();
        foreach (var services in new[] { first.App.Services, second.App.Services, trainer.Services })
        {
            var control = services.GetRequiredService<IBusControl>();
            await Eventually.TrueAsync(() => control.CheckHealth().Status == BusHealthStatus.Healthy, Timeout, () => $"bus {control.CheckHealth().Status}");
        }

        await first.WaitForVersionAsync(1);
        await second.WaitForVersionAsync(1);
        var v2 = await store.PublishAsync(TestEmbeddings.Random(5, 10, 4, seed: 2));
        await trainer.Services.GetRequiredService<IBus>().Publish(new ModelPublished(v2, "test", 0.1, DateTimeOffset.UtcNow));

        // The poll is far away: only the announcement can swap them, and it must reach both.
        await first.WaitForVersionAsync(v2, TimeSpan.FromSeconds(10));
        await second.WaitForVersionAsync(v2, TimeSpan.FromSeconds(10));
        await trainer.StopAsync();
    }
}
