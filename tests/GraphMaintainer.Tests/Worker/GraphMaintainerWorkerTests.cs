using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spumr.Core.Events;
using Spumr.GraphMaintainer.Snapshots;
using Spumr.GraphMaintainer.Worker;
using Spumr.Ingest.Replay;
using Spumr.ServiceDefaults.Kafka;
using Spumr.TestSupport;
using Xunit.Abstractions;

namespace Spumr.GraphMaintainer.Tests.Worker;

/// <summary>The GraphMaintainer worker over the mock Kafka cluster and a real redis-server.</summary>
public sealed class GraphMaintainerWorkerTests(RedisServer redis, ITestOutputHelper output) : IClassFixture<RedisServer>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly string _snapshots = Directory.CreateTempSubdirectory("spumr-gm-").FullName;
    private readonly string _prefix = "gm" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => Directory.Delete(_snapshots, recursive: true);

    [Fact]
    public async Task Replayed_events_become_the_batch_built_graphs_seen_items_and_announced_snapshots()
    {
        await using var kafka = TestKafka.Start();
        var data = TinyDataSet.Create(users: 150, items: 40, interactionsPerUser: 6);
        var plan = ReplayPlan.Create(data, ReplaySplit.Train, 0);
        var settings = GraphMaintainerHost.Settings(kafka, redis, _snapshots, _prefix);
        settings["GraphMaintainer:SnapshotEveryEvents"] = "200";
        await using var gm = await GraphMaintainerHost.StartAsync(settings, output);
        await Eventually.TrueAsync(() => gm.Status.CaughtUp, Timeout, () => gm.Status.ToString());
        Assert.Equal(HealthStatus.Healthy, await HealthAsync(gm, "graph-maintainer-ready"));

        await using (var ingest = await IngestService.StartAsync(kafka, output))
        {
            await Replayer(kafka).RunAsync(plan, new ReplayOptions());
            await Eventually.TrueAsync(() => gm.Status.Applied == plan.TotalEvents, Timeout, () => gm.Status.ToString());
        }

        Assert.Equal(HealthStatus.Healthy, await HealthAsync(gm, "graph-maintainer"));
        Assert.Equal(0, gm.Status.DeadLettered);
        await gm.StopAsync();

        var final = Newest();
        Assert.Equal(plan.TotalEvents, final.Position.Total);
        StreamedStateCheck.AssertEqualsBatchBuild(final.Snapshot.State, Interactions(plan), [.. plan.FeatureEvents()]);
        await StreamedStateCheck.AssertSeenItemsAsync(redis.Connection, _prefix, Interactions(plan));

        // Snapshots every 200 messages and one on stop, each announced in order; the last is the newest file.
        await Eventually.TrueAsync(() => gm.Announcements.Received.Any(a => a.Sequence == final.File.Sequence), TimeSpan.FromSeconds(10), () => $"announcement of {final.File.Sequence}");
        var announced = gm.Announcements.Received;
        Assert.True(announced.Count >= plan.TotalEvents / 200, $"{announced.Count} announcements");
        Assert.Equal(announced.Select(a => a.Sequence).Order(), announced.Select(a => a.Sequence));
        var last = announced[^1];
        Assert.Equal(final.File.Path, last.SnapshotPath);
        Assert.Equal(final.File.Sequence, last.Sequence);
        Assert.Equal(plan.InteractionCount, last.InteractionCount);
        Assert.Equal(final.Snapshot.State.UserCount, last.UserCount);
        Assert.Equal(data.ItemCount, last.ItemCount);
        Assert.Equal(3, Directory.GetFiles(_snapshots, "*.snapshot").Length);
    }

    [Fact]
    public async Task After_a_clean_stop_a_restart_reads_only_what_came_after_its_snapshot()
    {
        await using var kafka = TestKafka.Start();
        var first = Events(0, 300);
        var second = Events(300, 120);
        var features = FeatureEvents();
        await ProduceAsync(kafka, first, features);
        var settings = GraphMaintainerHost.Settings(kafka, redis, _snapshots, _prefix);
        await using (var gm = await GraphMaintainerHost.StartAsync(settings, output))
        {
            await Eventually.TrueAsync(() => gm.Status.CaughtUp && gm.Status.Applied == first.Count + features.Count, Timeout, () => gm.Status.ToString());
            Assert.Null(gm.Status.RestoredFrom);
        }

        await ProduceAsync(kafka, second, []);
        await using var restarted = await GraphMaintainerHost.StartAsync(settings, output);
        await Eventually.TrueAsync(() => restarted.Status.CaughtUp && restarted.Status.Applied == second.Count, Timeout, () => restarted.Status.ToString());
        await restarted.StopAsync();

        Assert.NotNull(restarted.Status.RestoredFrom);
        Assert.Equal(second.Count, restarted.Status.Consumed);
        Assert.Equal(0, restarted.Status.Duplicates);
        StreamedStateCheck.AssertEqualsBatchBuild(Newest().Snapshot.State, [.. first, .. second], features);
        await StreamedStateCheck.AssertSeenItemsAsync(redis.Connection, _prefix, [.. first, .. second]);
    }

    [Fact]
    public async Task Bad_canonical_messages_are_dead_lettered_and_a_repeated_event_id_counts_once()
    {
        await using var kafka = TestKafka.Start();
        var good = Events(0, 60);
        var features = FeatureEvents();
        await ProduceAsync(kafka, good, features);
        var repeated = good[7] with { Timestamp = good[7].Timestamp + 5 };
        await kafka.ProduceAsync(SpumrTopics.Interactions, [
            ("broken", Encoding.UTF8.GetBytes("{\"schemaVersion\":1,\"type\":\"interaction\",")),
            ("U 1", EventSerializer.Serialize(new InteractionEvent("spaced", "U 1", "I1", 1_300_000_000))),
            (repeated.UserId, EventSerializer.Serialize(repeated)),
        ]);
        await kafka.ProduceAsync(SpumrTopics.ItemFeatures, [("I1", EventSerializer.Serialize(new ItemFeaturesEvent("wide", "I1", "image", new float[9])))]);

        await using (var gm = await GraphMaintainerHost.StartAsync(GraphMaintainerHost.Settings(kafka, redis, _snapshots, _prefix), output))
        {
            await Eventually.TrueAsync(() => gm.Status.CaughtUp, Timeout, () => gm.Status.ToString());
            Assert.Equal(good.Count + features.Count + 4, gm.Status.Consumed);
            Assert.Equal(3, gm.Status.DeadLettered);
            Assert.Equal(1, gm.Status.Duplicates);
        }

        var letters = kafka.ReadAll(SpumrTopics.DeadLetter).ToDictionary(m => m.KeyText());
        Assert.Equal(3, letters.Count);
        Assert.Equal("malformed-json", letters["broken"].Text(EventHeaders.Reason));
        Assert.Equal("invalid-field", letters["U 1"].Text(EventHeaders.Reason));
        Assert.Equal("userId", letters["U 1"].Text(EventHeaders.ReasonField));
        Assert.Contains("seen-items key", letters["U 1"].Text(EventHeaders.ReasonMessage), StringComparison.Ordinal);
        Assert.Equal("wrong-vector-width", letters["I1"].Text(EventHeaders.Reason));
        Assert.Equal(SpumrTopics.ItemFeatures, letters["I1"].Text(EventHeaders.SourceTopic));
        Assert.Equal("{\"schemaVersion\":1,\"type\":\"interaction\","u8.ToArray(), letters["broken"].Message.Value);

        // The state holds the good events once; the repeated id changed nothing (not even its timestamp).
        StreamedStateCheck.AssertEqualsBatchBuild(Newest().Snapshot.State, good, features);
    }

    [Fact]
    public async Task Health_reports_not_ready_while_catching_up_and_lag_reaches_zero()
    {
        await using var kafka = TestKafka.Start();
        await ProduceAsync(kafka, Events(0, 5000), FeatureEvents());
        var settings = GraphMaintainerHost.Settings(kafka, redis, _snapshots, _prefix);
        settings["GraphMaintainer:MaxBatchEvents"] = "5";
        await using var gm = await GraphMaintainerHost.StartAsync(settings, output);
        await Eventually.TrueAsync(() => gm.Status.Consumed > 0, Timeout, () => gm.Status.ToString());

        Assert.False(gm.Status.CaughtUp);
        Assert.Equal(HealthStatus.Unhealthy, await HealthAsync(gm, "graph-maintainer-ready"));
        await Eventually.TrueAsync(() => gm.Status.CaughtUp, Timeout, () => gm.Status.ToString());
        await Eventually.TrueAsync(() => gm.Status.Lag == 0, Timeout, () => gm.Status.ToString());
        Assert.Equal(HealthStatus.Healthy, await HealthAsync(gm, "graph-maintainer-ready"));

        // The same facts as OpenTelemetry instruments of this host's meter.
        var measured = Measure(gm);
        Assert.Equal(0, measured["spumr.graph_maintainer.consumer.lag"]);
        Assert.Equal(1, measured["spumr.graph_maintainer.ready"]);
        Assert.Equal(37, measured["spumr.graph_maintainer.users"]);
    }

    /// <summary>Reads the observable gauges of the host's <c>Spumr.GraphMaintainer</c> meter once.</summary>
    private static Dictionary<string, long> Measure(GraphMaintainerHost gm)
    {
        var factory = gm.Services.GetRequiredService<IMeterFactory>();
        var values = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GraphMaintainerMetrics.MeterName && instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    [Fact]
    public async Task Host_refuses_to_start_naming_every_missing_setting()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "127.0.0.1:1",
            ["GraphMaintainer:KeyPrefix"] = "has space",
            ["GraphMaintainer:MaxBatchDelay"] = "00:00:00",
            ["GraphMaintainer:ItemFeaturesTopic"] = SpumrTopics.Interactions,
            ["GraphMaintainer:Graphs:Neighbors"] = "0",
        };
        using var host = GraphMaintainerHost.Build(settings, output);

        // Two options types fail, so the host reports both in one AggregateException.
        var e = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync());

        Assert.All(e.InnerExceptions, inner => Assert.IsType<OptionsValidationException>(inner));
        foreach (var expected in new[] { "'Redis'", "'SnapshotDirectory'", "GraphMaintainer:KeyPrefix 'has space'", "GraphMaintainer:MaxBatchDelay", "topics must all differ", "Neighbors (k)", "Modalities is empty" })
        {
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Host_refuses_to_start_without_modalities_or_with_a_bad_k()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "127.0.0.1:1",
            ["GraphMaintainer:Redis"] = redis.Endpoint,
            ["GraphMaintainer:SnapshotDirectory"] = _snapshots,
            ["GraphMaintainer:Graphs:Neighbors"] = "0",
        };
        using var host = GraphMaintainerHost.Build(settings, output);

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("GraphMaintainer:Graphs:Modalities is empty", e.Message, StringComparison.Ordinal);
        Assert.Contains("GraphMaintainer:Graphs: Neighbors (k) must be between 1 and 1000; got 0.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_bus_the_worker_stops_saying_what_to_add()
    {
        await using var kafka = TestKafka.Start();
        using var host = GraphMaintainerHost.Build(GraphMaintainerHost.Settings(kafka, redis, _snapshots, _prefix), output, withBus: false);
        await host.StartAsync();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Worker(host).ExecuteTask!);

        Assert.Contains("AddSpumrMessaging", e.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_snapshot_written_with_other_graph_settings_is_refused_naming_both()
    {
        await using var kafka = TestKafka.Start();
        await ProduceAsync(kafka, Events(0, 20), FeatureEvents());
        var settings = GraphMaintainerHost.Settings(kafka, redis, _snapshots, _prefix);
        await using (var gm = await GraphMaintainerHost.StartAsync(settings, output))
        {
            await Eventually.TrueAsync(() => gm.Status.CaughtUp, Timeout, () => gm.Status.ToString());
        }

        settings["GraphMaintainer:Graphs:Neighbors"] = "5";
        using var host = GraphMaintainerHost.Build(settings, output);
        await host.StartAsync();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Worker(host).ExecuteTask!);

        Assert.Contains("k = 10, capacity 20, modalities image 8, text 4", e.Message, StringComparison.Ordinal);
        Assert.Contains("GraphMaintainer:Graphs says k = 5, capacity 10", e.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    internal static List<InteractionEvent> Interactions(ReplayPlan plan) => [.. Enumerable.Range(0, plan.InteractionCount).Select(plan.Interaction)];

    internal static DatasetReplayer Replayer(TestKafka kafka) =>
        new(kafka.Options, LoggerFactory.Create(_ => { }).CreateLogger("replay"));

    private static List<InteractionEvent> Events(int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => new InteractionEvent($"e/{i}", $"U{i % 37}", $"I{(i * 7) % 25}", 1_300_000_000 + i))];

    /// <summary>Image (8-d) and text (4-d) vectors of items I0..I24.</summary>
    private static List<ItemFeaturesEvent> FeatureEvents()
    {
        var random = new Random(5);
        float[] Vector(int width) => [.. Enumerable.Range(0, width).Select(_ => (float)(random.NextDouble() - 0.3))];
        return
        [
            .. Enumerable.Range(0, 25).Select(i => new ItemFeaturesEvent($"f/image/{i}", $"I{i}", "image", Vector(TinyDataSet.ImageWidth))),
            .. Enumerable.Range(0, 25).Select(i => new ItemFeaturesEvent($"f/text/{i}", $"I{i}", "text", Vector(TinyDataSet.TextWidth))),
        ];
    }

    private static async Task ProduceAsync(TestKafka kafka, IEnumerable<InteractionEvent> interactions, IEnumerable<ItemFeaturesEvent> features)
    {
        await kafka.ProduceAsync(SpumrTopics.ItemFeatures, features.Select(f => ((string?)f.ItemId, (byte[]?)EventSerializer.Serialize(f))));
        await kafka.ProduceAsync(SpumrTopics.Interactions, interactions.Select(e => ((string?)e.UserId, (byte[]?)EventSerializer.Serialize(e))));
    }

    private static BackgroundService Worker(IHost host) =>
        host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Single(s => s.GetType().Name == "GraphMaintainerWorker");

    private static async Task<HealthStatus> HealthAsync(GraphMaintainerHost gm, string check)
    {
        var report = await gm.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == check);
        return report.Entries[check].Status;
    }

    private RestoredSnapshot Newest()
    {
        using var folder = new SnapshotDirectory(_snapshots, keep: 100, new ListLogger());
        return folder.LoadNewest() ?? throw new InvalidOperationException("no snapshot");
    }
}
