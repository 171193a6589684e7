using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest.Tests.Kafka;

public sealed class DevKafkaBrokerTests
{
    [Fact]
    public async Task Clients_produce_and_consume_through_the_mock_cluster()
    {
        await using var broker = DevKafkaBroker.Start(new DevKafkaBrokerOptions { Topics = [new TopicSpec("t", 3)] });

        var seen = RoundTrip(broker.BootstrapServers, "t", 100);

        Assert.Equal(100, seen.Count);
    }

    [Fact]
    public async Task A_fixed_port_is_relayed_and_advertised_in_metadata()
    {
        var port = FreePort();
        await using var broker = DevKafkaBroker.Start(new DevKafkaBrokerOptions { Port = port, Topics = [new TopicSpec("t", 2)] });

        Assert.Equal($"127.0.0.1:{port}", broker.BootstrapServers);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        // Every later connection goes to the advertised address, so it must be the relayed port.
        Assert.Equal(port, Assert.Single(metadata.Brokers).Port);
        Assert.Equal(2, metadata.Topics.Single(t => t.Topic == "t").Partitions.Count);
        Assert.Equal(50, RoundTrip(broker.BootstrapServers, "t", 50).Count);
    }

    [Fact]
    public async Task A_taken_port_is_a_clear_error()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var e = Assert.Throws<DevKafkaBrokerException>(() => DevKafkaBroker.Start(new DevKafkaBrokerOptions { Port = port, Topics = [] }));

        Assert.Contains($"127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
        // The failed start released everything: the same port works once it is free.
        squatter.Stop();
        await using var broker = DevKafkaBroker.Start(new DevKafkaBrokerOptions { Port = port, Topics = [] });
    }

    [Fact]
    public async Task Default_start_creates_spumrs_topics_with_the_planned_partitions()
    {
        await using var broker = DevKafkaBroker.Start();

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var topics = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.ToDictionary(t => t.Topic, t => t.Partitions.Count);
        foreach (var planned in DevTopicPlan.Default())
        {
            Assert.Equal(planned.Partitions, topics[planned.Name]);
        }

        Assert.Equal(DevTopicPlan.Default().Count, broker.Topics.Count);
    }

    [Fact]
    public async Task The_mock_keeps_only_about_5_MiB_per_partition_which_is_why_topics_get_many()
    {
        await using var broker = DevKafkaBroker.Start(new DevKafkaBrokerOptions { Topics = [new TopicSpec("small", 1)] });
        var options = new KafkaOptions { BootstrapServers = broker.BootstrapServers, Compression = CompressionType.None };
        using (var producer = new ProducerBuilder<Null, byte[]>(KafkaClientConfigs.Producer(options, "test")).Build())
        {
            var value = new byte[100_000];
            Random.Shared.NextBytes(value);
            for (var i = 0; i < 80; i++)
            {
                producer.Produce("small", new Message<Null, byte[]> { Value = value });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
        }

        using var reader = new ConsumerBuilder<Ignore, Ignore>(KafkaClientConfigs.Reader(options, "test")).Build();
        var marks = reader.QueryWatermarkOffsets(new TopicPartition("small", 0), TimeSpan.FromSeconds(10));
        Assert.Equal(80, marks.High.Value);
        // 8 MB went in; the oldest batches beyond 5 MiB are gone.
        Assert.True(marks.Low.Value > 0, $"low watermark {marks.Low.Value}");
        Assert.True((marks.High.Value - marks.Low.Value) * 100_000 <= DevTopicPlan.PartitionLogBytes + 1_000_000);
    }

    [Fact]
    public void Bad_port_is_refused()
    {
        var e = Assert.Throws<DevKafkaBrokerException>(() => DevKafkaBroker.Start(new DevKafkaBrokerOptions { Port = 70000 }));

        Assert.Contains("70000", e.Message, StringComparison.Ordinal);
    }

    private static HashSet<string> RoundTrip(string bootstrap, string topic, int count)
    {
        var options = new KafkaOptions { BootstrapServers = bootstrap, SessionTimeoutMs = 3000 };
        using (var producer = new ProducerBuilder<string, string>(KafkaClientConfigs.Producer(options, "test")).Build())
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"k{i % 7}", Value = $"v{i}" });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
        }

        using var consumer = new ConsumerBuilder<string, string>(KafkaClientConfigs.Consumer(options, "g", "test")).Build();
        consumer.Subscribe(topic);
        var seen = new HashSet<string>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (seen.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                seen.Add(result.Message.Value);
            }
        }

        consumer.Close();
        return seen;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
