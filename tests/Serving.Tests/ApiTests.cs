using System.Numerics.Tensors;
using System.Text.Json;
using Spumr.Core.Embeddings;
using Spumr.Serving.Api;
using Spumr.ServiceDefaults.Redis;

namespace Spumr.Serving.Tests;

public sealed class ApiTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private readonly string _prefix = TestEmbeddings.NewPrefix();

    private async Task<(ServingHost Host, EmbeddingPublication P, RedisEmbeddingStore Store)> StartAsync()
    {
        var store = TestEmbeddings.Store(redis.Connection, _prefix);
        var p = TestEmbeddings.Random(users: 50, items: 400, d: 16, seed: 7, model: "SPUMR");
        var version = await store.PublishAsync(p);
        var host = await ServingHost.StartAsync(redis.Endpoint, _prefix);
        await host.WaitForVersionAsync(version);
        return (host, p, store);
    }

    [Fact]
    public async Task A_known_user_gets_the_exact_top_k_of_their_embedding_without_seen_items()
    {
        var (host, p, _) = await StartAsync();
        await using var _1 = host;
        var seen = TestEmbeddings.SeenStore(redis.Connection, _prefix);
        var vector = TestEmbeddings.UserVector(p, "u3");
        var best = TestEmbeddings.ExpectedTopK(p, vector, 5).Select(e => e.Id).ToArray();
        await seen.AddAsync([new UserSeenItems("u3", [best[0], best[2], "not-in-model"])]);

        var response = await host.GetAsync<RecommendationsResponse>("/v1/users/u3/recommendations?k=20");

        var expected = TestEmbeddings.ExpectedTopK(p, vector, 20, new HashSet<string> { best[0], best[2] });
        Assert.Equal(("u3", 1L, "SPUMR", "embedding", 20), (response.UserId, response.Version, response.Model, response.Source, response.K));
        Assert.Equal(expected.Select(e => e.Id), response.Items.Select(i => i.ItemId));
        Assert.All(expected.Zip(response.Items), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 1e-4f));
        Assert.DoesNotContain(response.Items, i => i.ItemId == best[0] || i.ItemId == best[2]);
        Assert.Null(response.Degraded);
    }

    [Fact]
    public async Task Without_k_twenty_items_are_returned()
    {
        var (host, _, _) = await StartAsync();
        await using var _1 = host;

        var recommendations = await host.GetAsync<RecommendationsResponse>("/v1/users/u3/recommendations");
        var similar = await host.GetAsync<SimilarItemsResponse>("/v1/items/i5/similar");

        Assert.Equal(20, recommendations.K);
        Assert.Equal(20, recommendations.Items.Count);
        Assert.Equal(20, similar.Items.Count);
    }

    [Fact]
    public async Task An_unknown_user_with_seen_items_is_folded_in_from_their_items()
    {
        var (host, p, _) = await StartAsync();
        await using var _1 = host;
        await TestEmbeddings.SeenStore(redis.Connection, _prefix).AddAsync([new UserSeenItems("newcomer", ["i10", "i20", "i30"])]);
        var query = new float[p.Dimension];
        foreach (var item in new[] { "i10", "i20", "i30" })
        {
            TensorPrimitives.Add(query, TestEmbeddings.ItemVector(p, item), query);
        }

        TensorPrimitives.Divide(query, 3f, query);

        var response = await host.GetAsync<RecommendationsResponse>("/v1/users/newcomer/recommendations?k=10");

        var expected = TestEmbeddings.ExpectedTopK(p, query, 10, new HashSet<string> { "i10", "i20", "i30" });
        Assert.Equal("fold-in", response.Source);
        Assert.Equal(expected.Select(e => e.Id), response.Items.Select(i => i.ItemId));
        Assert.All(expected.Zip(response.Items), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 1e-4f));
    }

    [Fact]
    public async Task An_unknown_user_without_seen_items_gets_the_popular_items()
    {
        var (host, _, _) = await StartAsync();
        await using var _1 = host;

        var response = await host.GetAsync<RecommendationsResponse>("/v1/users/stranger/recommendations?k=5");

        Assert.Equal("popularity", response.Source);
        Assert.Equal(["i0", "i1", "i2", "i3", "i4"], response.Items.Select(i => i.ItemId));
        Assert.Equal([1000f, 999f, 998f, 997f, 996f], response.Items.Select(i => i.Score));
    }

    [Fact]
    public async Task Similar_items_are_ranked_by_cosine_and_an_unknown_item_is_404()
    {
        var (host, p, _) = await StartAsync();
        await using var _1 = host;
        var query = TestEmbeddings.ItemVector(p, "i5");
        var expected = Enumerable.Range(0, p.ItemIds.Count).Where(r => r != 5)
            .Select(r => (Id: p.ItemIds[r], Row: r, Score: TensorPrimitives.CosineSimilarity(query, p.ItemMatrix.AsSpan(r * p.Dimension, p.Dimension))))
            .OrderByDescending(e => e.Score).ThenBy(e => e.Row).Take(8).ToArray();

        var response = await host.GetAsync<SimilarItemsResponse>("/v1/items/i5/similar?k=8");
        var (status, problem) = await host.GetJsonAsync("/v1/items/no-such-item/similar?k=8");

        Assert.Equal("cosine", response.Similarity);
        Assert.Equal(expected.Select(e => e.Id), response.Items.Select(i => i.ItemId));
        Assert.All(expected.Zip(response.Items), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 1e-4f));
        Assert.Equal(404, status);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("Item 'no-such-item' is not in model version 1", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/v1/users/u1/recommendations?k=", "k is empty")]
    [InlineData("/v1/users/u1/recommendations?k=0", "k 0 is out of range")]
    [InlineData("/v1/users/u1/recommendations?k=-3", "k -3 is out of range")]
    [InlineData("/v1/users/u1/recommendations?k=1001", "k 1001 is out of range")]
    [InlineData("/v1/users/u1/recommendations?k=99999999999999", "k 99999999999999 is out of range")]
    [InlineData("/v1/users/u1/recommendations?k=ten", "k 'ten' is not a whole number")]
    [InlineData("/v1/users/u1/recommendations?k=2.5", "k '2.5' is not a whole number")]
    [InlineData("/v1/users/u1/recommendations?k=3&k=4", "k is given more than once")]
    [InlineData("/v1/users/%20/recommendations?k=3", "userId ' ' is empty")]
    [InlineData("/v1/users/a%09b/recommendations?k=3", "contains whitespace or a control character")]
    [InlineData("/v1/items/i1/similar?k=0", "k 0 is out of range")]
    [InlineData("/v1/items/%20/similar?k=3", "itemId ' ' is empty")]
    public async Task Every_bad_parameter_is_a_400_problem_that_names_it(string path, string expected)
    {
        var (host, _, _) = await StartAsync();
        await using var _1 = host;

        var (status, problem) = await host.GetJsonAsync(path);

        Assert.Equal(400, status);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Overlong_ids_are_refused()
    {
        var (host, _, _) = await StartAsync();
        await using var _1 = host;
        var id = new string('x', 257);

        var (userStatus, userProblem) = await host.GetJsonAsync($"/v1/users/{id}/recommendations?k=3");
        var (itemStatus, itemProblem) = await host.GetJsonAsync($"/v1/items/{id}/similar?k=3");

        Assert.Equal((400, 400), (userStatus, itemStatus));
        Assert.Contains("is 257 characters long (at most 256)", userProblem.GetProperty("detail").GetString());
        Assert.Contains("is 257 characters long (at most 256)", itemProblem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Model_health_and_metrics_describe_the_live_version()
    {
        var (host, _, _) = await StartAsync();
        await using var _1 = host;
        await host.GetAsync<RecommendationsResponse>("/v1/users/u1/recommendations?k=3");
        await host.GetAsync<RecommendationsResponse>("/v1/users/u1/recommendations?k=3");
        await host.GetAsync<RecommendationsResponse>("/v1/users/someone-new/recommendations?k=3");

        var model = await host.GetAsync<ModelResponse>("/v1/model");
        var health = await host.Client.GetAsync("/health");
        var ready = await host.Client.GetAsync("/health/ready");
        var metrics = await host.Client.GetStringAsync("/metrics");
        var (unrouted, problem) = await host.GetJsonAsync("/v2/nothing");

        Assert.Equal((1L, "SPUMR", 16, 50, 400), (model.Version, model.Model, model.Dimension, model.UserCount, model.ItemCount));
        Assert.Equal(0.1, model.Metrics["validation/recall@20"], 6);
        Assert.Equal("offsets:7", model.GraphSnapshotPosition);
        Assert.True(health.IsSuccessStatusCode);
        Assert.True(ready.IsSuccessStatusCode);
        Assert.Contains("spumr_serving_recommendations_total{", metrics);
        Assert.Contains("source=\"embedding\"", metrics);
        Assert.Contains("source=\"popularity\"", metrics);
        Assert.Contains("spumr_serving_user_cache_lookups_total{", metrics);
        Assert.Contains("result=\"hit\"", metrics);
        Assert.Contains("http_server_request_duration_seconds_bucket", metrics);
        Assert.Equal(404, unrouted);
        Assert.Equal(JsonValueKind.Object, problem.ValueKind);
    }
}
