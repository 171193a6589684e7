using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Spumr.Core.Events;
using Spumr.Ingest.Replay;
using Spumr.TestSupport;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest.Tests.Replay;

public sealed class DatasetReplayerTests
{
    private static readonly EventValidator Validator = new(new EventLimits { ModalityWidths = TinyDataSet.Modalities });

    [Fact]
    public async Task Replay_publishes_features_first_then_interactions_keyed_and_in_order_per_user()
    {
        await using var kafka = TestKafka.Start();
        var data = TinyDataSet.Create(users: 25, items: 15, interactionsPerUser: 4);
        var plan = ReplayPlan.Create(data, ReplaySplit.Train, 0);
        var reports = new List<ReplayProgress>();

        var result = await new DatasetReplayer(kafka.Options, NullLogger.Instance)
            .RunAsync(plan, new ReplayOptions(), new SynchronousProgress(reports.Add));

        Assert.Equal(plan.FeatureEventCount, result.FeatureEvents);
        Assert.Equal(plan.InteractionCount, result.InteractionEvents);
        Assert.Equal(plan.TotalEvents, reports[^1].Acknowledged);

        var features = kafka.ReadAll(SpumrTopics.RawItemFeatures);
        var interactions = kafka.ReadAll(SpumrTopics.RawInteractions);
        Assert.Equal(plan.FeatureEventCount, features.Count);
        Assert.Equal(plan.InteractionCount, interactions.Count);
        Assert.All(features, m => Assert.Equal(Validator.DecodeItemFeatures(m.Message.Value).Event!.ItemId, m.KeyText()));
        // Every feature event was acknowledged before the first interaction was produced.
        Assert.True(features.Max(m => m.Message.Timestamp.UnixTimestampMs) <= interactions.Min(m => m.Message.Timestamp.UnixTimestampMs));

        var decoded = interactions.Select(m => (Message: m, Event: Validator.DecodeInteraction(m.Message.Value).Event!)).ToList();
        Assert.All(decoded, d => Assert.Equal(d.Event.UserId, d.Message.KeyText()));
        Assert.Equal(Enumerable.Range(0, plan.InteractionCount).Select(i => plan.Interaction(i).EventId).Order(), decoded.Select(d => d.Event.EventId).Order());
        foreach (var user in decoded.GroupBy(d => d.Event.UserId))
        {
            var times = user.OrderBy(d => d.Message.Offset.Value).Select(d => d.Event.Timestamp).ToList();
            Assert.Equal(times.Order(), times);
            Assert.Single(user.Select(d => d.Message.Partition.Value).Distinct());
        }
    }

    [Fact]
    public async Task Paced_replay_takes_the_data_time_divided_by_the_speed()
    {
        await using var kafka = TestKafka.Start();
        var data = TinyDataSet.Create(users: 10, items: 10, interactionsPerUser: 3);
        var plan = ReplayPlan.Create(data, ReplaySplit.All, 0);
        var span = plan.TimestampAt(plan.InteractionCount - 1) - plan.TimestampAt(0);
        var speed = span / 0.6;

        var watch = Stopwatch.StartNew();
        await new DatasetReplayer(kafka.Options, NullLogger.Instance).RunAsync(plan, new ReplayOptions { Speed = speed });

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.55), $"took {watch.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(plan.InteractionCount, kafka.Count(SpumrTopics.RawInteractions));
    }

    [Fact]
    public async Task Unreachable_kafka_fails_fast_naming_the_address()
    {
        var data = TinyDataSet.Create(users: 2, items: 2, interactionsPerUser: 1);
        var options = new KafkaOptions { BootstrapServers = "127.0.0.1:1" };

        var e = await Assert.ThrowsAsync<ReplayException>(() => new DatasetReplayer(options, NullLogger.Instance)
            .RunAsync(data, new ReplayOptions { ConnectTimeout = TimeSpan.FromSeconds(2) }));

        Assert.Contains("cannot reach Kafka at 127.0.0.1:1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_topic_is_named()
    {
        await using var kafka = TestKafka.Start();
        var data = TinyDataSet.Create(users: 2, items: 2, interactionsPerUser: 1);

        var e = await Assert.ThrowsAsync<ReplayException>(() => new DatasetReplayer(kafka.Options, NullLogger.Instance)
            .RunAsync(data, new ReplayOptions { RawInteractionsTopic = "nowhere" }));

        Assert.Contains("topic 'nowhere' does not exist", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, kafka.Count(SpumrTopics.RawItemFeatures));
    }

    [Fact]
    public async Task Paced_replay_of_data_without_timestamps_is_refused()
    {
        var data = TinyDataSet.Create(users: 2, items: 2, interactionsPerUser: 1, withTimestamps: false);

        var e = await Assert.ThrowsAsync<ReplayException>(() => new DatasetReplayer(new KafkaOptions { BootstrapServers = "127.0.0.1:1" }, NullLogger.Instance)
            .RunAsync(data, new ReplayOptions { Speed = 10 }));

        Assert.Contains("no timestamp column", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public async Task Speed_must_be_positive(double speed)
    {
        var data = TinyDataSet.Create(users: 2, items: 2, interactionsPerUser: 1);

        var e = await Assert.ThrowsAsync<ReplayException>(() => new DatasetReplayer(new KafkaOptions { BootstrapServers = "127.0.0.1:1" }, NullLogger.Instance)
            .RunAsync(data, new ReplayOptions { Speed = speed }));

        Assert.Contains("must be a positive number", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this reports inline so the last report is seen.</summary>
    private sealed class SynchronousProgress(Action<ReplayProgress> report) : IProgress<ReplayProgress>
    {
        public void Report(ReplayProgress value) => report(value);
    }
}
