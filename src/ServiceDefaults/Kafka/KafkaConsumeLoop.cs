using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Spumr.ServiceDefaults.Kafka;

/// <summary>Where a <see cref="KafkaConsumeLoop"/> is in its life.</summary>
public enum ConsumeLoopState
{
    NotStarted,
    Running,
    Stopped,
    Failed,
}

/// <summary>
/// Runs a group consumer on a dedicated thread (Consume blocks), hands every message and rebalance
/// to an <see cref="IConsumeHandler"/>, and on stop lets the handler finish before Close() leaves
/// the group and commits the stored offsets. A handler exception or a fatal client error fails the
/// loop: it still closes cleanly (only durable work has stored offsets), then the task faults.
/// </summary>
public sealed class KafkaConsumeLoop
{
    private readonly ConsumerConfig _config;
    private readonly IReadOnlyList<string> _topics;
    private readonly IConsumeHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeSpan _pollTimeout;
    private long _lastPollTicks;
    private int _assigned;
    private volatile ConsumeLoopState _state;

    public KafkaConsumeLoop(ConsumerConfig config, IReadOnlyList<string> topics, IConsumeHandler handler, ILogger logger, TimeSpan? pollTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(logger);
        if (topics.Count == 0)
        {
            throw new ArgumentException("The loop needs at least one topic.", nameof(topics));
        }

        _config = config;
        _topics = topics;
        _handler = handler;
        _logger = logger;
        _pollTimeout = pollTimeout ?? TimeSpan.FromMilliseconds(100);
    }

    public ConsumeLoopState State
    {
        get => _state;
        private set => _state = value;
    }

    /// <summary>Why the loop failed, when it did.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>When the loop last returned from a poll (UTC); a stale value means it is stuck.</summary>
    public DateTimeOffset LastPoll => new(Interlocked.Read(ref _lastPollTicks), TimeSpan.Zero);

    /// <summary>Partitions currently assigned to this member.</summary>
    public int AssignedPartitions => Volatile.Read(ref _assigned);

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled (then closes cleanly) or a failure.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        State = ConsumeLoopState.Running;
        Touch();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(_config)
            .SetLogHandler((_, m) => KafkaClientConfigs.Log(_logger, m))
            .SetErrorHandler((_, e) => _logger.LogWarning("Kafka consumer error {Code}: {Reason}", e.Code, e.Reason))
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler((c, p) => OnRevoked(c, p, lost: false))
            .SetPartitionsLostHandler((c, p) => OnRevoked(c, p, lost: true))
            .Build();
        try
        {
            consumer.Subscribe(_topics);
            while (!stoppingToken.IsCancellationRequested)
            {
                var message = consumer.Consume(_pollTimeout);
                Touch();
                if (message is { IsPartitionEOF: false })
                {
                    _handler.Handle(consumer, message);
                }

                _handler.AfterPoll(consumer);
            }

            _handler.BeforeClose(consumer);
            consumer.Close();
            State = ConsumeLoopState.Stopped;
        }
        catch (Exception e)
        {
            Failure = e;
            State = ConsumeLoopState.Failed;
            _logger.LogCritical(e, "Consume loop on {Topics} failed", string.Join(", ", _topics));
            CloseAfterFailure(consumer);
            throw;
        }
    }

    private IEnumerable<TopicPartitionOffset> OnAssigned(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions)
    {
        Interlocked.Add(ref _assigned, partitions.Count);
        _logger.LogInformation("Assigned {Count} partitions of {Topics}", partitions.Count, string.Join(", ", partitions.Select(p => p.Topic).Distinct()));
        return _handler.OnAssigned(consumer, partitions)
            ?? partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset));
    }

    private void OnRevoked(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartitionOffset> partitions, bool lost)
    {
        Interlocked.Add(ref _assigned, -partitions.Count);
        _logger.LogInformation("{What} {Count} partitions", lost ? "Lost" : "Revoked", partitions.Count);
        _handler.OnRevoked(consumer, partitions, lost);
    }

    private void CloseAfterFailure(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            // Stored offsets cover durable work only, so committing them on the way out is safe
            // and lets the group hand the partitions on at once.
            consumer.Close();
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException)
        {
            _logger.LogWarning(e, "Closing the consumer after a failure also failed");
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastPollTicks, DateTimeOffset.UtcNow.UtcTicks);
}
