using System.Diagnostics;
using Confluent.Kafka;
using Spumr.Core.Events;
using Spumr.Core.Messages;
using Spumr.GraphMaintainer.Snapshots;
using Spumr.GraphMaintainer.State;
using Spumr.GraphMaintainer.Streaming;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.GraphMaintainer.Worker;

/// <summary>
/// Where a canonical Kafka message becomes part of the graph state. On the consume loop's thread:
/// decode each message (a bad one is dead-lettered and skipped), gather micro-batches of up to
/// <see cref="GraphMaintainerOptions.MaxBatchEvents"/> messages or <see cref="GraphMaintainerOptions.MaxBatchDelay"/>,
/// apply each with <see cref="GraphState.ApplyBatch"/>, write its seen items to Redis, then move the
/// stream position; every <see cref="GraphMaintainerOptions.SnapshotEveryEvents"/> messages or
/// <see cref="GraphMaintainerOptions.SnapshotInterval"/> (and on a clean stop) write a snapshot
/// holding the state and that position, and announce it.
/// </summary>
/// <remarks>
/// The snapshot is the only record of progress (nothing is committed to Kafka): a restart loads
/// the newest snapshot and reads every partition on from the snapshot's offsets, so each event is
/// applied to the state exactly once, however the previous process ended. Before a snapshot is
/// written, everything below its position is durable elsewhere too: seen items are in Redis
/// (written per batch) and dead letters are acknowledged (the producer is flushed).
/// </remarks>
internal sealed class GraphUpdateHandler : IConsumeHandler, IDisposable
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LagInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a clean stop may spend writing the last batch's seen items before it gives
    /// up (then no final snapshot is written; the previous one stays valid).</summary>
    private static readonly TimeSpan CloseBudget = TimeSpan.FromSeconds(10);

    private readonly GraphState _state;
    private readonly StreamPosition _position;
    private readonly SnapshotDirectory _snapshots;
    private readonly SeenItemsWriter _seen;
    private readonly SnapshotAnnouncer _announcer;
    private readonly KafkaOptions _kafka;
    private readonly GraphMaintainerOptions _options;
    private readonly GraphMaintainerStatus _status;
    private readonly GraphMaintainerMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly CanonicalEventDecoder _decoder;
    private readonly EventBatch _batch = new();
    private readonly Dictionary<StreamPartition, long> _startOffsets = [];
    private readonly Dictionary<StreamPartition, long> _catchUpTargets = [];
    private readonly List<TopicPartition> _owned = [];
    private IProducer<byte[]?, byte[]?>? _deadLetters;
    private volatile Error? _deadLetterFailure;
    private long _sinceSnapshot;
    private long _lastSnapshotAt;
    private long _lastLagAt;

    public GraphUpdateHandler(
        GraphState state,
        StreamPosition position,
        SnapshotDirectory snapshots,
        SeenItemsWriter seen,
        SnapshotAnnouncer announcer,
        KafkaOptions kafka,
        GraphMaintainerOptions options,
        GraphMaintainerStatus status,
        GraphMaintainerMetrics metrics,
        TimeProvider clock,
        ILogger logger,
        CancellationToken stopping)
    {
        _state = state;
        _position = position;
        _snapshots = snapshots;
        _seen = seen;
        _announcer = announcer;
        _kafka = kafka;
        _options = options;
        _status = status;
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
        _stopping = stopping;
        _decoder = new CanonicalEventDecoder(state, clock);
        _lastSnapshotAt = clock.GetTimestamp();
    }

    public IEnumerable<TopicPartitionOffset>? OnAssigned(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyList<TopicPartition> partitions)
    {
        var starts = new List<TopicPartitionOffset>(partitions.Count);
        foreach (var partition in partitions)
        {
            var key = Key(partition);
            var marks = consumer.QueryWatermarkOffsets(partition, QueryTimeout);
            long start;
            if (_position.Next(key) is { } next)
            {
                if (next > marks.High.Value)
                {
                    throw new InvalidOperationException(
                        $"The snapshot's position for {key} is offset {next}, but the partition ends at {marks.High.Value}: the topic was recreated "
                        + "or the snapshot belongs to another cluster. Move the snapshot folder away to rebuild the state from the topics.");
                }

                if (next < marks.Low.Value)
                {
                    _logger.LogError(
                        "{Partition}: the snapshot covers up to offset {Next}, but the partition now starts at {Low}; retention deleted {Missing} events the state never saw",
                        key,
                        next,
                        marks.Low.Value,
                        marks.Low.Value - next);
                }

                start = Math.Max(next, marks.Low.Value);
            }
            else
            {
                if (marks.Low.Value > 0)
                {
                    _logger.LogWarning("{Partition} starts at offset {Low}: retention deleted older events, which the state will not have", key, marks.Low.Value);
                }

                start = marks.Low.Value;
            }

            _startOffsets[key] = start;
            if (start < marks.High.Value)
            {
                _catchUpTargets[key] = marks.High.Value;
            }

            _owned.Add(partition);
            starts.Add(new TopicPartitionOffset(partition, start));
        }

        _logger.LogInformation(
            "Reading {Count} partitions from the snapshot's offsets: {Behind} messages to catch up on",
            partitions.Count,
            _catchUpTargets.Sum(t => t.Value - _startOffsets[t.Key]));
        CheckCaughtUp(null);
        return starts;
    }

    public void OnRevoked(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyList<TopicPartitionOffset> partitions, bool lost)
    {
        // All partitions are assigned manually and never move; nothing to hand over.
    }

    public void Handle(IConsumer<byte[]?, byte[]?> consumer, ConsumeResult<byte[]?, byte[]?> message)
    {
        _status.AddConsumed();
        var key = Key(message.TopicPartition);
        var now = _clock.GetTimestamp();
        var kind = string.Equals(message.Topic, _options.InteractionsTopic, StringComparison.Ordinal) ? EventKind.Interaction : EventKind.ItemFeatures;
        DecodedEvent decoded;
        string? code = null;
        try
        {
            decoded = _decoder.Decode(kind, message.Message.Value);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            decoded = new DecodedEvent(null, null, new EventRejection(RejectionReason.InvalidField, $"processing failed: {e.GetType().Name}: {e.Message}"));
            code = EventHeaders.ProcessingErrorCode;
        }

        if (decoded.Rejection is { } rejection)
        {
            DeadLetter(message, code ?? rejection.Code, rejection);
            _batch.Skip(key, message.Offset.Value, now);
        }
        else
        {
            _batch.Add(key, message.Offset.Value, decoded, now);
        }

        if (_batch.Messages >= _options.MaxBatchEvents)
        {
            ApplyBatch(_stopping);
        }
    }

    public void AfterPoll(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (_deadLetterFailure is { } failure)
        {
            // The producer already retried; without the dead letter the position may not pass the message.
            throw new KafkaException(failure);
        }

        if (!_batch.IsEmpty && _clock.GetElapsedTime(_batch.FirstTakenAt) >= _options.MaxBatchDelay)
        {
            ApplyBatch(_stopping);
        }

        if (_sinceSnapshot > 0
            && (_sinceSnapshot >= _options.SnapshotEveryEvents || _clock.GetElapsedTime(_lastSnapshotAt) >= _options.SnapshotInterval))
        {
            WriteSnapshot();
        }

        if (_clock.GetElapsedTime(_lastLagAt) >= LagInterval)
        {
            _lastLagAt = _clock.GetTimestamp();
            UpdateLag(consumer);
        }

        if (_batch.IsEmpty)
        {
            CheckCaughtUp(consumer);
        }
    }

    public void BeforeClose(IConsumer<byte[]?, byte[]?> consumer)
    {
        using var budget = new CancellationTokenSource(CloseBudget);
        ApplyBatch(budget.Token);
        if (_sinceSnapshot > 0)
        {
            WriteSnapshot();
        }

        FlushDeadLetters();
    }

    public void Dispose() => _deadLetters?.Dispose();

    private static StreamPartition Key(TopicPartition partition) => new(partition.Topic, partition.Partition.Value);

    private void ApplyBatch(CancellationToken cancellationToken)
    {
        if (_batch.IsEmpty)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var result = _state.ApplyBatch(_batch.Interactions, _batch.Features);
        _seen.Write(_batch.Interactions, cancellationToken);
        _position.Advance(_batch.Next);
        _sinceSnapshot += _batch.Messages;
        _status.AddBatch(result.Applied, result.Duplicates, _state.UserCount, _state.ItemCount);
        _metrics.Batch(_batch.Messages, result.Applied, result.Duplicates, Stopwatch.GetElapsedTime(started));
        if (result.Duplicates > 0)
        {
            _logger.LogInformation("{Duplicates} events in a batch had been applied before (same event id) and changed nothing", result.Duplicates);
        }

        _batch.Clear();
    }

    private void WriteSnapshot()
    {
        FlushDeadLetters();
        var started = Stopwatch.GetTimestamp();
        var (file, bytes) = _snapshots.Write(_state, _position.Encode());
        var elapsed = Stopwatch.GetElapsedTime(started);
        _sinceSnapshot = 0;
        _lastSnapshotAt = _clock.GetTimestamp();
        _status.SnapshotWritten(file);
        _metrics.Snapshot(elapsed);
        long interactions = 0;
        for (var u = 0; u < _state.UserCount; u++)
        {
            interactions += _state.InteractionsOf(u).Length;
        }

        _logger.LogInformation(
            "Snapshot {Sequence} written in {Seconds:F2} s ({Bytes:N0} bytes): {Interactions:N0} interactions, {Users:N0} users, {Items:N0} items",
            file.Sequence,
            elapsed.TotalSeconds,
            bytes,
            interactions,
            _state.UserCount,
            _state.ItemCount);
        _announcer.Announce(new GraphSnapshotReady(file.Path, file.Sequence, interactions, _state.UserCount, _state.ItemCount, _clock.GetUtcNow()));
    }

    private void DeadLetter(ConsumeResult<byte[]?, byte[]?> message, string code, EventRejection rejection)
    {
        _logger.LogWarning(
            "{Topic}[{Partition}]@{Offset} cannot be applied ({Code}: {Reason}); sending it to {DeadLetterTopic}",
            message.Topic,
            message.Partition.Value,
            message.Offset.Value,
            code,
            rejection.Message,
            _options.DeadLetterTopic);
        _deadLetters ??= new ProducerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Producer(_kafka, "graph-maintainer"))
            .SetLogHandler((_, m) => KafkaClientConfigs.Log(_logger, m))
            .SetErrorHandler((_, e) => _logger.LogWarning("Kafka producer error {Code}: {Reason}", e.Code, e.Reason))
            .Build();
        var letter = DeadLetterMessage.Create(message, code, rejection.Message, rejection.Field, _options.MaxDeadLetterBytes);
        _deadLetters.Produce(_options.DeadLetterTopic, letter, report =>
        {
            if (report.Error.IsError)
            {
                _deadLetterFailure ??= report.Error;
            }
        });
        _status.AddDeadLettered();
        _metrics.DeadLettered();
    }

    private void FlushDeadLetters()
    {
        if (_deadLetters is null)
        {
            return;
        }

        var left = _deadLetters.Flush(FlushTimeout);
        if (_deadLetterFailure is { } failure)
        {
            throw new KafkaException(failure);
        }

        if (left > 0)
        {
            throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"{left} dead letters still unacknowledged after {FlushTimeout.TotalSeconds:F0} s"));
        }
    }

    /// <summary>Messages on the topics not yet in the state: the cached high watermarks minus the applied position.</summary>
    private void UpdateLag(IConsumer<byte[]?, byte[]?> consumer)
    {
        long lag = 0;
        foreach (var partition in _owned)
        {
            var key = Key(partition);
            var end = _catchUpTargets.GetValueOrDefault(key, _startOffsets[key]);
            try
            {
                // Cached from fetch responses: no broker round trip.
                var high = consumer.GetWatermarkOffsets(partition).High;
                if (high != Offset.Unset)
                {
                    end = high.Value;
                }
            }
            catch (KafkaException)
            {
                // Not fetched from yet.
            }

            var applied = _position.Next(key) ?? _startOffsets[key];
            lag += Math.Max(0, end - applied);
        }

        _status.SetLag(lag);
    }

    /// <summary>
    /// Ready once every partition is read up to where it ended at start. Called with an empty batch,
    /// so the consumer's position (which also steps over transaction markers) equals the applied one.
    /// </summary>
    private void CheckCaughtUp(IConsumer<byte[]?, byte[]?>? consumer)
    {
        if (_status.CaughtUp)
        {
            return;
        }

        if (consumer is not null)
        {
            foreach (var partition in _owned)
            {
                var key = Key(partition);
                if (!_catchUpTargets.TryGetValue(key, out var target))
                {
                    continue;
                }

                var read = consumer.Position(partition);
                var at = Math.Max(read == Offset.Unset ? 0 : read.Value, _position.Next(key) ?? 0);
                if (at >= target)
                {
                    _catchUpTargets.Remove(key);
                }
            }
        }

        if (_catchUpTargets.Count == 0 && _owned.Count > 0)
        {
            _status.MarkCaughtUp();
            if (consumer is not null)
            {
                UpdateLag(consumer);
            }
            else
            {
                _status.SetLag(0);
            }

            _logger.LogInformation("Caught up with the topics as they were at start: {Status}", _status);
        }
    }
}
