using System.Collections.Concurrent;

namespace Spumr.Serving.Recommendations;

/// <summary>
/// User vectors of one version, bounded in size. Two generations: lookups hit the young one or promote
/// from the old one; when the young one is full it becomes the old one and the former old one is
/// dropped. That approximates LRU with lock-free reads and at most <c>capacity</c> entries.
/// Users without a vector are cached too (as null): versions never change once written.
/// Each swap starts a new cache (<see cref="StartVersion"/>), so no entry outlives its version.
/// </summary>
public sealed class UserVectorCache(int capacity)
{
    private readonly Lock _lock = new();
    private Generation _generation = new(0, capacity);

    public int Count => _generation.Count;

    /// <summary>The cached lookup for the user in <paramref name="version"/>; false when not cached.</summary>
    public bool TryGet(long version, string userId, out float[]? vector)
    {
        var generation = _generation;
        if (generation.Version == version && generation.TryGet(userId, out vector))
        {
            return true;
        }

        vector = null;
        return false;
    }

    /// <summary>Starts an empty cache for the version just swapped in (also an older one, after a rollback).</summary>
    public void StartVersion(long version)
    {
        lock (_lock)
        {
            if (_generation.Version != version)
            {
                _generation = new Generation(version, capacity);
            }
        }
    }

    /// <summary>Caches a lookup; ignored unless <paramref name="version"/> is the version the cache was started for.</summary>
    public void Add(long version, string userId, float[]? vector)
    {
        var generation = _generation;
        if (capacity == 0 || generation.Version != version)
        {
            // A request still on the previous snapshot must not fill the new version's cache.
            return;
        }

        generation.Add(userId, vector, _lock);
    }

    private sealed class Generation(long version, int capacity)
    {
        private readonly int _half = Math.Max(1, capacity / 2);
        private ConcurrentDictionary<string, float[]?> _young = new(StringComparer.Ordinal);
        private ConcurrentDictionary<string, float[]?> _old = new(StringComparer.Ordinal);

        public long Version { get; } = version;

        public int Count => _young.Count + _old.Count;

        public bool TryGet(string userId, out float[]? vector)
        {
            if (_young.TryGetValue(userId, out vector))
            {
                return true;
            }

            if (_old.TryGetValue(userId, out vector))
            {
                _young[userId] = vector;
                return true;
            }

            return false;
        }

        public void Add(string userId, float[]? vector, Lock rotation)
        {
            _young[userId] = vector;
            if (_young.Count < _half)
            {
                return;
            }

            lock (rotation)
            {
                if (_young.Count >= _half)
                {
                    _old = _young;
                    _young = new ConcurrentDictionary<string, float[]?>(StringComparer.Ordinal);
                }
            }
        }
    }
}
