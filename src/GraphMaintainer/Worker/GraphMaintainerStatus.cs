using Spumr.GraphMaintainer.Snapshots;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.GraphMaintainer.Worker;

/// <summary>Live facts about the GraphMaintainer worker, for health checks, metrics, logs and tests. Thread-safe.</summary>
public sealed class GraphMaintainerStatus
{
    private long _consumed;
    private long _applied;
    private long _duplicates;
    private long _deadLettered;
    private long _batches;
    private long _snapshots;
    private long _redisFailures;
    private long _lag = -1;
    private long _restoredPosition;
    private int _users;
    private int _items;
    private volatile bool _snapshotLoaded;
    private volatile bool _caughtUp;
    private volatile bool _redisFailing;
    private volatile SnapshotFile? _restoredFrom;
    private volatile SnapshotFile? _lastSnapshot;

    /// <summary>Canonical messages read.</summary>
    public long Consumed => Interlocked.Read(ref _consumed);

    /// <summary>Events that changed the state (first sight of their id).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Events whose id the state had applied before (no effect).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Messages set aside to the dead-letter topic.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Snapshots written by this process.</summary>
    public long SnapshotsWritten => Interlocked.Read(ref _snapshots);

    /// <summary>Failed attempts to write seen items to Redis (each is retried).</summary>
    public long RedisFailures => Interlocked.Read(ref _redisFailures);

    /// <summary>The last attempt to write seen items to Redis failed; the worker is retrying (the stream waits).</summary>
    public bool RedisFailing => _redisFailing;

    /// <summary>Messages on the topics not yet applied, over all partitions; -1 before it is known.</summary>
    public long Lag => Interlocked.Read(ref _lag);

    public int UserCount => Volatile.Read(ref _users);

    public int ItemCount => Volatile.Read(ref _items);

    /// <summary>The state is in memory (from a snapshot or empty) and the worker reads the topics.</summary>
    public bool SnapshotLoaded => _snapshotLoaded;

    /// <summary>The state has applied everything that was on the topics when the worker started.</summary>
    public bool CaughtUp => _caughtUp;

    /// <summary>The snapshot the state was restored from at start; null when it started empty.</summary>
    public SnapshotFile? RestoredFrom => _restoredFrom;

    /// <summary>Messages the restored snapshot covered (summed over partitions); 0 when the state started empty.</summary>
    public long RestoredPosition => Interlocked.Read(ref _restoredPosition);

    /// <summary>The last snapshot this process wrote.</summary>
    public SnapshotFile? LastSnapshot => _lastSnapshot;

    /// <summary>The consume loop, once it has started.</summary>
    public KafkaConsumeLoop? Loop { get; internal set; }

    internal void AddConsumed() => Interlocked.Increment(ref _consumed);

    internal void AddDeadLettered() => Interlocked.Increment(ref _deadLettered);

    internal void AddBatch(int applied, int duplicates, int users, int items)
    {
        Interlocked.Add(ref _applied, applied);
        Interlocked.Add(ref _duplicates, duplicates);
        Interlocked.Increment(ref _batches);
        Volatile.Write(ref _users, users);
        Volatile.Write(ref _items, items);
    }

    internal void AddRedisFailure()
    {
        Interlocked.Increment(ref _redisFailures);
        _redisFailing = true;
    }

    internal void RedisRecovered() => _redisFailing = false;

    internal void SetLag(long lag) => Interlocked.Exchange(ref _lag, lag);

    internal void Restored(SnapshotFile? file, long position, int users, int items)
    {
        _restoredFrom = file;
        Interlocked.Exchange(ref _restoredPosition, position);
        Volatile.Write(ref _users, users);
        Volatile.Write(ref _items, items);
        _snapshotLoaded = true;
    }

    internal void MarkCaughtUp() => _caughtUp = true;

    internal void SnapshotWritten(SnapshotFile file)
    {
        _lastSnapshot = file;
        Interlocked.Increment(ref _snapshots);
    }

    public override string ToString() =>
        $"consumed {Consumed}, applied {Applied}, duplicates {Duplicates}, dead-lettered {DeadLettered}, batches {Batches}, "
        + $"snapshots {SnapshotsWritten}, lag {Lag}, users {UserCount}, items {ItemCount}, caught up {CaughtUp}";
}
