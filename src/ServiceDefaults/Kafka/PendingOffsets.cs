using Confluent.Kafka;

namespace Spumr.ServiceDefaults.Kafka;

/// <summary>
/// At-least-once bookkeeping for a consumer whose outputs complete asynchronously and out of order
/// (produce acknowledgements from many partitions). Per input partition it yields the offset to
/// store: one past the longest prefix of consumed messages whose outputs are all acknowledged.
/// Not thread-safe: call it from the consume loop only.
/// </summary>
public sealed class PendingOffsets
{
    private readonly Dictionary<TopicPartition, Partition> _partitions = [];
    private readonly HashSet<TopicPartition> _advanced = [];

    /// <summary>Messages taken but not yet completed.</summary>
    public int InFlight { get; private set; }

    /// <summary>A message was taken; its offset may not be stored until <see cref="Complete"/>.
    /// Offsets of one partition must begin in increasing order.</summary>
    public void Begin(TopicPartition partition, long offset)
    {
        if (!_partitions.TryGetValue(partition, out var state))
        {
            state = new Partition();
            _partitions.Add(partition, state);
        }

        if (state.Pending.Count > 0 && offset <= state.LastBegun)
        {
            throw new InvalidOperationException($"Offset {offset} of {partition} begun after {state.LastBegun}.");
        }

        state.Pending.Enqueue(offset);
        state.LastBegun = offset;
        InFlight++;
    }

    /// <summary>The message's output is durable. Completing a partition that was forgotten is ignored.</summary>
    public void Complete(TopicPartition partition, long offset)
    {
        if (!_partitions.TryGetValue(partition, out var state))
        {
            return;
        }

        if (state.Pending.Count == 0 || offset < state.Pending.Peek() || !state.Done.Add(offset))
        {
            return;
        }

        InFlight--;
        while (state.Pending.Count > 0 && state.Done.Remove(state.Pending.Peek()))
        {
            state.Storable = state.Pending.Dequeue() + 1;
            _advanced.Add(partition);
        }
    }

    /// <summary>The offsets that moved forward since the last call, to pass to <c>StoreOffset</c>.</summary>
    public IReadOnlyList<TopicPartitionOffset> TakeStorable(Func<TopicPartition, bool>? only = null)
    {
        if (_advanced.Count == 0)
        {
            return [];
        }

        List<TopicPartitionOffset>? result = null;
        foreach (var partition in _advanced)
        {
            var state = _partitions[partition];
            if (state.Storable > state.Stored && (only is null || only(partition)))
            {
                (result ??= []).Add(new TopicPartitionOffset(partition, state.Storable));
                state.Stored = state.Storable;
            }
        }

        if (only is null)
        {
            _advanced.Clear();
        }
        else
        {
            _advanced.RemoveWhere(p => _partitions[p].Stored == _partitions[p].Storable);
        }

        return result ?? (IReadOnlyList<TopicPartitionOffset>)[];
    }

    /// <summary>Drops the partitions (revoked or lost); late completions for them are ignored.</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _advanced.Remove(partition);
            if (_partitions.Remove(partition, out var state))
            {
                InFlight -= state.Pending.Count - state.Done.Count;
            }
        }
    }

    private sealed class Partition
    {
        public Queue<long> Pending { get; } = new();

        public HashSet<long> Done { get; } = [];

        public long LastBegun { get; set; } = -1;

        public long Storable { get; set; } = -1;

        public long Stored { get; set; } = -1;
    }
}
