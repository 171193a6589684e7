using System.Collections.Concurrent;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spumr.Core.Messages;
using Spumr.ServiceDefaults.Messaging;
using Spumr.TestSupport;

namespace Spumr.GraphMaintainer.Tests.Messaging;

/// <summary>GraphSnapshotReady between processes over a real RabbitMQ node (each host has its own bus, as separate processes would).</summary>
public sealed class RabbitMqTransportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [RabbitMqFact]
    public async Task Announcements_reach_another_process_once_each_with_competing_consumers()
    {
        using var rabbit = new RabbitMqServer();
        var received = new ConcurrentQueue<(string Host, long Sequence)>();
        using var trainerA = Host(rabbit, bus => bus.AddConsumer<AnnouncementProbe>(), received, "a");
        using var trainerB = Host(rabbit, bus => bus.AddConsumer<AnnouncementProbe>(), received, "b");
        using var graphMaintainer = Host(rabbit, null, received, "publisher");
        foreach (var host in new[] { trainerA, trainerB, graphMaintainer })
        {
            await host.StartAsync();
            await WaitHealthyAsync(host);
        }

        var bus = graphMaintainer.Services.GetRequiredService<IBus>();
        Assert.Equal("rabbitmq", bus.Address.Scheme);
        for (var sequence = 1; sequence <= 20; sequence++)
        {
            await bus.Publish(new GraphSnapshotReady($"/snapshots/graph-{sequence:D12}.snapshot", sequence, 100 * sequence, 10, 20, DateTimeOffset.UtcNow));
        }

        await Eventually.TrueAsync(() => received.Count >= 20, Timeout, () => $"{received.Count} of 20 received");
        await Task.Delay(500);

        // One queue for the consumer type: each announcement is handled by one of the two instances.
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), received.Select(r => r.Sequence).Order());
        Assert.DoesNotContain(received, r => r.Host == "publisher");
        foreach (var host in new[] { graphMaintainer, trainerA, trainerB })
        {
            await host.StopAsync();
        }
    }

    private static IHost Host(RabbitMqServer rabbit, Action<IBusRegistrationConfigurator>? consumers, ConcurrentQueue<(string, long)> received, string name)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMq:Host"] = "127.0.0.1",
            ["Messaging:RabbitMq:Port"] = rabbit.Port.ToString(CultureInfo.InvariantCulture),
        });
        builder.Services.AddSingleton(new ProbeLog(name, received));
        builder.AddSpumrMessaging(consumers);
        return builder.Build();
    }

    private static Task WaitHealthyAsync(IHost host)
    {
        var bus = host.Services.GetRequiredService<IBusControl>();
        return Eventually.TrueAsync(() => bus.CheckHealth().Status == BusHealthStatus.Healthy, Timeout, () => $"bus health {bus.CheckHealth().Status}");
    }

    internal sealed record ProbeLog(string Host, ConcurrentQueue<(string Host, long Sequence)> Received);

    internal sealed class AnnouncementProbe(ProbeLog log) : IConsumer<GraphSnapshotReady>
    {
        public Task Consume(ConsumeContext<GraphSnapshotReady> context)
        {
            log.Received.Enqueue((log.Host, context.Message.Sequence));
            return Task.CompletedTask;
        }
    }
}
