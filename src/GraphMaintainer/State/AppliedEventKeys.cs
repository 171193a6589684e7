namespace Spumr.GraphMaintainer.State;

/// <summary>
/// The keys of applied events, for dropping an event whose id was applied before. Unbounded
/// (window 0) it remembers every key; with a window W it keeps two generations of up to W/2 keys
/// each, so it always remembers at least the newest W/2 keys and never more than W (about 40 bytes
/// a key in memory, 16 in a snapshot).
/// </summary>
internal sealed class AppliedEventKeys(int window)
{
    private HashSet<UInt128> _current = [];
    private HashSet<UInt128> _previous = [];

    public int Window => window;

    public int Count => _current.Count + _previous.Count;

    /// <summary>Remembers the key; false when it was remembered already (a duplicate).</summary>
    public bool Add(UInt128 key)
    {
        if (_previous.Contains(key) || !_current.Add(key))
        {
            return false;
        }

        if (window > 0 && _current.Count >= (window + 1) / 2)
        {
            _previous = _current;
            _current = [];
        }

        return true;
    }

    /// <summary>A key from a snapshot. Restored keys form the newer generation until the next <see cref="Add"/> rotates it.</summary>
    public void Restore(UInt128 key) => _current.Add(key);

    public IEnumerable<UInt128> All() => _previous.Concat(_current);
}
