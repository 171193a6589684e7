using MassTransit;
using Microsoft.Extensions.Options;
using Spumr.GraphMaintainer.Snapshots;
using Spumr.GraphMaintainer.State;
using Spumr.GraphMaintainer.Streaming;
using Spumr.ServiceDefaults.Kafka;
using Spumr.ServiceDefaults.Redis;

namespace Spumr.GraphMaintainer.Worker;

/// <summary>
/// Hosts the GraphMaintainer: restores the newest snapshot (or starts empty), then runs the consume
/// loop over every partition of the canonical topics from the snapshot's offsets, with
/// <see cref="GraphUpdateHandler"/> applying the events; snapshots are announced on the bus.
/// </summary>
internal sealed class GraphMaintainerWorker(
    IOptions<KafkaOptions> kafka,
    IOptions<GraphMaintainerOptions> options,
    IOptions<GraphStateOptions> graphs,
    GraphMaintainerStatus status,
    GraphMaintainerMetrics metrics,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<GraphMaintainerWorker> logger) : BackgroundService
{
    private static readonly TimeSpan AnnouncementGrace = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var bus = services.GetService<IBus>()
            ?? throw new InvalidOperationException("The GraphMaintainer announces snapshots on the MassTransit bus, but none is registered: add it with builder.AddSpumrMessaging().");
        var settings = options.Value;
        await Task.Yield();

        using var snapshots = new SnapshotDirectory(settings.SnapshotDirectory, settings.KeepSnapshots, logger);
        var restored = await Task.Run(() => snapshots.LoadNewest(graphs.Value.MaxDegreeOfParallelism, graphs.Value.DedupeWindow), stoppingToken);
        GraphState state;
        StreamPosition position;
        if (restored is null)
        {
            state = new GraphState(graphs.Value);
            position = new StreamPosition();
            logger.LogInformation("No snapshot in {Folder}: starting with an empty state from the beginning of every partition", snapshots.FullPath);
        }
        else
        {
            RequireSameGraphs(restored, graphs.Value);
            state = restored.Snapshot.State;
            position = restored.Position;
            logger.LogInformation(
                "Restored snapshot {File} (written {WrittenAt:O}): {Users:N0} users, {Items:N0} items, {Events:N0} events; reading on from {Messages:N0} messages in",
                Path.GetFileName(restored.File.Path),
                restored.Snapshot.WrittenAt,
                state.UserCount,
                state.ItemCount,
                state.AppliedEventCount,
                position.Total);
        }

        status.Restored(restored?.File, position.Total, state.UserCount, state.ItemCount);
        using var redis = await RedisConnector.ConnectAsync(settings.Redis, settings.RedisTimeout);
        var seen = new SeenItemsWriter(
            new RedisSeenItemsStore(redis, Options.Create(new EmbeddingStoreOptions { KeyPrefix = settings.KeyPrefix })),
            status,
            logger);
        var announcer = new SnapshotAnnouncer(bus, logger);
        using var stopAnnouncing = new CancellationTokenSource();
        var announcing = announcer.RunAsync(stopAnnouncing.Token);
        using var handler = new GraphUpdateHandler(state, position, snapshots, seen, announcer, kafka.Value, settings, status, metrics, clock, logger, stoppingToken);
        var loop = new KafkaConsumeLoop(
            KafkaClientConfigs.Reader(kafka.Value, "graph-maintainer"),
            [settings.InteractionsTopic, settings.ItemFeaturesTopic],
            handler,
            logger,
            assignment: PartitionAssignment.AllPartitions);
        status.Loop = loop;
        logger.LogInformation(
            "GraphMaintainer: {Interactions} + {Features} -> graph state (k = {K}; {Modalities}), seen items -> Redis {Redis}, snapshots every {Events:N0} messages or {Interval} -> {Folder}",
            settings.InteractionsTopic,
            settings.ItemFeaturesTopic,
            state.Neighbors,
            string.Join(", ", state.Modalities.Select(m => $"{m.Name} {m.Width}-d")),
            settings.Redis,
            settings.SnapshotEveryEvents,
            settings.SnapshotInterval,
            snapshots.FullPath);
        try
        {
            await loop.RunAsync(stoppingToken);
        }
        finally
        {
            announcer.Complete();
            stopAnnouncing.CancelAfter(AnnouncementGrace);
            await announcing;
            logger.LogInformation("GraphMaintainer stopped: {Status}", status);
        }
    }

    /// <summary>A snapshot's graphs were built with its own k, capacity and modalities; they cannot be reinterpreted.</summary>
    private static void RequireSameGraphs(RestoredSnapshot restored, GraphStateOptions configured)
    {
        var saved = restored.Snapshot.State.Options;
        static string Describe(GraphStateOptions o) =>
            $"k = {o.Neighbors}, capacity {o.EffectiveCapacity}, modalities {string.Join(", ", o.Modalities.Select(m => $"{m.Name} {m.Width}"))}";
        if (Describe(saved) != Describe(configured))
        {
            throw new InvalidOperationException(
                $"Snapshot {restored.File.Path} holds graphs with {Describe(saved)}, but {GraphStateOptions.SectionName} says {Describe(configured)}. "
                + "Restore those settings, or move the snapshot folder away to rebuild the state from the topics (complete only while they still hold every event).");
        }
    }
}
