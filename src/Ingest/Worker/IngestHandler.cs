using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Spumr.Core.Events;
using Spumr.Ingest.Ingestion;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest.Worker;

/// <summary>
/// The Kafka side of Ingest: triages each raw message, produces its output (canonical event or
/// dead letter) with an idempotent producer, and stores a raw offset only once every output up to
/// it is acknowledged. Runs on the consume loop's thread; only delivery reports arrive elsewhere,
/// through a queue.
/// </summary>
internal sealed class IngestHandler : IConsumeHandler, IDisposable
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Offsets are stored at most this often while messages flow (commits happen every
    /// second anyway); storing after every message would cost a native call per event.</summary>
    private static readonly long StoreIntervalTicks = TimeSpan.FromMilliseconds(20).Ticks;

    private readonly IngestOptions _options;
    private readonly IngestStatus _status;
    private readonly ILogger _logger;
    private readonly EventIdWindow _window;
    private readonly RawEventTriage _triage;
    private readonly CanonicalTailReader _tail;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly PendingOffsets _pending = new();
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private readonly SemaphoreSlim _delivered = new(0);
    private readonly CancellationToken _stopping;
    private Error? _deliveryFailure;
    private long _lastStore;

    public IngestHandler(KafkaOptions kafka, IngestOptions options, IngestStatus status, ILogger logger, TimeProvider clock, CancellationToken stopping)
    {
        _options = options;
        _status = status;
        _logger = logger;
        _stopping = stopping;
        _window = new EventIdWindow(options.DedupeWindow);
        _triage = new RawEventTriage(new EventValidator(options.ToEventLimits(), clock), _window);
        _tail = new CanonicalTailReader(kafka, options, logger);
        _producer = new ProducerBuilder<byte[]?, byte[]?>(KafkaClientConfigs.Producer(kafka, "ingest"))
            .SetLogHandler((_, m) => KafkaClientConfigs.Log(logger, m))
            .SetErrorHandler((_, e) => logger.LogWarning("Kafka producer error {Code}: {Reason}", e.Code, e.Reason))
            .Build();
    }

    public IEnumerable<TopicPartitionOffset>? OnAssigned(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyList<TopicPartition> partitions)
    {
        if (partitions.Count == 0)
        {
            // A cooperative rebalance that gave this member nothing new.
            return null;
        }

        // Before the first message of a newly assigned partition, learn what is already forwarded.
        var read = _tail.CatchUp(_window, _stopping);
        _status.AddIdsRecovered(read);
        return null;
    }

    public void OnRevoked(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyList<TopicPartitionOffset> partitions, bool lost)
    {
        var leaving = partitions.Select(p => p.TopicPartition).ToHashSet();
        if (!lost)
        {
            // Finish the partitions' outputs so that the commit following this call covers them.
            FlushAndStore(consumer);
            CommitStored(consumer);
        }

        _pending.Forget(leaving);
    }

    public void Handle(IConsumer<byte[]?, byte[]?> consumer, ConsumeResult<byte[]?, byte[]?> message)
    {
        _status.AddConsumed();
        var source = message.TopicPartition;
        var kind = string.Equals(source.Topic, _options.RawInteractionsTopic, StringComparison.Ordinal) ? EventKind.Interaction : EventKind.ItemFeatures;
        IngestDecision decision;
        try
        {
            decision = _triage.Triage(kind, message.Message.Value);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A payload that breaks the code must not stop the stream: park it with the reason.
            _logger.LogError(e, "Processing {Source} offset {Offset} threw; sending it to the dead-letter topic", source, message.Offset.Value);
            var failure = new EventRejection(RejectionReason.InvalidField, $"processing failed: {e.GetType().Name}: {e.Message}");
            Send(_options.DeadLetterTopic, DeadLetter(message, failure, EventHeaders.ProcessingErrorCode), message.TopicPartitionOffset);
            _status.AddRejected();
            return;
        }

        switch (decision.Outcome)
        {
            case IngestOutcome.Forward:
                Send(_options.CanonicalTopic(kind), Canonical(decision), message.TopicPartitionOffset);
                _status.AddForwarded();
                break;
            case IngestOutcome.Reject:
                Send(_options.DeadLetterTopic, DeadLetter(message, decision.Rejection!, decision.Rejection!.Code), message.TopicPartitionOffset);
                _status.AddRejected();
                break;
            case IngestOutcome.Duplicate:
                _pending.Begin(source, message.Offset.Value);
                _pending.Complete(source, message.Offset.Value);
                _status.AddDuplicate();
                break;
            default:
                throw new InvalidOperationException($"Unknown outcome {decision.Outcome}.");
        }
    }

    public void AfterPoll(IConsumer<byte[]?, byte[]?> consumer)
    {
        var now = DateTime.UtcNow.Ticks;
        if (now - _lastStore >= StoreIntervalTicks || _deliveries.Count > 10_000)
        {
            _lastStore = now;
            DrainAndStore(consumer);
        }
    }

    public void BeforeClose(IConsumer<byte[]?, byte[]?> consumer) => FlushAndStore(consumer);

    public void Dispose()
    {
        _producer.Dispose();
        _delivered.Dispose();
    }

    private static Message<byte[]?, byte[]?> Canonical(IngestDecision decision) => new()
    {
        Key = decision.Key,
        Value = decision.Value,
        Headers = new Headers
        {
            { EventHeaders.EventId, Encoding.UTF8.GetBytes(decision.EventId!) },
            { EventHeaders.EventType, Encoding.UTF8.GetBytes(EventSerializer.TypeName(decision.Kind)) },
        },
    };

    private Message<byte[]?, byte[]?> DeadLetter(ConsumeResult<byte[]?, byte[]?> source, EventRejection rejection, string code) =>
        DeadLetterMessage.Create(source, code, rejection.Message, rejection.Field, _options.MaxPayloadBytes);

    private void Send(string topic, Message<byte[]?, byte[]?> output, TopicPartitionOffset source)
    {
        _pending.Begin(source.TopicPartition, source.Offset.Value);
        while (true)
        {
            try
            {
                _producer.Produce(topic, output, report =>
                {
                    _deliveries.Enqueue(new Delivery(source, report.Error));
                    _delivered.Release();
                });
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The producer's buffer is full: wait for deliveries, which also frees offsets to store.
                _delivered.Wait(TimeSpan.FromMilliseconds(100), _stopping);
                DrainDeliveries();
            }
        }
    }

    private void CommitStored(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing stored since the last commit.
        }
    }

    private void DrainAndStore(IConsumer<byte[]?, byte[]?> consumer)
    {
        DrainDeliveries();
        foreach (var offset in _pending.TakeStorable())
        {
            consumer.StoreOffset(offset);
        }
    }

    private void FlushAndStore(IConsumer<byte[]?, byte[]?> consumer)
    {
        var left = _producer.Flush(FlushTimeout);
        DrainAndStore(consumer);
        if (left > 0)
        {
            throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"{left} outputs still unacknowledged after {FlushTimeout.TotalSeconds:F0} s"));
        }
    }

    private void DrainDeliveries()
    {
        while (_deliveries.TryDequeue(out var delivery))
        {
            _delivered.Wait(0);
            if (delivery.Error.IsError)
            {
                // The idempotent producer has already retried; its ordering guarantee is gone for
                // this partition. Stop without storing the offset: a restart redoes the event.
                _deliveryFailure ??= delivery.Error;
                continue;
            }

            _status.AddAcknowledged();
            _pending.Complete(delivery.Source.TopicPartition, delivery.Source.Offset.Value);
        }

        if (_deliveryFailure is { } failure)
        {
            throw new KafkaException(failure);
        }
    }

    private readonly record struct Delivery(TopicPartitionOffset Source, Error Error);
}
