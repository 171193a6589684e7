using Confluent.Kafka;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest.Tests.Kafka;

public sealed class DevKafkaBrokerTests
{
    [Fact]
    public async Task Clients_produce_and_consume_through_the_mock_cluster()
    {
        await using var broker = DevKafkaBroker.Start(new DevKafkaBrokerOptions { Topics = [new TopicSpec("t", 3)] });
        var options = new KafkaOptions { BootstrapServers = broker.BootstrapServers, SessionTimeoutMs = 3000 };

        using (var producer = new ProducerBuilder<string, string>(KafkaClientConfigs.Producer(options, "test")).Build())
        {
            for (var i = 0; i < 100; i++)
            {
                producer.Produce("t", new Message<string, string> { Key = $"k{i % 7}", Value = $"v{i}" });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
        }

        using var consumer = new ConsumerBuilder<string, string>(KafkaClientConfigs.Consumer(options, "g", "test")).Build();
        consumer.Subscribe("t");
        var seen = new HashSet<string>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (seen.Count < 100 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                seen.Add(result.Message.Value);
            }
        }

        consumer.Close();
        Assert.Equal(100, seen.Count);
    }
}
