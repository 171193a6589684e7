using System.IO.Hashing;
using System.Text;
using Spumr.Core.Events;

namespace Spumr.Ingest.Ingestion;

/// <summary>
/// The most recent event ids, oldest evicted first, to drop duplicates. Ids are kept as 64-bit
/// XxHash3 of kind and id (about 30 bytes each instead of the string): with a million ids the
/// chance that any two distinct ids collide, which would drop one event, is about 3e-8.
/// </summary>
public sealed class EventIdWindow
{
    private readonly HashSet<ulong> _members;
    private readonly ulong[] _order;
    private int _next;

    public EventIdWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _members = new HashSet<ulong>(Math.Min(capacity, 1 << 16));
        _order = new ulong[capacity];
    }

    public int Capacity => _order.Length;

    public int Count => _members.Count;

    /// <summary>Remembers the id; false when it is already in the window (a duplicate).</summary>
    public bool TryAdd(EventKind kind, string eventId)
    {
        var hash = Hash(kind, eventId);
        if (!_members.Add(hash))
        {
            return false;
        }

        if (_members.Count > _order.Length)
        {
            _members.Remove(_order[_next]);
        }

        _order[_next] = hash;
        _next = (_next + 1) % _order.Length;
        return true;
    }

    public bool Contains(EventKind kind, string eventId) => _members.Contains(Hash(kind, eventId));

    private static ulong Hash(EventKind kind, string eventId)
    {
        var length = Encoding.UTF8.GetMaxByteCount(eventId.Length) + 1;
        Span<byte> buffer = length <= 512 ? stackalloc byte[length] : new byte[length];
        buffer[0] = (byte)kind;
        var written = Encoding.UTF8.GetBytes(eventId, buffer[1..]);
        return XxHash3.HashToUInt64(buffer[..(written + 1)]);
    }
}
