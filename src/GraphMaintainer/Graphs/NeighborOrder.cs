namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// The one ranking rule of every neighbour list, batch and incremental alike: higher weight
/// first; equal weights (compared as float32 values) go to the lower internal id. This makes
/// every list a deterministic function of the data.
/// </summary>
public static class NeighborOrder
{
    /// <summary>True when (<paramref name="weight"/>, <paramref name="id"/>) ranks strictly before (<paramref name="otherWeight"/>, <paramref name="otherId"/>).</summary>
    public static bool Precedes(float weight, int id, float otherWeight, int otherId)
        => weight > otherWeight || (weight == otherWeight && id < otherId);
}

/// <summary>Bounded neighbour lists kept in rank order inside caller-owned spans.</summary>
internal static class RankedList
{
    /// <summary>
    /// Inserts (<paramref name="id"/>, <paramref name="weight"/>) into the first <paramref name="count"/>
    /// ranked entries of <paramref name="ids"/>/<paramref name="weights"/> (capacity = their length),
    /// dropping the last entry when full. Returns the new count.
    /// </summary>
    public static int Insert(Span<int> ids, Span<float> weights, int count, int id, float weight)
    {
        var capacity = ids.Length;
        if (count == capacity)
        {
            if (capacity == 0 || !NeighborOrder.Precedes(weight, id, weights[capacity - 1], ids[capacity - 1]))
            {
                return count;
            }

            count--;
        }

        var pos = count;
        while (pos > 0 && NeighborOrder.Precedes(weight, id, weights[pos - 1], ids[pos - 1]))
        {
            ids[pos] = ids[pos - 1];
            weights[pos] = weights[pos - 1];
            pos--;
        }

        ids[pos] = id;
        weights[pos] = weight;
        return count + 1;
    }

    /// <summary>Sorts parallel spans into rank order (small spans: insertion sort).</summary>
    public static void Sort(Span<int> ids, Span<float> weights)
    {
        for (var i = 1; i < ids.Length; i++)
        {
            var id = ids[i];
            var w = weights[i];
            var j = i;
            while (j > 0 && NeighborOrder.Precedes(w, id, weights[j - 1], ids[j - 1]))
            {
                ids[j] = ids[j - 1];
                weights[j] = weights[j - 1];
                j--;
            }

            ids[j] = id;
            weights[j] = w;
        }
    }
}
