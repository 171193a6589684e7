using Spumr.Core.Embeddings;
using Spumr.Core.Messages;
using Spumr.Serving.Api;

namespace Spumr.Serving.Tests;

public sealed class ModelSwapTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private readonly string _prefix = TestEmbeddings.NewPrefix();

    [Fact]
    public async Task Not_ready_until_a_model_is_loaded()
    {
        await using var host = await ServingHost.StartAsync(redis.Endpoint, _prefix);

        var live = await host.Client.GetAsync("/health/live");
        var notReady = await host.Client.GetAsync("/health/ready");
        var (status, problem) = await host.GetJsonAsync("/v1/users/u1/recommendations?k=3");
        var (modelStatus, _) = await host.GetJsonAsync("/v1/model");
        var version = await TestEmbeddings.Store(redis.Connection, _prefix).PublishAsync(TestEmbeddings.Random(5, 10, 4, seed: 1));
        await host.WaitForVersionAsync(version);
        var ready = await host.Client.GetAsync("/health/ready");

        Assert.True(live.IsSuccessStatusCode);
        Assert.Equal(503, (int)notReady.StatusCode);
        Assert.Equal((503, 503), (status, modelStatus));
        Assert.Contains("no model version is loaded yet", problem.GetProperty("detail").GetString());
        Assert.True(ready.IsSuccessStatusCode);
    }

    [Fact]
    public async Task ModelPublished_swaps_the_version_without_waiting_for_the_poll()
    {
        var store = TestEmbeddings.Store(redis.Connection, _prefix);
        await store.PublishAsync(TestEmbeddings.Random(5, 10, 4, seed: 1));
        await using var host = await ServingHost.StartAsync(redis.Endpoint, _prefix, pollInterval: TimeSpan.FromHours(1));
        await host.WaitForVersionAsync(1);

        var v2 = await store.PublishAsync(TestEmbeddings.Random(5, 10, 4, seed: 2));
        await Task.Delay(300);
        Assert.Equal(1, host.Live.Current!.Version);
        await host.Bus.Publish(new ModelPublished(v2, "test", 0.1, DateTimeOffset.UtcNow));
        await host.WaitForVersionAsync(v2, TimeSpan.FromSeconds(5));

        await store.RollbackAsync(1);
        await host.Bus.Publish(new ModelPublished(1, "test", 0.1, DateTimeOffset.UtcNow, IsRollback: true));
        await host.WaitForVersionAsync(1, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Under_concurrent_requests_every_response_matches_the_version_it_reports()
    {
        var store = TestEmbeddings.Store(redis.Connection, _prefix, keep: 5);
        var versions = new Dictionary<long, EmbeddingPublication>();
        for (var seed = 1; seed <= 2; seed++)
        {
            var p = TestEmbeddings.Random(users: 40, items: 2000, d: 32, seed: seed);
            versions[await store.PublishAsync(p)] = p;
        }

        var seen = TestEmbeddings.SeenStore(redis.Connection, _prefix);
        await seen.AddAsync([new Spumr.ServiceDefaults.Redis.UserSeenItems("u7", ["i1", "i2", "i3"])]);
        var expected = versions.ToDictionary(
            v => v.Key,
            v => Enumerable.Range(0, 40).ToDictionary(
                u => $"u{u}",
                u => TestEmbeddings.ExpectedTopK(v.Value, TestEmbeddings.UserVector(v.Value, $"u{u}"), 10, u == 7 ? new HashSet<string> { "i1", "i2", "i3" } : null)));
        await using var host = await ServingHost.StartAsync(redis.Endpoint, _prefix, pollInterval: TimeSpan.FromMilliseconds(50), userCacheSize: 30);
        await host.WaitForVersionAsync(2);

        using var stop = new CancellationTokenSource();
        var observed = new System.Collections.Concurrent.ConcurrentDictionary<long, int>();
        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            while (!stop.IsCancellationRequested)
            {
                var user = $"u{random.Next(40)}";
                var response = await host.GetAsync<RecommendationsResponse>($"/v1/users/{user}/recommendations?k=10");
                var want = expected[response.Version][user];
                Assert.Equal(want.Select(e => e.Id), response.Items.Select(i => i.ItemId));
                Assert.All(want.Zip(response.Items), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 1e-4f));
                observed.AddOrUpdate(response.Version, 1, (_, n) => n + 1);
            }
        })).ToArray();

        // Flip between the two versions, by message and by the poller alike.
        for (var flip = 0; flip < 12; flip++)
        {
            var target = flip % 2 == 0 ? 1 : 2;
            await store.RollbackAsync(target);
            if (flip % 3 == 0)
            {
                await host.Bus.Publish(new ModelPublished(target, "test", 0, DateTimeOffset.UtcNow, IsRollback: true));
            }

            await host.WaitForVersionAsync(target);
            await Task.Delay(40);
        }

        await stop.CancelAsync();
        await Task.WhenAll(clients);
        Assert.True(observed.GetValueOrDefault(1) > 0 && observed.GetValueOrDefault(2) > 0, $"responses per version: {string.Join(", ", observed)}");
    }
}

public sealed class ServingLeaseTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private readonly string _prefix = TestEmbeddings.NewPrefix();

    [Fact]
    public async Task The_version_a_serving_instance_holds_is_not_collected_until_it_moves_on()
    {
        var store = TestEmbeddings.Store(redis.Connection, _prefix, keep: 1);
        var p1 = TestEmbeddings.Random(10, 20, 4, seed: 1);
        await store.PublishAsync(p1);
        await using var host = await ServingHost.StartAsync(redis.Endpoint, _prefix, pollInterval: TimeSpan.FromHours(1));
        await host.WaitForVersionAsync(1);

        // Without a message and with a slow poll, the instance stays on version 1 and leases it.
        await store.PublishAsync(TestEmbeddings.Random(10, 20, 4, seed: 2));
        await store.PublishAsync(TestEmbeddings.Random(10, 20, 4, seed: 3));
        var leases = await store.GetLeasesAsync();
        var response = await host.GetAsync<RecommendationsResponse>("/v1/users/u2/recommendations?k=3");

        Assert.Equal([1L], leases.Values);
        Assert.Equal(1, response.Version);
        Assert.Equal("embedding", response.Source);
        Assert.NotNull(await store.ReadItemsAsync(1));
        Assert.Null(await store.ReadItemsAsync(2));

        await host.Bus.Publish(new ModelPublished(3, "test", 0, DateTimeOffset.UtcNow));
        await host.WaitForVersionAsync(3);
        var report = await store.CollectGarbageAsync();
        Assert.Equal([1L], report.Deleted);
        Assert.Equal([3L], (await store.GetLeasesAsync()).Values);
    }
}
