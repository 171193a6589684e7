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

/// <summary>How a <see cref="KafkaConsumeLoop"/> gets its partitions.</summary>
public enum PartitionAssignment
{
    /// <summary>Subscribe as a member of the consumer group: partitions are shared among members and move on rebalances.</summary>
    Group,

    /// <summary>
    /// Assign every partition of the topics to this consumer (no group membership, nothing
    /// committed), for a service that must see the whole stream and keeps its own position, such
    /// as the GraphMaintainer (its snapshot holds the offsets). Partitions added to a topic later
    /// are picked up within <see cref="KafkaConsumeLoop.PartitionRefreshInterval"/>.
    /// </summary>
    AllPartitions,
}

/// <summary>
/// Runs a consumer on a dedicated thread (Consume blocks) and hands every message and assignment
/// to an <see cref="IConsumeHandler"/>. As a group member (the default), on stop it lets the
/// handler finish before Close() leaves the group and commits the stored offsets. A handler
/// exception or a fatal client error fails the loop: it still closes cleanly (only durable work
/// has stored offsets), then the task faults.
/// </summary>
public sealed class KafkaConsumeLoop
{
    private readonly ConsumerConfig _config;
    private readonly IReadOnlyList<string> _topics;
    private readonly IConsumeHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeSpan _pollTimeout;
    private readonly PartitionAssignment _assignment;
    private readonly HashSet<TopicPartition> _owned = [];
    private long _lastPollTicks;
    private long _lastRefreshTicks;
    private int _assigned;
    private volatile ConsumeLoopState _state;

    public KafkaConsumeLoop(
        ConsumerConfig config,
        IReadOnlyList<string> topics,
        IConsumeHandler handler,
        ILogger logger,
        TimeSpan? pollTimeout = null,
        PartitionAssignment assignment = PartitionAssignment.Group)
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
        _assignment = assignment;
    }

    /// <summary>With <see cref="PartitionAssignment.AllPartitions"/>: how often the topics' partition lists are re-read.</summary>
    public static TimeSpan PartitionRefreshInterval { get; } = TimeSpan.FromSeconds(30);

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
            if (_assignment == PartitionAssignment.Group)
            {
                consumer.Subscribe(_topics);
            }
            else
            {
                AssignNewPartitions(consumer);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                if (_assignment == PartitionAssignment.AllPartitions
                    && DateTimeOffset.UtcNow.UtcTicks - Interlocked.Read(ref _lastRefreshTicks) > PartitionRefreshInterval.Ticks)
                {
                    AssignNewPartitions(consumer);
                }

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

    /// <summary>Manual assignment: every partition of the topics not owned yet, starting where the handler says (default: the beginning).</summary>
    private void AssignNewPartitions(IConsumer<byte[]?, byte[]?> consumer)
    {
        Interlocked.Exchange(ref _lastRefreshTicks, DateTimeOffset.UtcNow.UtcTicks);
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var added = new List<TopicPartition>();
        foreach (var topic in _topics)
        {
            var described = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.SingleOrDefault(t => t.Topic == topic);
            if (described is null || described.Error.IsError || described.Partitions.Count == 0)
            {
                throw new KafkaException(new Error(
                    ErrorCode.UnknownTopicOrPart,
                    $"Topic '{topic}' does not exist or has no partitions ({described?.Error.Reason ?? "not in metadata"})."));
            }

            added.AddRange(described.Partitions
                .Select(p => new TopicPartition(topic, p.PartitionId))
                .Where(p => !_owned.Contains(p))
                .OrderBy(p => p.Partition.Value));
        }

        if (added.Count == 0)
        {
            return;
        }

        var starts = OnAssigned(consumer, added)
            .Select(s => s.Offset == Offset.Unset ? new TopicPartitionOffset(s.TopicPartition, Offset.Beginning) : s)
            .ToList();
        consumer.IncrementalAssign(starts);
        _owned.UnionWith(added);
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
