using System.Collections.Concurrent;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spumr.Core.Messages;
using Spumr.GraphMaintainer.Worker;
using Spumr.ServiceDefaults.Messaging;
using Spumr.TestSupport;
using Xunit.Abstractions;

namespace Spumr.GraphMaintainer.Tests.Worker;

/// <summary>The GraphMaintainer in a Generic Host of its own, on the in-memory bus with a probe for its announcements.</summary>
internal sealed class GraphMaintainerHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private GraphMaintainerHost(IHost host)
    {
        _host = host;
        Status = host.Services.GetRequiredService<GraphMaintainerStatus>();
        Announcements = host.Services.GetRequiredService<SnapshotInbox>();
    }

    public GraphMaintainerStatus Status { get; }

    public SnapshotInbox Announcements { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>A deployment-like configuration for the tiny data sets: image 8-d, text 4-d, k = 10, small batches.</summary>
    public static Dictionary<string, string?> Settings(TestKafka kafka, RedisServer redis, string snapshots, string prefix) => new()
    {
        ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
        ["Kafka:SessionTimeoutMs"] = "3000",
        ["Kafka:LingerMs"] = "2",
        ["GraphMaintainer:Redis"] = redis.Endpoint,
        ["GraphMaintainer:KeyPrefix"] = prefix,
        ["GraphMaintainer:SnapshotDirectory"] = snapshots,
        ["GraphMaintainer:SnapshotEveryEvents"] = "500",
        ["GraphMaintainer:MaxBatchEvents"] = "200",
        ["GraphMaintainer:MaxBatchDelay"] = "00:00:00.050",
        ["GraphMaintainer:Graphs:Neighbors"] = "10",
        ["GraphMaintainer:Graphs:MaxDegreeOfParallelism"] = "2",
        ["GraphMaintainer:Graphs:Modalities:0:Name"] = "image",
        ["GraphMaintainer:Graphs:Modalities:0:Width"] = TinyDataSet.ImageWidth.ToString(CultureInfo.InvariantCulture),
        ["GraphMaintainer:Graphs:Modalities:1:Name"] = "text",
        ["GraphMaintainer:Graphs:Modalities:1:Width"] = TinyDataSet.TextWidth.ToString(CultureInfo.InvariantCulture),
    };

    public static IHost Build(IDictionary<string, string?> settings, ITestOutputHelper output, bool withBus = true)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(new TestLoggerProvider(output));
        builder.Services.AddSingleton<SnapshotInbox>();
        if (withBus)
        {
            builder.AddSpumrMessaging(bus => bus.AddConsumer<SnapshotProbe>());
        }

        builder.AddSpumrGraphMaintainer();
        return builder.Build();
    }

    public static async Task<GraphMaintainerHost> StartAsync(IDictionary<string, string?> settings, ITestOutputHelper output)
    {
        var host = Build(settings, output);
        await host.StartAsync();
        return new GraphMaintainerHost(host);
    }

    /// <summary>A clean stop: the last batch is applied and a final snapshot written.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await _host.StopAsync();
        }

        _host.Dispose();
    }
}

/// <summary>The announcements the probe consumer received.</summary>
internal sealed class SnapshotInbox
{
    private readonly ConcurrentQueue<GraphSnapshotReady> _received = new();

    public IReadOnlyList<GraphSnapshotReady> Received => [.. _received];

    public void Add(GraphSnapshotReady message) => _received.Enqueue(message);
}

/// <summary>Receives GraphSnapshotReady on the host's bus, as the Trainer would.</summary>
internal sealed class SnapshotProbe(SnapshotInbox inbox) : IConsumer<GraphSnapshotReady>
{
    public Task Consume(ConsumeContext<GraphSnapshotReady> context)
    {
        inbox.Add(context.Message);
        return Task.CompletedTask;
    }
}
