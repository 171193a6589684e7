using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Spumr.ServiceDefaults.Kafka;

/// <summary>
/// The one place Spumr's Kafka client settings are decided; the same settings work against real
/// Kafka and the development broker.
/// </summary>
public static class KafkaClientConfigs
{
    /// <summary>An idempotent producer (acks=all, no duplicates or reordering from retries),
    /// batched and compressed, partitioning keys with murmur2 as Java clients do.</summary>
    public static ProducerConfig Producer(KafkaOptions options, string role)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = $"{options.ClientIdPrefix}-{role}",
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = options.LingerMs,
            CompressionType = options.Compression,
            BatchSize = 1_000_000,
            BatchNumMessages = 10_000,
            Partitioner = Partitioner.Murmur2Random,
            // Delivery reports only need to say whether a message landed.
            DeliveryReportFields = "status",
        };
    }

    /// <summary>
    /// A group consumer for at-least-once processing: offsets are stored by the owner only after
    /// an event's effect is durable (<c>EnableAutoOffsetStore = false</c>) and committed in the
    /// background; partitions move with the cooperative-sticky protocol; a new group starts at
    /// the earliest retained event.
    /// </summary>
    public static ConsumerConfig Consumer(KafkaOptions options, string groupId, string role)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        return new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = $"{options.ClientIdPrefix}-{role}",
            GroupId = groupId,
            EnableAutoOffsetStore = false,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = options.AutoCommitIntervalMs,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            SessionTimeoutMs = options.SessionTimeoutMs,
            HeartbeatIntervalMs = Math.Max(100, options.SessionTimeoutMs / 3),
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
    }

    /// <summary>A consumer that reads partitions it assigns itself (no group membership, no commits),
    /// for reading a topic's tail or a snapshot's range.</summary>
    public static ConsumerConfig Reader(KafkaOptions options, string role)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = $"{options.ClientIdPrefix}-{role}",
            // librdkafka wants a group id even for manual assignment; nothing is ever committed to it.
            GroupId = $"{options.ClientIdPrefix}-{role}-reader",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
    }

    /// <summary>Sends librdkafka's log lines to <paramref name="logger"/> instead of stderr.</summary>
    public static void Log(ILogger logger, LogMessage message)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(message);
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
            SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        if (logger.IsEnabled(level))
        {
            logger.Log(level, "librdkafka {Client} {Facility}: {Message}", message.Name, message.Facility, message.Message);
        }
    }
}
