using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Spumr.Core.Events;
using Spumr.ServiceDefaults.Kafka;
using Spumr.TestSupport;
using Xunit.Abstractions;

namespace Spumr.GraphMaintainer.Tests.Worker;

/// <summary>Redis going away (a real redis-server killed and restarted) holds the stream back; nothing is lost.</summary>
public sealed class RedisOutageTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly RedisServer _redis = RedisServer.Durable();
    private readonly string _snapshots = Directory.CreateTempSubdirectory("spumr-gm-redis-").FullName;

    public void Dispose()
    {
        _redis.Dispose();
        Directory.Delete(_snapshots, recursive: true);
    }

    [Fact]
    public async Task While_Redis_is_down_batches_wait_and_retry_then_every_seen_item_arrives()
    {
        await using var kafka = TestKafka.Start();
        var before = Events(0, 200);
        var during = Events(200, 200);
        await Produce(kafka, before);
        await using var gm = await GraphMaintainerHost.StartAsync(GraphMaintainerHost.Settings(kafka, _redis, _snapshots, "outage"), output);
        await Eventually.TrueAsync(() => gm.Status.CaughtUp && gm.Status.Applied == before.Count, Timeout, () => gm.Status.ToString());

        _redis.Stop();
        await Produce(kafka, during);
        await Eventually.TrueAsync(() => gm.Status.RedisFailures >= 2, Timeout, () => gm.Status.ToString());
        Assert.True(gm.Status.RedisFailing);
        Assert.Equal(before.Count, gm.Status.Applied);
        var health = await gm.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "graph-maintainer");
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("cannot write seen items to Redis", health.Entries["graph-maintainer"].Description, StringComparison.Ordinal);

        _redis.Start();
        await Eventually.TrueAsync(() => gm.Status.Applied == before.Count + during.Count, Timeout, () => gm.Status.ToString());
        Assert.False(gm.Status.RedisFailing);
        await StreamedStateCheck.AssertSeenItemsAsync(_redis.Connection, "outage", [.. before, .. during]);
    }

    private static List<InteractionEvent> Events(int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => new InteractionEvent($"e/{i}", $"U{i % 31}", $"I{(i * 11) % 40}", 1_300_000_000 + i))];

    private static Task Produce(TestKafka kafka, IEnumerable<InteractionEvent> events) =>
        kafka.ProduceAsync(SpumrTopics.Interactions, events.Select(e => ((string?)e.UserId, (byte[]?)EventSerializer.Serialize(e))));
}
