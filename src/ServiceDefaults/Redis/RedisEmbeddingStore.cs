using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Spumr.Core.Embeddings;
using StackExchange.Redis;

namespace Spumr.ServiceDefaults.Redis;

/// <summary>
/// Versioned embeddings in Redis: the Trainer publishes and rolls back, Serving reads and leases,
/// and old versions are collected once nothing refers to them. A version becomes visible only by the
/// atomic switch of the live pointer, after every key of it (ending with its completeness marker) is
/// acknowledged, so a reader never sees a half-written or mixed version.
/// </summary>
public sealed class RedisEmbeddingStore
{
    // Switches the pointer to a finished version. Refuses an unfinished one, and never moves the pointer
    // back to an older version (that is what rollback is for): a slower concurrent publisher loses.
    private const string SwitchScript = """
        if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
        redis.call('ZADD', KEYS[3], ARGV[1], ARGV[1])
        redis.call('ZREM', KEYS[4], ARGV[1])
        local live = redis.call('GET', KEYS[1])
        if live and tonumber(live) > tonumber(ARGV[1]) then return tonumber(live) end
        redis.call('SET', KEYS[1], ARGV[1])
        return 0
        """;

    private const string RollbackScript = """
        if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
        redis.call('SET', KEYS[1], ARGV[1])
        return 1
        """;

    // Takes a version out of reach (marker and listings gone) unless it is live or leased; its data
    // is deleted afterwards. Once retired, rollback refuses it.
    private const string RetireScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return 0 end
        for i = 5, #KEYS do
            if redis.call('GET', KEYS[i]) == ARGV[1] then return 0 end
        end
        redis.call('DEL', KEYS[2])
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('ZREM', KEYS[4], ARGV[1])
        return 1
        """;

    private const string RenewLeaseScript = """
        redis.call('SADD', KEYS[1], ARGV[1])
        redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
        return 1
        """;

    private const string ForgetExpiredLeaseScript = """
        if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('SREM', KEYS[1], ARGV[1]) return 1 end
        return 0
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly EmbeddingStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public RedisEmbeddingStore(
        IConnectionMultiplexer redis,
        IOptions<EmbeddingStoreOptions> options,
        TimeProvider? time = null,
        ILogger<RedisEmbeddingStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        Keys = new EmbeddingKeys(_options.KeyPrefix);
    }

    public EmbeddingKeys Keys { get; }

    private IDatabase Db => _redis.GetDatabase();

    /// <summary>
    /// Writes <paramref name="publication"/> as a new version, switches the live pointer to it, then
    /// collects versions no longer needed. Returns the new version number.
    /// </summary>
    /// <exception cref="EmbeddingStoreException">A newer version went live while this one was written.</exception>
    public async Task<long> PublishAsync(EmbeddingPublication publication, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publication);
        var db = Db;
        var now = _time.GetUtcNow();
        var version = await db.StringIncrementAsync(Keys.NextVersion);
        await db.SortedSetAddAsync(Keys.Pending, version, now.ToUnixTimeMilliseconds());

        var d = publication.Dimension;
        var itemChunkRows = Math.Max(1, _options.ItemChunkBytes / (d * sizeof(float)));
        var metadata = new EmbeddingVersionMetadata(
            version, publication.Model, publication.Metrics, publication.GraphSnapshotPosition, now, d,
            publication.UserIds.Count, publication.ItemIds.Count, itemChunkRows, _options.UserIdChunkSize, publication.Popularity);

        // Metadata and id lists go first: they name every other key, so a crashed write can be collected.
        await db.StringSetAsync(Keys.Metadata(version), metadata.ToJson());
        var batch = new CommandBatch(_options.PipelineDepth);
        for (var c = 0; c < metadata.UserChunkCount; c++)
        {
            var ids = Slice(publication.UserIds, c * metadata.UserChunkSize, metadata.UserChunkSize);
            await batch.AddAsync(db.StringSetAsync(Keys.UserIds(version, c), IdListCodec.Encode(ids)));
        }

        for (var c = 0; c < metadata.ItemChunkCount; c++)
        {
            var ids = Slice(publication.ItemIds, c * itemChunkRows, itemChunkRows);
            await batch.AddAsync(db.StringSetAsync(Keys.ItemIds(version, c), IdListCodec.Encode(ids)));
        }

        await batch.FlushAsync();
        for (var c = 0; c < metadata.ItemChunkCount; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var first = c * itemChunkRows;
            var rows = Math.Min(itemChunkRows, publication.ItemIds.Count - first);
            var vectors = VectorCodec.Encode(publication.ItemMatrix.AsSpan(first * d, rows * d));
            await batch.AddAsync(db.StringSetAsync(Keys.ItemVectors(version, c), vectors));
        }

