using System.Text;
using Confluent.Kafka;
using Spumr.Core.Events;
using Spumr.Ingest.Ingestion;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest.Worker;

/// <summary>
/// Rebuilds the dedupe window from what is already on the canonical topics. Why this design: the
/// canonical topics are the record of what Ingest has forwarded, so reading their tail restores
/// the window after a restart or crash without any other store; a raw event re-read after a crash
/// (its offset was not yet committed) whose output did land is then recognized as a duplicate, so
/// the canonical topics get each event once. The first catch-up reads the newest
/// 2 x window / partitions records of each canonical partition (2x absorbs uneven partitions);
/// every later one (on each rebalance) reads on from where the previous stopped, which also picks
/// up what another Ingest instance forwarded before its partitions moved here. Only header
/// <see cref="EventHeaders.EventId"/> is read, never the JSON.
/// </summary>
internal sealed class CanonicalTailReader(KafkaOptions kafka, IngestOptions options, ILogger logger)
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<TopicPartition, long> _readTo = [];

    /// <summary>Adds the ids found since the last call to <paramref name="window"/>; returns how many were read.</summary>
    public long CatchUp(EventIdWindow window, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var kinds = new Dictionary<string, EventKind>(StringComparer.Ordinal)
        {
            [options.InteractionsTopic] = EventKind.Interaction,
            [options.ItemFeaturesTopic] = EventKind.ItemFeatures,
        };

        using var reader = new ConsumerBuilder<Ignore, Ignore>(KafkaClientConfigs.Reader(kafka, "ingest-dedupe"))
            .SetLogHandler((_, m) => KafkaClientConfigs.Log(logger, m))
            .Build();

        var ends = new Dictionary<TopicPartition, long>();
        var starts = new List<TopicPartitionOffset>();
        var partitions = Partitions(kinds.Keys);
        var quota = 2L * ((window.Capacity + partitions.Count - 1) / partitions.Count);
        foreach (var partition in partitions)
        {
            var marks = reader.QueryWatermarkOffsets(partition, QueryTimeout);
            var start = _readTo.TryGetValue(partition, out var done)
                ? Math.Max(done, marks.Low.Value)
                : Math.Max(marks.Low.Value, marks.High.Value - quota);
            if (start < marks.High.Value)
            {
                starts.Add(new TopicPartitionOffset(partition, start));
                ends[partition] = marks.High.Value;
            }
            else
            {
                _readTo[partition] = marks.High.Value;
            }
        }

        long read = 0;
        if (starts.Count > 0)
        {
            reader.Assign(starts);
            var deadline = started + options.CatchUpTimeout;
            while (ends.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new TimeoutException($"Rebuilding the dedupe window from {string.Join(", ", kinds.Keys)} took longer than {options.CatchUpTimeout}; {ends.Count} partitions unread.");
                }

                var result = reader.Consume(TimeSpan.FromMilliseconds(200));
                if (result is null)
                {
                    continue;
                }

                var partition = result.TopicPartition;
                if (!result.IsPartitionEOF)
                {
                    read++;
                    if (result.Message.Headers.TryGetLastBytes(EventHeaders.EventId, out var id))
                    {
                        window.TryAdd(kinds[partition.Topic], Encoding.UTF8.GetString(id));
                    }
                }

                var next = result.IsPartitionEOF ? result.Offset.Value : result.Offset.Value + 1;
                _readTo[partition] = next;
                if (ends.TryGetValue(partition, out var end) && next >= end)
                {
                    ends.Remove(partition);
                }
            }
        }

        reader.Close();
        logger.LogInformation(
            "Dedupe window caught up from {Topics}: {Read} records in {Elapsed:F2} s, window holds {Count} ids",
            string.Join(", ", kinds.Keys),
            read,
            (DateTimeOffset.UtcNow - started).TotalSeconds,
            window.Count);
        return read;
    }

    private List<TopicPartition> Partitions(IEnumerable<string> topics)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers, ClientId = $"{kafka.ClientIdPrefix}-ingest-dedupe" })
            .SetLogHandler((_, m) => KafkaClientConfigs.Log(logger, m))
            .Build();
        var result = new List<TopicPartition>();
        foreach (var topic in topics)
        {
            var metadata = admin.GetMetadata(topic, QueryTimeout);
            var described = metadata.Topics.SingleOrDefault(t => t.Topic == topic);
            if (described is null || described.Error.IsError || described.Partitions.Count == 0)
            {
                throw new InvalidOperationException($"Canonical topic '{topic}' does not exist or has no partitions ({described?.Error.Reason ?? "not in metadata"}).");
            }

            result.AddRange(described.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)));
        }

        return result;
    }
}
