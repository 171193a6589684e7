using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Spumr.Core.Events;
using Spumr.Ingest.Replay;
using Spumr.Ingest.Tests.Support;
using Spumr.ServiceDefaults.Kafka;
using Spumr.TestSupport;
using Xunit.Abstractions;

namespace Spumr.Ingest.Tests.Worker;

/// <summary>Replay into the raw topics, Ingest in between, canonical and dead-letter topics read back.</summary>
public sealed class IngestPipelineTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_good_event_arrives_once_keyed_and_every_bad_one_is_parked_with_its_reason()
    {
        await using var kafka = TestKafka.Start();
        var data = TinyDataSet.Create(users: 40, items: 30, interactionsPerUser: 5);
        var plan = ReplayPlan.Create(data, ReplaySplit.All, 0);
        using var logs = TestLogging.Factory(output);
        var replayer = new DatasetReplayer(kafka.Options, logs.CreateLogger("replay"));

        await replayer.RunAsync(plan, new ReplayOptions());
        var bad = BadPayloads();
        await kafka.ProduceAsync(SpumrTopics.RawInteractions, bad.Where(b => b.Topic == SpumrTopics.RawInteractions).Select(b => ((string?)b.Name, (byte[]?)b.Payload)));
        await kafka.ProduceAsync(SpumrTopics.RawItemFeatures, bad.Where(b => b.Topic == SpumrTopics.RawItemFeatures).Select(b => ((string?)b.Name, (byte[]?)b.Payload)));
        var late = Enumerable.Range(0, 20).Select(i => new InteractionEvent($"late/{i}", $"U{i:D5}", "B000000001", 1_400_000_000 + i)).ToList();
        await kafka.ProduceAsync(SpumrTopics.RawInteractions, late.Select(e => ((string?)e.UserId, (byte[]?)EventSerializer.Serialize(e))));
        // The same data set again: every id repeats and must be dropped.
        await replayer.RunAsync(plan, new ReplayOptions());

        var rawTotal = kafka.Count(SpumrTopics.RawInteractions) + kafka.Count(SpumrTopics.RawItemFeatures);
        await using var ingest = await IngestHost.StartAsync(kafka, output, s => s["Ingest:MaxPayloadBytes"] = "4096");
        await Eventually.TrueAsync(() => ingest.Status.Consumed == rawTotal && ingest.Status.Acknowledged == ingest.Status.Forwarded + ingest.Status.Rejected, Timeout, () => $"{ingest.Status} of {rawTotal}");

        // Interactions: each id once, keyed by user, exactly the replayed or late event.
        var expected = Enumerable.Range(0, plan.InteractionCount).Select(plan.Interaction).Concat(late).ToDictionary(e => e.EventId);
        var canonical = kafka.ReadAll(SpumrTopics.Interactions);
        Assert.Equal(expected.Count, canonical.Count);
        var validator = new EventValidator(new EventLimits { ModalityWidths = TinyDataSet.Modalities });
        foreach (var message in canonical)
        {
            var decoded = validator.DecodeInteraction(message.Message.Value);
            Assert.True(decoded.IsAccepted, decoded.ToString());
            Assert.Equal(expected[decoded.Event.EventId], decoded.Event);
            Assert.Equal(decoded.Event.UserId, message.KeyText());
            Assert.Equal(decoded.Event.EventId, message.Text(EventHeaders.EventId));
            Assert.Equal("interaction", message.Text(EventHeaders.EventType));
        }

        Assert.Equal(expected.Count, canonical.Select(m => m.Text(EventHeaders.EventId)).Distinct().Count());

        // Features: each id once, keyed by item, vectors bit-exact.
        var expectedFeatures = plan.FeatureEvents().ToDictionary(f => f.EventId);
        var features = kafka.ReadAll(SpumrTopics.ItemFeatures);
        Assert.Equal(expectedFeatures.Count, features.Count);
        foreach (var message in features)
        {
            var decoded = validator.DecodeItemFeatures(message.Message.Value);
            Assert.True(decoded.IsAccepted, decoded.ToString());
            var original = expectedFeatures[decoded.Event.EventId];
            Assert.Equal(original.ItemId, message.KeyText());
            Assert.Equal(original.Modality, decoded.Event.Modality);
            Assert.Equal(original.Vector, decoded.Event.Vector);
        }

        Assert.Equal(expectedFeatures.Count, features.Select(m => m.Text(EventHeaders.EventId)).Distinct().Count());

        // Dead letters: one per bad payload, reason and provenance in headers, original bytes kept.
        var deadLetters = kafka.ReadAll(SpumrTopics.DeadLetter).ToDictionary(m => m.KeyText());
        Assert.Equal(bad.Count, deadLetters.Count);
        var raw = kafka.ReadAll(SpumrTopics.RawInteractions).Concat(kafka.ReadAll(SpumrTopics.RawItemFeatures))
            .ToDictionary(m => (m.Topic, m.Partition.Value, m.Offset.Value));
        foreach (var (name, topic, payload, code) in bad)
        {
            var letter = deadLetters[name];
            Assert.Equal(code, letter.Text(EventHeaders.Reason));
            Assert.False(string.IsNullOrWhiteSpace(letter.Text(EventHeaders.ReasonMessage)));
            Assert.Equal(topic, letter.Text(EventHeaders.SourceTopic));
            var source = raw[(topic, int.Parse(letter.Text(EventHeaders.SourcePartition)!, CultureInfo.InvariantCulture), long.Parse(letter.Text(EventHeaders.SourceOffset)!, CultureInfo.InvariantCulture))];
            Assert.Equal(name, source.KeyText());
            if (payload.Length > 4096)
            {
                Assert.Equal(payload.Length.ToString(CultureInfo.InvariantCulture), letter.Text(EventHeaders.OriginalSize));
                Assert.Equal(payload[..4096], letter.Message.Value);
            }
            else
            {
                Assert.Equal(payload, letter.Message.Value);
            }
        }

        Assert.Equal("vector[2]", deadLetters["nan-vector"].Text(EventHeaders.ReasonField));
        Assert.Contains("'userId'", deadLetters["missing-field"].Text(EventHeaders.ReasonMessage), StringComparison.Ordinal);
        Assert.Equal(plan.TotalEvents, ingest.Status.Duplicates);
    }

    [Fact]
    public async Task After_a_clean_stop_a_restart_resumes_from_the_committed_offsets()
    {
        await using var kafka = TestKafka.Start();
        var first = Enumerable.Range(0, 200).Select(i => new InteractionEvent($"e/{i}", $"U{i % 17}", $"I{i % 23}", 1_300_000_000 + i)).ToList();
        await kafka.ProduceAsync(SpumrTopics.RawInteractions, first.Select(e => ((string?)e.UserId, (byte[]?)EventSerializer.Serialize(e))));

        var ingest = await IngestHost.StartAsync(kafka, output);
        await Eventually.TrueAsync(() => ingest.Status.Acknowledged == 200, Timeout, () => ingest.Status.ToString());
        await ingest.DisposeAsync();

        var more = new InteractionEvent("e/new", "U1", "I1", 1_300_000_999);
        await kafka.ProduceAsync(SpumrTopics.RawInteractions, [("U1", EventSerializer.Serialize(more))]);
        await using var restarted = await IngestHost.StartAsync(kafka, output);
        await Eventually.TrueAsync(() => restarted.Status.Acknowledged == 1, Timeout, () => restarted.Status.ToString());

        Assert.Equal(1, restarted.Status.Consumed);
        Assert.Equal(0, restarted.Status.Duplicates);
        Assert.Equal(200, restarted.Status.IdsRecovered);
        Assert.Equal(201, kafka.Count(SpumrTopics.Interactions));
    }

    /// <summary>
    /// Kills a standalone Ingest process mid-stream (SIGKILL: no Close, no commit, no flush), with
    /// offsets committed rarely so that the restart re-reads what the dead process had already
    /// forwarded. The dedupe design (window rebuilt from the canonical topics) says the canonical
    /// topic then still holds every event exactly once, and that is what is asserted.
    /// </summary>
    [Fact]
    public async Task Killed_mid_stream_a_restart_loses_nothing_and_duplicates_nothing()
    {
        await using var kafka = TestKafka.Start();
        var data = TinyDataSet.Create(users: 400, items: 50, interactionsPerUser: 10);
        var plan = ReplayPlan.Create(data, ReplaySplit.All, 0);
        using var logs = TestLogging.Factory(output, LogLevel.Warning);
        var settings = IngestHost.Settings(kafka);
        settings["Kafka:AutoCommitIntervalMs"] = "60000";

        // The replay is paced over about 3 s so the kill lands while events still flow.
        var replay = new DatasetReplayer(kafka.Options, logs.CreateLogger("replay"))
            .RunAsync(plan, new ReplayOptions { Speed = 30 * 86_400 / 3.0 });
        using (var doomed = ServiceProcess.Start("Spumr.Ingest", settings, output))
        {
            await Eventually.TrueAsync(() => kafka.Count(SpumrTopics.Interactions) >= plan.InteractionCount / 5, Timeout, () => $"{kafka.Count(SpumrTopics.Interactions)} canonical interactions");
            doomed.Kill();
        }

        var forwardedBeforeKill = kafka.Count(SpumrTopics.Interactions);
        Assert.False(replay.IsCompleted, "the replay should still be running when Ingest dies");
        Assert.True(forwardedBeforeKill < plan.InteractionCount);
        var committed = Committed(kafka, "spumr-ingest");

        await using var restarted = await IngestHost.StartAsync(kafka, output, s => s["Kafka:AutoCommitIntervalMs"] = "60000");
        await replay;
        var rawTotal = kafka.Count(SpumrTopics.RawInteractions) + kafka.Count(SpumrTopics.RawItemFeatures);
        await Eventually.TrueAsync(
            () => restarted.Status.Consumed == rawTotal - committed && restarted.Status.Acknowledged == restarted.Status.Forwarded,
            Timeout,
            () => $"{restarted.Status}; raw {rawTotal}, committed {committed}");

        var ids = kafka.ReadAll(SpumrTopics.Interactions).Select(m => m.Text(EventHeaders.EventId)).ToList();
        Assert.Equal(plan.InteractionCount, ids.Count);
        Assert.Equal(Enumerable.Range(0, plan.InteractionCount).Select(i => plan.Interaction(i).EventId).Order(), ids.Order());
        Assert.Equal(plan.FeatureEventCount, kafka.ReadAll(SpumrTopics.ItemFeatures).Select(m => m.Text(EventHeaders.EventId)).Distinct().Count());
        Assert.Equal(plan.FeatureEventCount, kafka.Count(SpumrTopics.ItemFeatures));
        // The restart really re-read forwarded events and recognized them from the canonical tail.
        Assert.True(restarted.Status.IdsRecovered >= forwardedBeforeKill, restarted.Status.ToString());
        Assert.True(restarted.Status.Duplicates > 0, restarted.Status.ToString());
    }

    [Fact]
    public async Task Host_refuses_to_start_without_modality_widths()
    {
        await using var kafka = TestKafka.Start();
        var settings = IngestHost.Settings(kafka);
        settings.Remove("Ingest:Modalities:image");
        settings.Remove("Ingest:Modalities:text");
        settings["Ingest:DedupeWindow"] = "0";
        using var host = IngestHost.Build(settings, output);

        var e = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Ingest:Modalities", e.Message, StringComparison.Ordinal);
        Assert.Contains("DedupeWindow", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_refuses_to_start_without_bootstrap_servers()
    {
        var settings = new Dictionary<string, string?> { ["Ingest:Modalities:image"] = "4" };
        using var host = IngestHost.Build(settings, output);

        var e = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("BootstrapServers", e.Message, StringComparison.Ordinal);
    }

    private static long Committed(TestKafka kafka, string group)
    {
        var config = KafkaClientConfigs.Consumer(kafka.Options, group, "probe");
        using var probe = new ConsumerBuilder<Ignore, Ignore>(config).Build();
        var partitions = Enumerable.Range(0, 4).SelectMany(p => new[] { new TopicPartition(SpumrTopics.RawInteractions, p), new TopicPartition(SpumrTopics.RawItemFeatures, p) });
        return probe.Committed(partitions, TimeSpan.FromSeconds(10)).Sum(o => Math.Max(0, o.Offset.Value));
    }

    /// <summary>One raw payload per kind of rejection, named by its Kafka key.</summary>
    private static List<(string Name, string Topic, byte[] Payload, string Code)> BadPayloads()
    {
        static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
        var oversized = Utf8($$"""{"schemaVersion":1,"type":"interaction","eventId":"big","userId":"u","itemId":"i","timestamp":1,"pad":"{{new string('x', 5000)}}"}""");
        return
        [
            ("bad-json", SpumrTopics.RawInteractions, Utf8("""{"schemaVersion":1,"type":"interaction","eventId":"""), "malformed-json"),
            ("schema-v2", SpumrTopics.RawInteractions, Utf8("""{"schemaVersion":2,"type":"interaction","eventId":"v2","userId":"u","itemId":"i","timestamp":1}"""), "unsupported-schema-version"),
            ("missing-field", SpumrTopics.RawInteractions, Utf8("""{"schemaVersion":1,"type":"interaction","eventId":"m","itemId":"i","timestamp":1}"""), "missing-field"),
            ("unknown-type", SpumrTopics.RawInteractions, Utf8("""{"schemaVersion":1,"type":"click","eventId":"c"}"""), "unknown-event-type"),
            ("features-on-interactions", SpumrTopics.RawInteractions, EventSerializer.Serialize(new ItemFeaturesEvent("w", "i", "text", [1, 2, 3, 4])), "wrong-event-type"),
            ("oversized", SpumrTopics.RawInteractions, oversized, "payload-too-large"),
            ("empty-value", SpumrTopics.RawInteractions, [], "malformed-json"),
            ("nan-vector", SpumrTopics.RawItemFeatures, Utf8("""{"schemaVersion":1,"type":"item-features","eventId":"n","itemId":"i","modality":"text","vector":[0.1,0.2,"NaN",0.4]}"""), "non-finite-vector"),
            ("wrong-width", SpumrTopics.RawItemFeatures, EventSerializer.Serialize(new ItemFeaturesEvent("ww", "i", "image", [1, 2, 3])), "wrong-vector-width"),
            ("unknown-modality", SpumrTopics.RawItemFeatures, EventSerializer.Serialize(new ItemFeaturesEvent("um", "i", "audio", [1, 2, 3, 4])), "unknown-modality"),
        ];
    }
}
