using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest.Worker;

/// <summary>Live counters of the Ingest worker, for health checks, logs and tests. Thread-safe.</summary>
public sealed class IngestStatus
{
    private long _consumed;
    private long _forwarded;
    private long _rejected;
    private long _duplicates;
    private long _acknowledged;
    private long _idsRecovered;

    /// <summary>Raw messages read.</summary>
    public long Consumed => Interlocked.Read(ref _consumed);

    /// <summary>Events sent to a canonical topic.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Events sent to the dead-letter topic.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Valid events dropped because their id was seen before.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Outputs (canonical or dead letter) the broker has acknowledged.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Event ids read back from the canonical topics into the dedupe window.</summary>
    public long IdsRecovered => Interlocked.Read(ref _idsRecovered);

    /// <summary>The consume loop, once it has started.</summary>
    public KafkaConsumeLoop? Loop { get; internal set; }

    internal void AddConsumed() => Interlocked.Increment(ref _consumed);

    internal void AddForwarded() => Interlocked.Increment(ref _forwarded);

    internal void AddRejected() => Interlocked.Increment(ref _rejected);

    internal void AddDuplicate() => Interlocked.Increment(ref _duplicates);

    internal void AddAcknowledged() => Interlocked.Increment(ref _acknowledged);

    internal void AddIdsRecovered(long count) => Interlocked.Add(ref _idsRecovered, count);

    public override string ToString() =>
        $"consumed {Consumed}, forwarded {Forwarded}, rejected {Rejected}, duplicates {Duplicates}, acknowledged {Acknowledged}, ids recovered {IdsRecovered}";
}
