using Confluent.Kafka;
using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest.Tests.Kafka;

public sealed class PendingOffsetsTests
{
    private static readonly TopicPartition P0 = new("raw", 0);
    private static readonly TopicPartition P1 = new("raw", 1);

    [Fact]
    public void Only_the_acknowledged_prefix_is_storable()
    {
        var pending = new PendingOffsets();
        pending.Begin(P0, 10);
        pending.Begin(P0, 11);
        pending.Begin(P0, 14);

        pending.Complete(P0, 11);
        Assert.Empty(pending.TakeStorable());

        pending.Complete(P0, 10);
        Assert.Equal([new TopicPartitionOffset(P0, 12)], pending.TakeStorable());
        Assert.Empty(pending.TakeStorable());

        pending.Complete(P0, 14);
        Assert.Equal([new TopicPartitionOffset(P0, 15)], pending.TakeStorable());
        Assert.Equal(0, pending.InFlight);
    }

    [Fact]
    public void Partitions_advance_independently()
    {
        var pending = new PendingOffsets();
        pending.Begin(P0, 0);
        pending.Begin(P1, 0);
        pending.Begin(P1, 1);

        pending.Complete(P1, 0);
        pending.Complete(P1, 1);

        Assert.Equal([new TopicPartitionOffset(P1, 2)], pending.TakeStorable());
        Assert.Equal(1, pending.InFlight);
    }

    [Fact]
    public void Forgotten_partitions_ignore_late_acknowledgements()
    {
        var pending = new PendingOffsets();
        pending.Begin(P0, 0);
        pending.Begin(P0, 1);

        pending.Forget([P0]);
        pending.Complete(P0, 0);

        Assert.Empty(pending.TakeStorable());
        Assert.Equal(0, pending.InFlight);
    }

    [Fact]
    public void Storable_offsets_can_be_limited_to_some_partitions()
    {
        var pending = new PendingOffsets();
        pending.Begin(P0, 0);
        pending.Begin(P1, 5);
        pending.Complete(P0, 0);
        pending.Complete(P1, 5);

        Assert.Equal([new TopicPartitionOffset(P1, 6)], pending.TakeStorable(p => p == P1));
        Assert.Equal([new TopicPartitionOffset(P0, 1)], pending.TakeStorable());
    }

    [Fact]
    public void Offsets_must_begin_in_order()
    {
        var pending = new PendingOffsets();
        pending.Begin(P0, 5);

        Assert.Throws<InvalidOperationException>(() => pending.Begin(P0, 5));
    }
}
