using Microsoft.Extensions.Options;
using Spumr.Serving.Recommendations;
using Spumr.ServiceDefaults.Redis;

namespace Spumr.Serving.Models;

/// <summary>
/// Brings the in-memory model up to the live version in Redis: reads the pointer, loads that version's
/// metadata and item matrix, and swaps the whole <see cref="LoadedModel"/> in one assignment. Called at
/// start, on ModelPublished, and by the poller; one refresh at a time.
/// </summary>
public sealed class ModelRefresher(
    RedisEmbeddingStore store,
    LiveModel live,
    UserVectorCache userCache,
    ServingMetrics metrics,
    IOptions<ServingOptions> options,
    TimeProvider time,
    ILogger<ModelRefresher> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Follows the live pointer (not a version named in a message, which may already be stale).
    /// Returns true when a new version was swapped in.
    /// </summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var version = await store.GetLiveVersionAsync();
            if (version is not { } v || live.Current?.Version == v)
            {
                return false;
            }

            var metadata = await store.GetMetadataAsync(v);
            var items = metadata is null ? null : await store.ReadItemsAsync(v, cancellationToken);
            if (metadata is null || items is null)
            {
                // Rolled back or collected between reading the pointer and the data: the next refresh follows the pointer again.
                logger.LogWarning("Live version {Version} vanished while loading; keeping version {Current}", v, live.Current?.Version);
                return false;
            }

            var model = new LoadedModel(metadata, items, time.GetUtcNow());
            var previous = live.Current?.Version;
            userCache.StartVersion(v);
            live.Swap(model);
            metrics.Swapped();
            logger.LogInformation("Serving version {Version} ({Model}, {Items} items, d={Dimension}); was {Previous}",
                v, metadata.Model, model.ItemCount, model.Dimension, previous);
            await RenewLeaseAsync();
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Tells the store's GC which version this instance serves.</summary>
    public async Task RenewLeaseAsync()
    {
        if (live.Current is { } model)
        {
            await store.RenewLeaseAsync(options.Value.InstanceId, model.Version, options.Value.LeaseTtl);
        }
    }

    public void Dispose() => _gate.Dispose();
}
