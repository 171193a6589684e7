using Spumr.Core.Events;
using Spumr.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Spumr.GraphMaintainer.Worker;

/// <summary>
/// Adds a batch's interactions to the users' seen-item sets in Redis (one pipelined SADD per user),
/// retrying until it succeeds: a snapshot may only cover a batch once its seen items are stored,
/// because the events below a snapshot's position are never read again. SADD makes a repeated
/// write (the same events after a restart) harmless.
/// </summary>
internal sealed class SeenItemsWriter(RedisSeenItemsStore store, GraphMaintainerStatus status, ILogger logger)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Writes, retrying with back-off until it succeeds. <paramref name="giveUp"/> only ends the
    /// retries (then this throws): an attempt is never cut short, so a stop requested while Redis
    /// answers still lets the batch finish.
    /// </summary>
    public void Write(IReadOnlyList<InteractionEvent> interactions, CancellationToken giveUp)
    {
        if (interactions.Count == 0)
        {
            return;
        }

        var byUser = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var e in interactions)
        {
            if (!byUser.TryGetValue(e.UserId, out var items))
            {
                items = new HashSet<string>(StringComparer.Ordinal);
                byUser.Add(e.UserId, items);
            }

            items.Add(e.ItemId);
        }

        var seen = byUser.Select(u => new UserSeenItems(u.Key, u.Value)).ToList();
        var wait = FirstRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // The consume loop has its own thread and no synchronization context: blocking is fine.
                store.AddAsync(seen, CancellationToken.None).GetAwaiter().GetResult();
                if (attempt > 1)
                {
                    status.RedisRecovered();
                    logger.LogInformation("Seen items written to Redis after {Attempts} attempts", attempt);
                }

                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                status.AddRedisFailure();
                logger.LogWarning("Writing seen items of {Users} users to Redis failed (attempt {Attempt}): {Error}; retrying in {Wait} ms", seen.Count, attempt, e.Message, wait.TotalMilliseconds);
                giveUp.WaitHandle.WaitOne(wait);
                giveUp.ThrowIfCancellationRequested();
                wait = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, wait.Ticks * 2));
            }
        }
    }
}
