using Microsoft.Extensions.Options;
using Spumr.Core.Embeddings;
using StackExchange.Redis;

namespace Spumr.ServiceDefaults.Redis;

/// <summary>Items one user has interacted with, as the GraphMaintainer reports them.</summary>
public sealed record UserSeenItems(string UserId, IReadOnlyCollection<string> ItemIds);

/// <summary>
/// Seen items per user: a Redis SET of item external ids under <see cref="EmbeddingKeys.SeenItems"/>.
/// External ids rather than row numbers because rows change from version to version, while the
/// GraphMaintainer writes continuously across versions. SADD keeps replays idempotent.
/// </summary>
public sealed class RedisSeenItemsStore(IConnectionMultiplexer redis, IOptions<EmbeddingStoreOptions> options)
{
    private readonly EmbeddingKeys _keys = new(options.Value.KeyPrefix);
    private readonly int _depth = options.Value.PipelineDepth;

    /// <summary>Adds items to users' seen sets, pipelined (one SADD per user).</summary>
    public async Task AddAsync(IEnumerable<UserSeenItems> seen, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seen);
        var db = redis.GetDatabase();
        var batch = new CommandBatch(_depth);
        foreach (var user in seen)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ExternalId.Validate(user.UserId, "userId");
            if (user.ItemIds.Count == 0)
            {
                continue;
            }

            var members = new RedisValue[user.ItemIds.Count];
            var i = 0;
            foreach (var item in user.ItemIds)
            {
                ExternalId.Validate(item, "itemId");
                members[i++] = item;
            }

            await batch.AddAsync(db.SetAddAsync(_keys.SeenItems(user.UserId), members));
        }

        await batch.FlushAsync();
    }

    /// <summary>The user's seen item ids (empty when the user has none).</summary>
    public async Task<string[]> GetAsync(string userId)
    {
        ExternalId.Validate(userId, nameof(userId));
        var members = await redis.GetDatabase().SetMembersAsync(_keys.SeenItems(userId));
        var ids = new string[members.Length];
        for (var i = 0; i < members.Length; i++)
        {
            ids[i] = members[i]!;
        }

        return ids;
    }
}
