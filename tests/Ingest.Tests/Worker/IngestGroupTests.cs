using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Spumr.Core.Events;
using Spumr.Ingest.Tests.Support;
using Spumr.ServiceDefaults.Kafka;
using Spumr.TestSupport;
using Xunit.Abstractions;

namespace Spumr.Ingest.Tests.Worker;

/// <summary>Ingest as a member of a consumer group: rebalances between instances, and its health.</summary>
public sealed class IngestGroupTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Partitions_moving_between_two_instances_lose_and_duplicate_nothing()
    {
        await using var kafka = TestKafka.Start();
        var batch = 0;
        async Task<List<InteractionEvent>> ProduceBatchAsync(int count)
        {
            var events = Enumerable.Range(0, count).Select(i => new InteractionEvent($"b{batch}/{i}", $"U{i % 97}", $"I{i % 31}", 1_300_000_000 + i)).ToList();
            batch++;
            await kafka.ProduceAsync(SpumrTopics.RawInteractions, events.Select(e => ((string?)e.UserId, (byte[]?)EventSerializer.Serialize(e))));
            return events;
        }

        var all = await ProduceBatchAsync(1000);
        var first = await IngestHost.StartAsync(kafka, output);
        await Eventually.TrueAsync(() => first.Status.Acknowledged >= 1000, Timeout, () => first.Status.ToString());

        // A second member joins: some partitions move to it (revoked from the first, which must
        // finish and commit them), and both keep working on new events.
        await using var second = await IngestHost.StartAsync(kafka, output);
        await Eventually.TrueAsync(() => second.Status.Loop?.AssignedPartitions > 0, Timeout, () => "second instance never got partitions");
        Assert.True(first.Status.Loop!.AssignedPartitions < 8, "the first instance kept every partition");
        all.AddRange(await ProduceBatchAsync(1000));
        await Eventually.TrueAsync(() => first.Status.Acknowledged + second.Status.Acknowledged >= 2000, Timeout, () => $"first {first.Status}; second {second.Status}");
        Assert.True(second.Status.Forwarded > 0, second.Status.ToString());

        // The first leaves cleanly: all its partitions go to the second, which resumes at the commits.
        await first.DisposeAsync();
        await Eventually.TrueAsync(() => second.Status.Loop!.AssignedPartitions == 8, Timeout, () => $"second has {second.Status.Loop!.AssignedPartitions} partitions");
        all.AddRange(await ProduceBatchAsync(1000));
        await Eventually.TrueAsync(() => kafka.Count(SpumrTopics.Interactions) >= 3000 && second.Status.Acknowledged == second.Status.Forwarded, Timeout, () => $"{kafka.Count(SpumrTopics.Interactions)} canonical; second {second.Status}");

        var ids = kafka.ReadAll(SpumrTopics.Interactions).Select(m => m.Text(EventHeaders.EventId)).ToList();
        Assert.Equal(all.Select(e => e.EventId).Order(), ids.Order());
    }

    [Fact]
    public async Task Health_is_degraded_before_the_loop_runs_healthy_while_it_does_and_unhealthy_once_stopped()
    {
        await using var kafka = TestKafka.Start();
        var host = IngestHost.Build(IngestHost.Settings(kafka), output);
        var health = host.Services.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync()).Status);
        await host.StartAsync();
        await Eventually.TrueAsync(() => health.CheckHealthAsync().Result.Entries["ingest"].Description?.Contains("8 partitions", StringComparison.Ordinal) == true, Timeout, () => "never got its partitions");
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

        await host.StopAsync();
        var stopped = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
        Assert.Contains("stopped", stopped.Entries["ingest"].Description, StringComparison.Ordinal);
        host.Dispose();
    }
}
