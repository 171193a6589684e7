using Spumr.Serving.Api;

namespace Spumr.Serving.Tests;

public sealed class RedisOutageTests : IDisposable
{
    private readonly RedisServer _redis = RedisServer.Durable();
    private readonly string _prefix = TestEmbeddings.NewPrefix();

    [Fact]
    public async Task With_Redis_down_memory_still_serves_what_it_can_the_rest_is_503_and_it_recovers()
    {
        var store = TestEmbeddings.Store(_redis.Connection, _prefix);
        await store.PublishAsync(TestEmbeddings.Random(20, 100, 8, seed: 3));
        await TestEmbeddings.SeenStore(_redis.Connection, _prefix).AddAsync([new Spumr.ServiceDefaults.Redis.UserSeenItems("u1", ["i0"])]);
        await using var host = await ServingHost.StartAsync(_redis.Endpoint, _prefix);
        await host.WaitForVersionAsync(1);
        var before = await host.GetAsync<RecommendationsResponse>("/v1/users/u1/recommendations?k=5");
        await host.GetAsync<RecommendationsResponse>("/v1/users/cold/recommendations?k=5");

        _redis.Stop();
        var cachedUser = await host.GetAsync<RecommendationsResponse>("/v1/users/u1/recommendations?k=5");
        var cachedColdUser = await host.GetAsync<RecommendationsResponse>("/v1/users/cold/recommendations?k=5");
        var (uncachedStatus, uncached) = await host.GetJsonAsync("/v1/users/u2/recommendations?k=5");
        var similar = await host.Client.GetAsync("/v1/items/i3/similar?k=5");
        var model = await host.Client.GetAsync("/v1/model");
        var ready = await host.Client.GetAsync("/health/ready");

        Assert.Equal("embedding", before.Source);
        Assert.Null(before.Degraded);
        Assert.Equal("embedding", cachedUser.Source);
        Assert.Contains("seen items unavailable (Redis unreachable: no connection to Redis)", cachedUser.Degraded);
        Assert.Equal("popularity", cachedColdUser.Source);
        Assert.NotNull(cachedColdUser.Degraded);
        Assert.Equal(503, uncachedStatus);
        Assert.Contains("Redis is unreachable", uncached.GetProperty("detail").GetString());
        Assert.Contains("'u2' is not in this instance's cache for version 1 (no connection to Redis)", uncached.GetProperty("detail").GetString());
        Assert.DoesNotContain("serverEndpoint", uncached.GetRawText());
        Assert.DoesNotContain("   at ", uncached.GetRawText());
        Assert.True(similar.IsSuccessStatusCode);
        Assert.True(model.IsSuccessStatusCode);
        Assert.True(ready.IsSuccessStatusCode);

        _redis.Start();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        int status;
        do
        {
            await Task.Delay(100);
            (status, _) = await host.GetJsonAsync("/v1/users/u2/recommendations?k=5");
        }
        while (status != 200 && DateTime.UtcNow < deadline);

        var recovered = await host.GetAsync<RecommendationsResponse>("/v1/users/u1/recommendations?k=5");
        Assert.Equal(200, status);
        Assert.Null(recovered.Degraded);
        Assert.Equal(before.Items, recovered.Items);
    }

    public void Dispose() => _redis.Dispose();
}
