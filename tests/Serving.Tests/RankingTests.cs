using Spumr.Core.Embeddings;
using Spumr.Serving.Models;
using Spumr.Serving.Ranking;
using Spumr.ServiceDefaults.Redis;
using Spumr.Serving.Recommendations;

namespace Spumr.Serving.Tests;

public sealed class RankingTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 3)]
    [InlineData(500, 20)]
    [InlineData(500, 500)]
    [InlineData(30, 100)]
    public void Top_k_equals_a_full_sort_by_score_then_row(int n, int k)
    {
        var random = new Random(n * 31 + k);
        // Few distinct values, so ties are common; some rows excluded.
        var scores = Enumerable.Range(0, n).Select(_ => random.Next(8) / 2f).ToArray();
        var excluded = Enumerable.Range(0, n).Where(_ => random.Next(5) == 0).ToArray();

        var top = TopKSelector.Select(scores, excluded, k);

        var expected = scores.Select((s, row) => (Row: row, Score: s)).Where(e => !excluded.Contains(e.Row))
            .OrderByDescending(e => e.Score).ThenBy(e => e.Row).Take(k).ToArray();
        Assert.Equal(expected.Select(e => e.Row), top.Select(t => t.Row));
        Assert.Equal(expected.Select(e => e.Score), top.Select(t => t.Score));
    }

    [Theory]
    [InlineData(64, 103)]
    [InlineData(8, 4)]
    [InlineData(12, 9)]
    [InlineData(3, 2)]
    public void Blocked_scores_equal_plain_dot_products(int d, int items)
    {
        var random = new Random(d + items);
        var matrix = Enumerable.Range(0, d * items).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var query = Enumerable.Range(0, d).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var ids = Enumerable.Range(0, items).Select(i => $"i{i}").ToArray();
        var meta = new EmbeddingVersionMetadata(1, "m", new Dictionary<string, double>(), null, DateTimeOffset.UnixEpoch, d, 0, items, 10, 10, []);
        var model = new LoadedModel(meta, new ItemEmbeddings(1, ids, matrix, d), DateTimeOffset.UnixEpoch);
        var scores = new float[items];

        ItemScorer.Dot(model, query, scores);

        for (var row = 0; row < items; row++)
        {
            var expected = 0.0;
            for (var j = 0; j < d; j++)
            {
                expected += (double)matrix[(row * d) + j] * query[j];
            }

            Assert.Equal(expected, scores[row], 1e-5);
        }
    }

    [Fact]
    public void Top_k_refuses_a_k_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TopKSelector.Select([1f], [], 0));
    }

    [Fact]
    public void The_user_cache_stays_bounded_and_forgets_a_version_on_swap()
    {
        var cache = new UserVectorCache(capacity: 100);
        cache.StartVersion(1);
        for (var u = 0; u < 1000; u++)
        {
            cache.Add(1, $"u{u}", [u]);
        }

        Assert.InRange(cache.Count, 1, 100);
        Assert.True(cache.TryGet(1, "u999", out var recent));
        Assert.Equal([999f], recent!);
        Assert.False(cache.TryGet(1, "u0", out _));

        cache.Add(1, "absent", null);
        Assert.True(cache.TryGet(1, "absent", out var absent));
        Assert.Null(absent);

        cache.StartVersion(2);
        Assert.False(cache.TryGet(1, "u999", out _));
        Assert.False(cache.TryGet(2, "u999", out _));
        cache.Add(1, "late", [1f]);
        Assert.False(cache.TryGet(2, "late", out _));
        Assert.False(cache.TryGet(1, "late", out _));
    }

    [Fact]
    public void A_zero_sized_cache_caches_nothing()
    {
        var cache = new UserVectorCache(capacity: 0);
        cache.StartVersion(1);
        cache.Add(1, "u", [1f]);
        Assert.False(cache.TryGet(1, "u", out _));
    }
}

public sealed class ServingOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(new ServingOptions().Problems());
    }

    [Fact]
    public void Each_bad_setting_is_named()
    {
        var options = new ServingOptions
        {
            Redis = "",
            KeyPrefix = "a b",
            Urls = "http://127.0.0.1:1;127.0.0.1:2",
            UserCacheSize = -1,
            PollInterval = TimeSpan.Zero,
            RedisTimeout = TimeSpan.FromHours(1),
            LeaseTtl = TimeSpan.Zero,
            InstanceId = "",
        };

        var problems = string.Join("\n", options.Problems());

        Assert.Contains("Redis", problems);
        Assert.Contains("Serving:KeyPrefix 'a b' contains ' '", problems);
        Assert.Contains("Serving:Urls has '127.0.0.1:2'", problems);
        Assert.Contains("UserCacheSize", problems);
        Assert.Contains("Serving:PollInterval", problems);
        Assert.Contains("Serving:RedisTimeout", problems);
        Assert.Contains("Serving:LeaseTtl", problems);
        Assert.Contains("Serving:InstanceId '' is empty", problems);
    }
}
