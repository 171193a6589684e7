using Spumr.Serving.Models;
using Spumr.Serving.Ranking;
using Spumr.ServiceDefaults.Redis;

namespace Spumr.Serving.Recommendations;

/// <summary>What a recommendation request came to.</summary>
/// <param name="Model">The version answered from (null when none is loaded).</param>
/// <param name="Result">The ranking, or null when it could not be made.</param>
/// <param name="Degraded">Why the ranking is less than usual (Redis partly unreachable), or null.</param>
/// <param name="Unavailable">Why no ranking could be made, or null.</param>
public sealed record RecommendationOutcome(LoadedModel? Model, Recommendation? Result, string? Degraded, string? Unavailable);

/// <summary>
/// Gathers what a ranking needs (the user's vector, from cache or Redis; the user's seen items, always
/// fresh from Redis) for one model snapshot, then ranks in memory. When Redis is unreachable it answers
/// what memory allows and says so.
/// </summary>
public sealed class RecommendationService(
    LiveModel live,
    RedisEmbeddingStore store,
    RedisSeenItemsStore seenItems,
    UserVectorCache cache,
    ServingMetrics metrics,
    ILogger<RecommendationService> logger)
{
    public async Task<RecommendationOutcome> RecommendAsync(string userId, int k)
    {
        // One snapshot for the whole request: the version it reports is the version it ranked with.
        var model = live.Current;
        if (model is null)
        {
            return new RecommendationOutcome(null, null, null, "no model version is loaded yet");
        }

        var cached = cache.TryGet(model.Version, userId, out var vector);
        metrics.UserCache(cached);
        var vectorRead = cached ? null : Attempt(() => store.ReadUserVectorAsync(model.Version, userId));
        var seenRead = Attempt(() => seenItems.GetAsync(userId));

        string? vectorFailure = null;
        if (vectorRead is not null)
        {
            try
            {
                vector = await vectorRead;
                cache.Add(model.Version, userId, vector);
            }
            catch (Exception e) when (RedisFailure.Is(e))
            {
                metrics.RedisFailure("user-vector");
                logger.LogWarning("Reading the vector of user {User} failed: {Diagnostics}", userId, e.Message);
                vectorFailure = RedisFailure.Describe(e);
            }
        }

        string[]? seen = null;
        string? seenFailure = null;
        try
        {
            seen = await seenRead;
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            metrics.RedisFailure("seen-items");
            logger.LogWarning("Reading the seen items of user {User} failed: {Diagnostics}", userId, e.Message);
            seenFailure = RedisFailure.Describe(e);
        }

        if (vectorFailure is not null)
        {
            return new RecommendationOutcome(model, null, null,
                $"Redis is unreachable, and user '{userId}' is not in this instance's cache for version {model.Version} ({vectorFailure})");
        }

        var started = TimeProvider.System.GetTimestamp();
        var result = Recommender.Recommend(model, vector, seen, k);
        metrics.Ranked("recommendations", TimeProvider.System.GetElapsedTime(started));
        var degraded = seenFailure is null
            ? null
            : $"seen items unavailable (Redis unreachable: {seenFailure}): items the user already saw are not excluded";
        metrics.Served(result.Source, degraded is not null);
        return new RecommendationOutcome(model, result, degraded, null);
    }

    // Turns a synchronous throw from the client into a faulted task, so both reads are awaited the same way.
    private static async Task<T> Attempt<T>(Func<Task<T>> read) => await read();
}
