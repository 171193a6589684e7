using System.Numerics.Tensors;
using Microsoft.Extensions.Options;
using Spumr.Core.Embeddings;
using Spumr.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Spumr.Serving.Tests;

/// <summary>Small random embedding versions and the rankings they must give, computed the slow, obvious way.</summary>
internal static class TestEmbeddings
{
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    public static RedisEmbeddingStore Store(IConnectionMultiplexer redis, string prefix, int keep = 3, TimeSpan? abandonedAfter = null) =>
        new(redis, Options.Create(new EmbeddingStoreOptions
        {
            KeyPrefix = prefix,
            KeepVersions = keep,
            ItemChunkBytes = 4096,
            UserIdChunkSize = 7,
            AbandonedWriteAfter = abandonedAfter ?? TimeSpan.FromHours(1),
        }));

    public static RedisSeenItemsStore SeenStore(IConnectionMultiplexer redis, string prefix) =>
        new(redis, Options.Create(new EmbeddingStoreOptions { KeyPrefix = prefix }));

    /// <summary>Users u0..u(n-1), items i0..i(m-1), popularity i0 first.</summary>
    public static EmbeddingPublication Random(int users, int items, int d, int seed, string model = "test", float? constant = null)
    {
        var random = new Random(seed);
        float Next() => constant ?? (float)((random.NextDouble() * 2) - 1);
        var userMatrix = new float[users * d];
        var itemMatrix = new float[items * d];
        for (var i = 0; i < userMatrix.Length; i++)
        {
            userMatrix[i] = Next();
        }

        for (var i = 0; i < itemMatrix.Length; i++)
        {
            itemMatrix[i] = Next();
        }

        var userIds = Enumerable.Range(0, users).Select(u => $"u{u}").ToArray();
        var itemIds = Enumerable.Range(0, items).Select(i => $"i{i}").ToArray();
        var popularity = Enumerable.Range(0, Math.Min(items, 30)).Select(i => new PopularItem($"i{i}", 1000 - i)).ToArray();
        var metrics = new Dictionary<string, double> { ["validation/recall@20"] = 0.1 + (seed % 7 / 100.0), ["test/ndcg@20"] = 0.05 };
        return new EmbeddingPublication(model, d, userIds, userMatrix, itemIds, itemMatrix, popularity, metrics, $"offsets:{seed}");
    }

    /// <summary>The expected top-k by full sort: score descending, then item row ascending; excluded ids skipped.</summary>
    public static (string Id, float Score)[] ExpectedTopK(EmbeddingPublication p, ReadOnlySpan<float> query, int k, IReadOnlySet<string>? exclude = null)
    {
        var scored = new List<(int Row, float Score)>();
        for (var row = 0; row < p.ItemIds.Count; row++)
        {
            if (exclude is null || !exclude.Contains(p.ItemIds[row]))
            {
                scored.Add((row, TensorPrimitives.Dot(p.ItemMatrix.AsSpan(row * p.Dimension, p.Dimension), query)));
            }
        }

        return scored.OrderByDescending(s => s.Score).ThenBy(s => s.Row).Take(k).Select(s => (p.ItemIds[s.Row], s.Score)).ToArray();
    }

    public static float[] UserVector(EmbeddingPublication p, string userId)
    {
        var row = p.UserIds.ToList().IndexOf(userId);
        return p.UserMatrix.AsSpan(row * p.Dimension, p.Dimension).ToArray();
    }

    public static float[] ItemVector(EmbeddingPublication p, string itemId)
    {
        var row = p.ItemIds.ToList().IndexOf(itemId);
        return p.ItemMatrix.AsSpan(row * p.Dimension, p.Dimension).ToArray();
    }

    public static async Task<List<string>> KeysAsync(IConnectionMultiplexer redis, string pattern)
    {
        var server = redis.GetServers()[0];
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 1000))
        {
            keys.Add(key!);
        }

        return keys;
    }
}
