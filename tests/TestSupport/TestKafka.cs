using System.Text;
using Confluent.Kafka;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.TestSupport;

/// <summary>A fresh development broker per test, with small topics, and helpers to write and read them.</summary>
public sealed class TestKafka : IAsyncDisposable
{
    private TestKafka(DevKafkaBroker broker)
    {
        Broker = broker;
        Options = new KafkaOptions { BootstrapServers = broker.BootstrapServers, SessionTimeoutMs = 3000, LingerMs = 2 };
    }

    public DevKafkaBroker Broker { get; }

    public KafkaOptions Options { get; }

    public string BootstrapServers => Broker.BootstrapServers;

    public static TestKafka Start(int partitions = 4) => new(DevKafkaBroker.Start(new DevKafkaBrokerOptions
    {
        Topics = [.. SpumrTopics.All.Select(t => new TopicSpec(t, partitions))],
    }));

    /// <summary>Produces in order (idempotent producer) and waits until every message is acknowledged.</summary>
    public async Task ProduceAsync(string topic, IEnumerable<(string? Key, byte[]? Value)> messages)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Producer(Options, "test")).Build();
        var sends = messages
            .Select(m => producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = m.Key is null ? null : Encoding.UTF8.GetBytes(m.Key), Value = m.Value }))
            .ToList();
        await Task.WhenAll(sends);
    }

    /// <summary>Everything currently in the topic, all partitions, up to the end offsets taken at the start.</summary>
    public IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> ReadAll(string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions
            .Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        using var reader = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Reader(Options, "test")).Build();
        var ends = new Dictionary<TopicPartition, long>();
        foreach (var partition in partitions)
        {
            var high = reader.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value;
            if (high > 0)
            {
                ends[partition] = high;
            }
        }

        var result = new List<ConsumeResult<byte[]?, byte[]?>>();
        if (ends.Count == 0)
        {
            return result;
        }

        reader.Assign(ends.Keys.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ends.Count > 0 && DateTime.UtcNow < deadline)
        {
            var message = reader.Consume(TimeSpan.FromMilliseconds(200));
            if (message is null)
            {
                continue;
            }

            if (!message.IsPartitionEOF)
            {
                result.Add(message);
            }

            var next = message.IsPartitionEOF ? message.Offset.Value : message.Offset.Value + 1;
            if (ends.TryGetValue(message.TopicPartition, out var end) && next >= end)
            {
                ends.Remove(message.TopicPartition);
            }
        }

        Assert.True(ends.Count == 0, $"could not read {topic} to its end");
        return result;
    }

    /// <summary>Messages in the topic (sum of high watermarks; the topics here are never trimmed).</summary>
    public long Count(string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        using var reader = new ConsumerBuilder<Ignore, Ignore>(KafkaClientConfigs.Reader(Options, "count")).Build();
        return partitions.Sum(p => reader.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10)).High.Value);
    }

    public ValueTask DisposeAsync() => Broker.DisposeAsync();
}

public static class HeaderExtensions
{
    public static string? Text(this ConsumeResult<byte[]?, byte[]?> message, string header) =>
        message.Message.Headers.TryGetLastBytes(header, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    public static string KeyText(this ConsumeResult<byte[]?, byte[]?> message) => message.Message.Key is { } k ? Encoding.UTF8.GetString(k) : "";
}
