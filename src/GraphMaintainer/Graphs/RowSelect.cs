using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Spumr.GraphMaintainer.Graphs;

/// <summary>Top-k selection from one computed similarity row: positive weights only, self excluded, ranked by <see cref="NeighborOrder"/>.</summary>
internal static class RowSelect
{
    /// <summary>Fills the best entries into <paramref name="ids"/>/<paramref name="weights"/> (capacity = their length); returns the count.</summary>
    public static int Top(int self, ReadOnlySpan<float> values, ReadOnlySpan<int> nonZeros, bool sparse, Span<int> ids, Span<float> weights)
    {
        var count = 0;
        var capacity = ids.Length;
        if (capacity == 0)
        {
            return 0;
        }

        if (sparse)
        {
            foreach (var j in nonZeros)
            {
                var w = values[j];
                if (w > 0f && j != self)
                {
                    count = RankedList.Insert(ids, weights, count, j, w);
                }
            }

            return count;
        }

        // Dense: a vector pre-filter against the current last weight (0 until the list is full). Strictly
        // greater is exact: ids ascend through the scan, so a tie with the last entry never ranks before it.
        var threshold = 0f;
        var n = values.Length;
        var j0 = 0;
        ref var start = ref MemoryMarshal.GetReference(values);
        for (; j0 + 16 <= n; j0 += 16)
        {
            var v = Vector512.LoadUnsafe(ref start, (nuint)j0);
            var mask = Vector512.GreaterThan(v, Vector512.Create(threshold)).ExtractMostSignificantBits();
            while (mask != 0)
            {
                var j = j0 + BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                var w = values[j];
                if (w > 0f && j != self)
                {
                    count = RankedList.Insert(ids, weights, count, j, w);
                    if (count == capacity)
                    {
                        threshold = weights[capacity - 1];
                    }
                }
            }
        }

        for (var j = j0; j < n; j++)
        {
            var w = values[j];
            if (w > threshold && j != self)
            {
                count = RankedList.Insert(ids, weights, count, j, w);
                if (count == capacity)
                {
                    threshold = weights[capacity - 1];
                }
            }
        }

        return count;
    }
}
