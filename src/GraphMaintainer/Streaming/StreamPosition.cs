using System.Buffers.Binary;
using System.Text;

namespace Spumr.GraphMaintainer.Streaming;

/// <summary>One partition of one topic.</summary>
public readonly record struct StreamPartition(string Topic, int Partition)
{
    public override string ToString() => $"{Topic}[{Partition}]";
}

/// <summary>
/// How far the state has read the canonical topics: per partition, the offset of the next message
/// not yet applied. A snapshot stores it (as the opaque position of <c>SnapshotWriter</c>), so a
/// restart reads on from exactly there: events below it are in the snapshot, events from it on are not.
/// </summary>
public sealed class StreamPosition
{
    /// <summary>Encoding version; a snapshot written by a later encoding is refused, not misread.</summary>
    private const byte EncodingVersion = 1;

    private readonly Dictionary<StreamPartition, long> _next = [];

    /// <summary>Partitions with a position, and the next offset of each.</summary>
    public IReadOnlyDictionary<StreamPartition, long> Offsets => _next;

    /// <summary>Messages covered, summed over partitions (offsets from 0; an estimate once retention trimmed a topic).</summary>
    public long Total => _next.Values.Sum();

    /// <summary>The next offset to read on the partition, or null when the position says nothing about it.</summary>
    public long? Next(StreamPartition partition) => _next.TryGetValue(partition, out var next) ? next : null;

    /// <summary>Moves the partition's position to <paramref name="next"/>; a position never moves back.</summary>
    public void Advance(StreamPartition partition, long next)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(next);
        ArgumentException.ThrowIfNullOrEmpty(partition.Topic, nameof(partition));
        if (!_next.TryGetValue(partition, out var current) || next > current)
        {
            _next[partition] = next;
        }
    }

    /// <summary>Moves every partition of <paramref name="other"/> forward to its position there.</summary>
    public void Advance(IReadOnlyDictionary<StreamPartition, long> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (partition, next) in other)
        {
            Advance(partition, next);
        }
    }

    /// <summary>
    /// Bytes: u8 version (1), i32 count, then per partition in (topic, partition) order:
    /// i32 UTF-8 length, topic, i32 partition, i64 next offset. Little-endian.
    /// </summary>
    public byte[] Encode()
    {
        var entries = _next.OrderBy(e => e.Key.Topic, StringComparer.Ordinal).ThenBy(e => e.Key.Partition).ToList();
        var size = 1 + 4 + entries.Sum(e => 4 + Encoding.UTF8.GetByteCount(e.Key.Topic) + 4 + 8);
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        span[0] = EncodingVersion;
        BinaryPrimitives.WriteInt32LittleEndian(span[1..], entries.Count);
        var at = 5;
        foreach (var (partition, next) in entries)
        {
            var length = Encoding.UTF8.GetBytes(partition.Topic, span[(at + 4)..]);
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], length);
            at += 4 + length;
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], partition.Partition);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 4)..], next);
            at += 12;
        }

        return bytes;
    }

    /// <summary>Reads <see cref="Encode"/>'s bytes; no bytes at all is the empty position.</summary>
    /// <exception cref="FormatException">The bytes are not a position of this encoding; the message says what is wrong.</exception>
    public static StreamPosition Decode(ReadOnlySpan<byte> bytes)
    {
        var position = new StreamPosition();
        if (bytes.IsEmpty)
        {
            return position;
        }

        if (bytes[0] != EncodingVersion)
        {
            throw new FormatException($"stream position encoding {bytes[0]} is not supported; this build reads encoding {EncodingVersion}");
        }

        var count = ReadInt32(bytes, 1, "partition count");
        var at = 5;
        if (count < 0 || count > (bytes.Length - at) / 16)
        {
            throw new FormatException($"stream position lists {count} partitions in {bytes.Length} bytes");
        }

        for (var i = 0; i < count; i++)
        {
            var length = ReadInt32(bytes, at, "topic length");
            if (length <= 0 || length > bytes.Length - at - 4 - 12)
            {
                throw new FormatException($"stream position entry {i} has a topic length of {length}");
            }

            var topic = Encoding.UTF8.GetString(bytes.Slice(at + 4, length));
            at += 4 + length;
            var partition = ReadInt32(bytes, at, "partition");
            var next = BinaryPrimitives.ReadInt64LittleEndian(bytes[(at + 4)..]);
            at += 12;
            if (partition < 0 || next < 0)
            {
                throw new FormatException($"stream position entry {i} ({topic}) has partition {partition} and offset {next}; neither may be negative");
            }

            if (!position._next.TryAdd(new StreamPartition(topic, partition), next))
            {
                throw new FormatException($"stream position lists {topic}[{partition}] twice");
            }
        }

        if (at != bytes.Length)
        {
            throw new FormatException($"stream position has {bytes.Length - at} bytes after its last entry");
        }

        return position;
    }

    public override string ToString() =>
        _next.Count == 0 ? "(start of every partition)" : string.Join(", ", _next.OrderBy(e => e.Key.Topic, StringComparer.Ordinal).ThenBy(e => e.Key.Partition).Select(e => $"{e.Key}@{e.Value}"));

    private static int ReadInt32(ReadOnlySpan<byte> bytes, int at, string what)
    {
        if (at + 4 > bytes.Length)
        {
            throw new FormatException($"stream position ends inside its {what}");
        }

        return BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
    }
}