        for (var u = 0; u < publication.UserIds.Count; u++)
        {
            if ((u & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            await batch.AddAsync(db.StringSetAsync(Keys.User(version, publication.UserIds[u]), VectorCodec.Encode(publication.UserRow(u))));
        }

        await batch.FlushAsync();
        await db.StringSetAsync(Keys.Complete(version), now.ToString("O", CultureInfo.InvariantCulture));

        var switched = (long)await db.ScriptEvaluateAsync(
            SwitchScript, [Keys.Live, Keys.Complete(version), Keys.Versions, Keys.Pending], [version]);
        if (switched != 0)
        {
            throw new EmbeddingStoreException(switched < 0
                ? $"Version {version} lost its completeness marker before the switch; it was not made live."
                : $"Version {switched} went live while version {version} was being written; {version} is stored but not live.");
        }

        _logger.LogInformation("Published embedding version {Version} ({Model}, {Users} users, {Items} items, d={Dimension})",
            version, publication.Model, publication.UserIds.Count, publication.ItemIds.Count, d);
        try
        {
            await CollectGarbageAsync(cancellationToken);
        }
        catch (RedisException e)
        {
            // The version is live; collection is retried by the next publish or an explicit call.
            _logger.LogWarning(e, "Garbage collection after publishing version {Version} failed", version);
        }

        return version;
    }

    /// <summary>
    /// Points the live pointer back at <paramref name="toVersion"/>, or, when null, at the newest complete
    /// version older than the live one. Returns the version now live.
    /// </summary>
    /// <exception cref="EmbeddingStoreException">The version is missing or incomplete, or there is none to go back to.</exception>
    public async Task<long> RollbackAsync(long? toVersion = null, CancellationToken cancellationToken = default)
    {
        var db = Db;
        var live = await GetLiveVersionAsync()
            ?? throw new EmbeddingStoreException("No version is live, so there is nothing to roll back from.");
        if (toVersion is { } target)
        {
            if (target <= 0)
            {
                throw new EmbeddingStoreException($"Version {target} does not exist (versions start at 1).");
            }

            if (target == live)
            {
                return live;
            }

            if (!await TrySwitchBackAsync(db, target))
            {
                throw new EmbeddingStoreException($"Version {target} is missing or incomplete; version {live} stays live.");
            }

            return target;
        }

        var older = await db.SortedSetRangeByScoreAsync(Keys.Versions, double.NegativeInfinity, live, Exclude.Stop, Order.Descending);
        foreach (var candidate in older)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await TrySwitchBackAsync(db, (long)candidate))
            {
                return (long)candidate;
            }
        }

