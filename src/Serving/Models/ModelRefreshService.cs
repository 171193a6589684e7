using Microsoft.Extensions.Options;
using Spumr.ServiceDefaults.Redis;

namespace Spumr.Serving.Models;

/// <summary>
/// Loads the live model at start and then polls the live pointer (the fallback when a ModelPublished
/// message is missed), renewing this instance's lease on the way. Redis being down only delays this.
/// </summary>
public sealed class ModelRefreshService(
    ModelRefresher refresher,
    RedisEmbeddingStore store,
    IOptions<ServingOptions> options,
    ILogger<ModelRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var period = TimeSpan.FromTicks(Math.Min(settings.PollInterval.Ticks, settings.LeaseTtl.Ticks / 3));
        var lastRenewal = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(period);
        do
        {
            try
            {
                // A swap renews the lease itself; otherwise renew at a third of its lifetime.
                if (await refresher.RefreshAsync(stoppingToken))
                {
                    lastRenewal = DateTimeOffset.UtcNow;
                }
                else if (DateTimeOffset.UtcNow - lastRenewal >= settings.LeaseTtl / 3)
                {
                    await refresher.RenewLeaseAsync();
                    lastRenewal = DateTimeOffset.UtcNow;
                }
            }
            catch (Exception e) when (RedisFailure.Is(e))
            {
                logger.LogWarning("Cannot refresh the model from Redis: {Reason}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await store.ReleaseLeaseAsync(options.Value.InstanceId);
        }
        catch (Exception e) when (RedisFailure.Is(e))
        {
            // The lease expires by itself.
            logger.LogDebug("Lease not released: {Reason}", e.Message);
        }
    }
}
