using Confluent.Kafka;

namespace Spumr.ServiceDefaults.Kafka;

/// <summary>
/// What a service does with the messages a <see cref="KafkaConsumeLoop"/> reads. Every method runs
/// on the loop's own thread, one at a time, so a handler needs no locks for its own state.
/// </summary>
public interface IConsumeHandler
{
    /// <summary>Partitions were added to this member. Return where to start reading each one
    /// (such as a snapshot's offsets), or null to resume from the group's committed offsets.</summary>
    IEnumerable<TopicPartitionOffset>? OnAssigned(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyList<TopicPartition> partitions);

    /// <summary>Partitions are leaving this member. Unless <paramref name="lost"/>, finish their
    /// in-flight work and store their offsets now: they are committed right after this returns.</summary>
    void OnRevoked(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyList<TopicPartitionOffset> partitions, bool lost);

    /// <summary>One message. Store its offset (<c>consumer.StoreOffset</c>) once its effect is durable,
    /// here or in a later <see cref="AfterPoll"/>.</summary>
    void Handle(IConsumer<byte[]?, byte[]?> consumer, ConsumeResult<byte[]?, byte[]?> message);

    /// <summary>After every poll, with or without a message: a place to store offsets of work that
    /// finished asynchronously, and to throw if that work failed.</summary>
    void AfterPoll(IConsumer<byte[]?, byte[]?> consumer);

    /// <summary>The loop is stopping cleanly: finish in-flight work and store its offsets; the
    /// consumer then leaves the group and commits.</summary>
    void BeforeClose(IConsumer<byte[]?, byte[]?> consumer);
}