        throw new EmbeddingStoreException($"No complete version older than the live version {live} is stored.");
    }

    /// <summary>
    /// Deletes versions that nothing refers to any more. Kept: the live version, the newest
    /// <see cref="EmbeddingStoreOptions.KeepVersions"/> complete versions, and every version a reader
    /// holds a lease on. Unfinished writes older than <see cref="EmbeddingStoreOptions.AbandonedWriteAfter"/>
    /// are deleted too. Keys go with UNLINK, pipelined, one key per command (cluster-safe).
    /// </summary>
    public async Task<GarbageCollectionReport> CollectGarbageAsync(CancellationToken cancellationToken = default)
    {
        var db = Db;
        var live = await GetLiveVersionAsync();
        var complete = (await db.SortedSetRangeByScoreAsync(Keys.Versions, order: Order.Descending)).Select(v => (long)v).ToList();
        var abandonedBefore = (_time.GetUtcNow() - _options.AbandonedWriteAfter).ToUnixTimeMilliseconds();
        var abandoned = (await db.SortedSetRangeByScoreAsync(Keys.Pending, double.NegativeInfinity, abandonedBefore)).Select(v => (long)v);
        var leases = await ReadLeasesAsync(db);
        var leased = leases.Values.ToHashSet();

        var candidates = complete.Skip(_options.KeepVersions).Concat(abandoned).Where(v => v != live).Distinct().Order().ToList();
        var deleted = new List<long>();
        var keptForLeases = new List<long>();
        long keysDeleted = 0;
        var leaseKeys = leases.Keys.Select(i => (RedisKey)Keys.Lease(i));
        foreach (var version in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (leased.Contains(version))
            {
                keptForLeases.Add(version);
                continue;
            }

            RedisKey[] keys = [Keys.Live, Keys.Complete(version), Keys.Versions, Keys.Pending, .. leaseKeys];
            var retired = (long)await db.ScriptEvaluateAsync(RetireScript, keys, [version]);
            if (retired == 0)
            {
                keptForLeases.Add(version);
                continue;
            }

            keysDeleted += await DeleteVersionDataAsync(db, version, cancellationToken);
            deleted.Add(version);
        }

        if (deleted.Count > 0)
        {
            _logger.LogInformation("Collected embedding versions {Versions} ({Keys} keys)", deleted, keysDeleted);
        }

        return new GarbageCollectionReport(deleted, keptForLeases, keysDeleted);
    }

    /// <summary>Registers (or renews) that reader <paramref name="instance"/> serves <paramref name="version"/>; GC keeps it while the lease lives.</summary>
    public async Task RenewLeaseAsync(string instance, long version, TimeSpan ttl)
    {
        ExternalId.Validate(instance, nameof(instance));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        var ms = (long)Math.Max(1, ttl.TotalMilliseconds);
        await Db.ScriptEvaluateAsync(RenewLeaseScript, [Keys.LeaseIndex, Keys.Lease(instance)], [instance, version, ms]);
    }

    public async Task ReleaseLeaseAsync(string instance)
    {
        ExternalId.Validate(instance, nameof(instance));
        var db = Db;
        await db.KeyDeleteAsync(Keys.Lease(instance));
        await db.SetRemoveAsync(Keys.LeaseIndex, instance);
    }

    /// <summary>Live leases: reader instance to the version it serves.</summary>
    public Task<IReadOnlyDictionary<string, long>> GetLeasesAsync() => ReadLeasesAsync(Db);

    /// <summary>The live version number, or null when nothing was published yet.</summary>
    public async Task<long?> GetLiveVersionAsync()
    {
        var value = await Db.StringGetAsync(Keys.Live);
        return value.IsNull ? null : (long)value;
    }

    /// <summary>
    /// The live version's metadata (its number, model and metrics; what the Trainer compares a new model
    /// against), or null when nothing was published yet. Follows the pointer again if the version it
    /// read was switched away from and collected in between.
    /// </summary>
    public async Task<EmbeddingVersionMetadata?> GetLiveMetadataAsync()
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await GetLiveVersionAsync() is not { } live)
            {
                return null;
            }

            if (await GetMetadataAsync(live) is { } metadata)
            {
                return metadata;
            }
        }

        throw new EmbeddingStoreException("The live version kept changing while its metadata was read.");
    }

    /// <summary>The metadata of <paramref name="version"/>, or null when it is not a complete stored version.</summary>
    public async Task<EmbeddingVersionMetadata?> GetMetadataAsync(long version)
    {
        var db = Db;
        var meta = db.StringGetAsync(Keys.Metadata(version));
        var complete = db.KeyExistsAsync(Keys.Complete(version));
        await Task.WhenAll(meta, complete);
        return !complete.Result || meta.Result.IsNull ? null : EmbeddingVersionMetadata.FromJson((byte[])meta.Result!);
    }

    public async Task<bool> IsCompleteAsync(long version) => await Db.KeyExistsAsync(Keys.Complete(version));

    /// <summary>Stored versions, newest first, with the live one and unfinished ones marked.</summary>
    public async Task<IReadOnlyList<StoredVersion>> ListVersionsAsync()
    {
        var db = Db;
        var live = await GetLiveVersionAsync();
        var complete = (await db.SortedSetRangeByScoreAsync(Keys.Versions)).Select(v => (long)v);
        var pending = (await db.SortedSetRangeByScoreAsync(Keys.Pending)).Select(v => (long)v).ToHashSet();
        return complete.Concat(pending).Distinct().OrderDescending()
            .Select(v => new StoredVersion(v, v == live, !pending.Contains(v)))
            .ToList();
    }

    /// <summary>
    /// All item vectors of <paramref name="version"/>, or null when the version is incomplete or was
    /// collected (also when that happened while reading: the marker is checked again at the end).
    /// </summary>
    public async Task<ItemEmbeddings?> ReadItemsAsync(long version, CancellationToken cancellationToken = default)
    {
        var db = Db;
        var meta = await GetMetadataAsync(version);
        if (meta is null)
        {
            return null;
        }

        var chunks = meta.ItemChunkCount;
        var idTasks = new Task<RedisValue>[chunks];
        var vectorTasks = new Task<RedisValue>[chunks];
        for (var c = 0; c < chunks; c++)
        {
            idTasks[c] = db.StringGetAsync(Keys.ItemIds(version, c));
            vectorTasks[c] = db.StringGetAsync(Keys.ItemVectors(version, c));
        }

        await Task.WhenAll(idTasks.Concat(vectorTasks));
        cancellationToken.ThrowIfCancellationRequested();
        if (!await IsCompleteAsync(version))
        {
            return null;
        }

        var d = meta.Dimension;
        var ids = new string[meta.ItemCount];
        var matrix = new float[(long)meta.ItemCount * d];
        var row = 0;
        for (var c = 0; c < chunks; c++)
        {
            if (idTasks[c].Result.IsNull || vectorTasks[c].Result.IsNull)
            {
                throw new EmbeddingStoreException($"Version {version} is marked complete but item chunk {c} is missing.");
            }

            var chunkIds = IdListCodec.Decode((byte[])idTasks[c].Result!);
            var bytes = (byte[])vectorTasks[c].Result!;
            if (row + chunkIds.Length > ids.Length || bytes.Length != chunkIds.Length * d * sizeof(float))
            {
                throw new EmbeddingStoreException($"Version {version}: item chunk {c} does not match its metadata.");
            }

            chunkIds.CopyTo(ids, row);
            VectorCodec.Decode(bytes, matrix.AsSpan(row * d, chunkIds.Length * d));
            row += chunkIds.Length;
        }

        if (row != ids.Length)
        {
            throw new EmbeddingStoreException($"Version {version} holds {row} items, its metadata says {ids.Length}.");
        }

        return new ItemEmbeddings(version, ids, matrix, d);
    }

    /// <summary>The user's vector in <paramref name="version"/>, or null when the user has none there.</summary>
    public async Task<float[]?> ReadUserVectorAsync(long version, string userId)
    {
        ExternalId.Validate(userId, nameof(userId));
        var value = await Db.StringGetAsync(Keys.User(version, userId));
        return value.IsNull ? null : VectorCodec.Decode((byte[])value!);
    }

    private async Task<bool> TrySwitchBackAsync(IDatabase db, long target) =>
        (long)await db.ScriptEvaluateAsync(RollbackScript, [Keys.Live, Keys.Complete(target)], [target]) == 1;

    private async Task<IReadOnlyDictionary<string, long>> ReadLeasesAsync(IDatabase db)
    {
        var instances = (await db.SetMembersAsync(Keys.LeaseIndex)).Select(m => (string)m!).ToArray();
        var leases = new Dictionary<string, long>(StringComparer.Ordinal);
        if (instances.Length == 0)
        {
            return leases;
        }

        var values = await db.StringGetAsync(instances.Select(i => (RedisKey)Keys.Lease(i)).ToArray());
        for (var i = 0; i < instances.Length; i++)
        {
            if (values[i].IsNull)
            {
                await db.ScriptEvaluateAsync(ForgetExpiredLeaseScript, [Keys.LeaseIndex, Keys.Lease(instances[i])], [instances[i]]);
            }
            else
            {
                leases[instances[i]] = (long)values[i];
            }
        }

        return leases;
    }

    private async Task<long> DeleteVersionDataAsync(IDatabase db, long version, CancellationToken cancellationToken)
    {
        var metaValue = await db.StringGetAsync(Keys.Metadata(version));
        if (metaValue.IsNull)
        {
            // Metadata is written before anything else, so without it there is nothing else to delete.
            return 0;
        }

        var meta = EmbeddingVersionMetadata.FromJson((byte[])metaValue!);
        var batch = new CommandBatch(_options.PipelineDepth);
        for (var c = 0; c < meta.UserChunkCount; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = await db.StringGetAsync(Keys.UserIds(version, c));
            if (chunk.IsNull)
            {
                continue;
            }

            foreach (var user in IdListCodec.Decode((byte[])chunk!))
            {
                await batch.AddAsync(Unlink(db, Keys.User(version, user)));
            }
        }

        for (var c = 0; c < meta.ItemChunkCount; c++)
        {
            await batch.AddAsync(Unlink(db, Keys.ItemIds(version, c)));
            await batch.AddAsync(Unlink(db, Keys.ItemVectors(version, c)));
        }

        await batch.FlushAsync();
        for (var c = 0; c < meta.UserChunkCount; c++)
        {
            await batch.AddAsync(Unlink(db, Keys.UserIds(version, c)));
        }

        // Metadata last: as long as data remains, a repeated collection can still find it.
        await batch.FlushAsync();
        await Unlink(db, Keys.Metadata(version));
        return batch.Sent + 1;
    }

    private static Task Unlink(IDatabase db, string key) => db.ExecuteAsync("UNLINK", (RedisKey)key);

    private static IEnumerable<string> Slice(IReadOnlyList<string> ids, int start, int count)
    {
        var end = Math.Min(ids.Count, start + count);
        for (var i = start; i < end; i++)
        {
            yield return ids[i];
        }
    }
}
