using System.Diagnostics.Metrics;
using Spumr.Serving.Models;
using Spumr.Serving.Ranking;

namespace Spumr.Serving;

/// <summary>Serving's own instruments (meter "Spumr.Serving"), exported at /metrics with ASP.NET Core's request-duration histograms.</summary>
public sealed class ServingMetrics : IDisposable
{
    public const string MeterName = "Spumr.Serving";

    private readonly Meter _meter;
    private readonly Counter<long> _served;
    private readonly Counter<long> _userCache;
    private readonly Counter<long> _redisFailures;
    private readonly Counter<long> _swaps;
    private readonly Histogram<double> _ranking;

    public ServingMetrics(IMeterFactory meterFactory, LiveModel live)
    {
        _meter = meterFactory.Create(MeterName);
        _served = _meter.CreateCounter<long>("spumr.serving.recommendations", "{response}", "Recommendation responses by the path that served them.");
        _userCache = _meter.CreateCounter<long>("spumr.serving.user_cache.lookups", "{lookup}", "User-vector cache lookups by result (hit, miss).");
        _redisFailures = _meter.CreateCounter<long>("spumr.serving.redis.failures", "{failure}", "Redis commands that failed or timed out, by what was asked.");
        _swaps = _meter.CreateCounter<long>("spumr.serving.model.swaps", "{swap}", "Model versions swapped in.");
        _ranking = _meter.CreateHistogram<double>("spumr.serving.ranking.duration", "s", "Time to score and select top-K in memory.");
        _meter.CreateObservableGauge("spumr.serving.model.version", () => live.Current?.Version ?? 0, "{version}", "The version being served (0: none).");
    }

    public void Served(RecommendationSource source, bool degraded) =>
        _served.Add(1, new KeyValuePair<string, object?>("source", Wire.Source(source)), new KeyValuePair<string, object?>("degraded", degraded));

    public void UserCache(bool hit) => _userCache.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public void RedisFailure(string what) => _redisFailures.Add(1, new KeyValuePair<string, object?>("operation", what));

    public void Swapped() => _swaps.Add(1);

    public void Ranked(string endpoint, TimeSpan elapsed) =>
        _ranking.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("endpoint", endpoint));

    public void Dispose() => _meter.Dispose();
}

/// <summary>Names as they appear in responses and metric tags.</summary>
public static class Wire
{
    public static string Source(RecommendationSource source) => source switch
    {
        RecommendationSource.Embedding => "embedding",
        RecommendationSource.FoldIn => "fold-in",
        RecommendationSource.Popularity => "popularity",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };
}
