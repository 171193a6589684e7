using Spumr.ServiceDefaults.Redis;

namespace Spumr.Serving.Tests;

public sealed class RedisEmbeddingStoreTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private readonly string _prefix = TestEmbeddings.NewPrefix();

    [Fact]
    public async Task Published_version_reads_back_exactly()
    {
        var store = TestEmbeddings.Store(redis.Connection, _prefix);
        var p = TestEmbeddings.Random(users: 23, items: 200, d: 16, seed: 1, model: "SPUMR");
        Assert.Null(await store.GetLiveMetadataAsync());

        var version = await store.PublishAsync(p);
        Assert.Equal(version, (await store.GetLiveMetadataAsync())!.Version);

        Assert.Equal(1, version);
        Assert.Equal(version, await store.GetLiveVersionAsync());
        var meta = await store.GetMetadataAsync(version);
        Assert.NotNull(meta);
        Assert.Equal(("SPUMR", 16, 23, 200), (meta.Model, meta.Dimension, meta.UserCount, meta.ItemCount));
        Assert.Equal(p.Metrics["validation/recall@20"], meta.Metrics["validation/recall@20"]);
        Assert.Equal("offsets:1", meta.GraphSnapshotPosition);
        Assert.Equal(p.Popularity, meta.Popularity);
        Assert.True(meta.ItemChunkCount > 1, "the test wants several item chunks");

        var items = await store.ReadItemsAsync(version);
        Assert.NotNull(items);
        Assert.Equal(p.ItemIds, items.Ids);
        Assert.Equal(p.ItemMatrix, items.Matrix);
        Assert.Equal(TestEmbeddings.UserVector(p, "u17"), await store.ReadUserVectorAsync(version, "u17"));
        Assert.Null(await store.ReadUserVectorAsync(version, "nobody"));
    }

    [Fact]
    public async Task User_vectors_are_stored_as_little_endian_float32()
    {
        var store = TestEmbeddings.Store(redis.Connection, _prefix);
        var p = TestEmbeddings.Random(users: 2, items: 3, d: 4, seed: 2);
        var version = await store.PublishAsync(p);

        byte[] raw = (await redis.Connection.GetDatabase().StringGetAsync(store.Keys.User(version, "u1")))!;

        Assert.Equal(16, raw.Length);
        Assert.Equal(p.UserMatrix[4], BitConverter.ToSingle(raw.AsSpan(0, 4)));
        Assert.Equal(p.UserMatrix[7], System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(12, 4)));
    }

    [Fact]
    public async Task A_reader_during_the_switch_never_sees_a_mix_of_versions()
    {
        var store = TestEmbeddings.Store(redis.Connection, _prefix, keep: 10);
        // Every value of version n is n, so any mix shows.
        await store.PublishAsync(TestEmbeddings.Random(200, 300, 8, seed: 1, constant: 1f));
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var seen = new HashSet<long>();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var live = (await store.GetLiveVersionAsync())!.Value;
                var meta = await store.GetMetadataAsync(live);
                var items = await store.ReadItemsAsync(live);
                var user = await store.ReadUserVectorAsync(live, "u150");
                Assert.NotNull(meta);
                Assert.NotNull(items);
                Assert.NotNull(user);
                Assert.Equal(live, meta.Version);
                Assert.All(items.Matrix, v => Assert.Equal(live, v));
                Assert.All(user, v => Assert.Equal(live, v));
                seen.Add(live);
                reads++;
            }
        });

        for (var v = 2; v <= 4; v++)
        {
            Assert.Equal(v, await store.PublishAsync(TestEmbeddings.Random(200, 300, 8, seed: v, constant: v)));
        }

        await Task.Delay(50);
        await stop.CancelAsync();
        await reader;
        Assert.True(reads > 3, $"the reader ran {reads} times");
        Assert.Contains(4L, seen);
    }

    [Fact]
    public async Task Rollback_returns_to_version_1_and_version_2_stays_intact_until_collected()
    {
        var store = TestEmbeddings.Store(redis.Connection, _prefix, keep: 2);
        var p1 = TestEmbeddings.Random(10, 20, 4, seed: 1);
        var p2 = TestEmbeddings.Random(10, 20, 4, seed: 2);
        await store.PublishAsync(p1);
        await store.PublishAsync(p2);

        Assert.Equal(1, await store.RollbackAsync());

        Assert.Equal(1, await store.GetLiveVersionAsync());
        Assert.Equal(p1.ItemMatrix, (await store.ReadItemsAsync(1))!.Matrix);
        Assert.Equal(p2.ItemMatrix, (await store.ReadItemsAsync(2))!.Matrix);
        Assert.Equal(2, await store.RollbackAsync(2));
        Assert.Equal(1, await store.RollbackAsync(1));

        // Version 3 goes live, so 1 (no longer live, not among the last two) goes; version 4 pushes 2 out.
        await store.PublishAsync(TestEmbeddings.Random(10, 20, 4, seed: 3));
        Assert.Null(await store.ReadItemsAsync(1));
        Assert.Equal(p2.ItemMatrix, (await store.ReadItemsAsync(2))!.Matrix);
        await store.PublishAsync(TestEmbeddings.Random(10, 20, 4, seed: 4));
        Assert.Null(await store.ReadItemsAsync(2));
        Assert.Empty(await TestEmbeddings.KeysAsync(redis.Connection, $"{_prefix}:v2:*"));
        var error = await Assert.ThrowsAsync<EmbeddingStoreException>(() => store.RollbackAsync(2));
        Assert.Contains("Version 2 is missing or incomplete", error.Message);
    }

    [Fact]
    public async Task Rollback_refuses_missing_and_incomplete_versions()
    {
        var store = TestEmbeddings.Store(redis.Connection, _prefix);
        var none = await Assert.ThrowsAsync<EmbeddingStoreException>(() => store.RollbackAsync());
        Assert.Contains("No version is live", none.Message);

        await store.PublishAsync(TestEmbeddings.Random(5, 5, 4, seed: 1));
        await store.PublishAsync(TestEmbeddings.Random(5, 5, 4, seed: 2));
        var missing = await Assert.ThrowsAsync<EmbeddingStoreException>(() => store.RollbackAsync(9));
        Assert.Contains("Version 9 is missing or incomplete; version 2 stays live", missing.Message);

        // A write that died before its marker: the data is there, the marker is not.
        await redis.Connection.GetDatabase().KeyDeleteAsync(store.Keys.Complete(1));
        var incomplete = await Assert.ThrowsAsync<EmbeddingStoreException>(() => store.RollbackAsync(1));
        Assert.Contains("Version 1 is missing or incomplete", incomplete.Message);
        var noPrevious = await Assert.ThrowsAsync<EmbeddingStoreException>(() => store.RollbackAsync());
        Assert.Contains("No complete version older than the live version 2", noPrevious.Message);
        Assert.Equal(2, await store.GetLiveVersionAsync());
    }

    [Fact]
    public async Task Garbage_collection_keeps_the_last_versions_and_leased_ones_and_deletes_every_key_of_the_rest()
    {
        var store = TestEmbeddings.Store(redis.Connection, _prefix, keep: 2);
        await store.PublishAsync(TestEmbeddings.Random(20, 30, 4, seed: 1));
        await store.RenewLeaseAsync("serving-a", 1, TimeSpan.FromMinutes(1));
        await store.PublishAsync(TestEmbeddings.Random(20, 30, 4, seed: 2));
        await store.PublishAsync(TestEmbeddings.Random(20, 30, 4, seed: 3));
        await store.PublishAsync(TestEmbeddings.Random(20, 30, 4, seed: 4));

        // 1 is leased, 2 fell out of the last two, 3 and 4 are the last two.
        Assert.NotNull(await store.ReadItemsAsync(1));
        Assert.Null(await store.ReadItemsAsync(2));
        Assert.Empty(await TestEmbeddings.KeysAsync(redis.Connection, $"{_prefix}:v2:*"));
        Assert.Empty(await TestEmbeddings.KeysAsync(redis.Connection, "{" + _prefix + "}:v2:*"));
        Assert.Equal([4L, 3L, 1L], (await store.ListVersionsAsync()).Select(v => v.Version));

        var kept = await store.CollectGarbageAsync();
        Assert.Equal([1L], kept.KeptForLeases);
        Assert.Empty(kept.Deleted);

        await store.ReleaseLeaseAsync("serving-a");
        var report = await store.CollectGarbageAsync();
        Assert.Equal([1L], report.Deleted);
        Assert.True(report.KeysDeleted >= 20 + 2, $"{report.KeysDeleted} keys deleted");
        Assert.Empty(await TestEmbeddings.KeysAsync(redis.Connection, $"{_prefix}:v1:*"));
        Assert.NotNull(await store.ReadItemsAsync(3));
    }

    [Fact]
    public async Task An_expired_lease_no_longer_protects_its_version()
    {
        var store = TestEmbeddings.Store(redis.Connection, _prefix, keep: 1);
        await store.PublishAsync(TestEmbeddings.Random(5, 5, 4, seed: 1));
        await store.RenewLeaseAsync("serving-b", 1, TimeSpan.FromMilliseconds(200));
        await store.PublishAsync(TestEmbeddings.Random(5, 5, 4, seed: 2));
        Assert.NotNull(await store.ReadItemsAsync(1));

        await Task.Delay(400);
        var report = await store.CollectGarbageAsync();

        Assert.Equal([1L], report.Deleted);
        Assert.Empty(await store.GetLeasesAsync());
    }

    [Fact]
    public async Task A_crashed_write_is_never_visible_and_is_collected_once_abandoned()
    {
        var store = TestEmbeddings.Store(redis.Connection, _prefix, abandonedAfter: TimeSpan.FromMilliseconds(100));
        await store.PublishAsync(TestEmbeddings.Random(30, 30, 4, seed: 1));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.PublishAsync(TestEmbeddings.Random(30, 30, 4, seed: 2), cancelled.Token));

        Assert.Equal(1, await store.GetLiveVersionAsync());
        Assert.Null(await store.GetMetadataAsync(2));
        Assert.NotEmpty(await TestEmbeddings.KeysAsync(redis.Connection, $"{_prefix}:v2:*"));
        Assert.Contains(await store.ListVersionsAsync(), v => v is { Version: 2, IsComplete: false });
        await Assert.ThrowsAsync<EmbeddingStoreException>(() => store.RollbackAsync(2));

        await Task.Delay(200);
        var report = await store.CollectGarbageAsync();
        Assert.Equal([2L], report.Deleted);
        Assert.Empty(await TestEmbeddings.KeysAsync(redis.Connection, $"{_prefix}:v2:*"));
        Assert.Empty(await TestEmbeddings.KeysAsync(redis.Connection, "{" + _prefix + "}:v2:*"));
    }

    [Fact]
    public async Task Seen_items_are_added_in_batches_and_read_per_user()
    {
        var seen = TestEmbeddings.SeenStore(redis.Connection, _prefix);
        await seen.AddAsync([new UserSeenItems("u1", ["i1", "i2"]), new UserSeenItems("u2", ["i3"])]);
        await seen.AddAsync([new UserSeenItems("u1", ["i2", "i9"]), new UserSeenItems("u3", [])]);

        Assert.Equal(["i1", "i2", "i9"], (await seen.GetAsync("u1")).Order());
        Assert.Equal(["i3"], await seen.GetAsync("u2"));
        Assert.Empty(await seen.GetAsync("u3"));
        var bad = await Assert.ThrowsAsync<ArgumentException>(() => seen.AddAsync([new UserSeenItems("u 1", ["i1"])]));
        Assert.Contains("'u 1' contains whitespace", bad.Message);
    }

    [Fact]
    public async Task Key_layout_puts_control_keys_in_one_slot_and_spreads_users()
    {
        var store = TestEmbeddings.Store(redis.Connection, _prefix);
        await store.PublishAsync(TestEmbeddings.Random(3, 3, 4, seed: 1));
        var keys = store.Keys;
        var control = new[] { keys.Live, keys.NextVersion, keys.Versions, keys.Pending, keys.LeaseIndex, keys.Lease("x"), keys.Metadata(1), keys.Complete(1) };

        Assert.Single(control.Select(k => HashSlot(k)).Distinct());
        Assert.True(new[] { "a", "b", "c", "d", "e", "f" }.Select(u => HashSlot(keys.User(1, u))).Distinct().Count() > 3);
        Assert.Equal("1", (string?)await redis.Connection.GetDatabase().StringGetAsync(keys.Live));
    }

    /// <summary>Redis Cluster's slot of a key: CRC16 (XMODEM) of its hash tag, or of the whole key, mod 16384.</summary>
    private static int HashSlot(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open >= 0)
        {
            var close = key.IndexOf('}', open + 1);
            if (close > open + 1)
            {
                key = key[(open + 1)..close];
            }
        }

        ushort crc = 0;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(key))
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }

        return crc % 16384;
    }
}
