namespace Spumr.Core.Evaluation;

/// <summary>
/// Deterministic top-K selection over a score row, shared by offline evaluation and online
/// serving so both rank identically. Order: higher score first; equal scores by lower item
/// id; NaN below every number (so a diverged model still yields a total order).
/// </summary>
/// <remarks>
/// A bounded min-heap of item ids kept in the caller's buffer: O(n + k log k) in the common
/// case, O(n log k) at worst, and no allocation.
/// </remarks>
public static class TopK
{
    /// <summary>True when (<paramref name="scoreA"/>, <paramref name="itemA"/>) ranks above (<paramref name="scoreB"/>, <paramref name="itemB"/>).</summary>
    public static bool RanksAbove(float scoreA, int itemA, float scoreB, int itemB)
    {
        if (scoreA > scoreB)
        {
            return true;
        }

        if (scoreA < scoreB)
        {
            return false;
        }

        // Equal, or at least one NaN.
        var nanA = float.IsNaN(scoreA);
        var nanB = float.IsNaN(scoreB);
        return nanA == nanB ? itemA < itemB : nanB;
    }

    /// <summary>
    /// Writes the best <c>min(destination.Length, scores.Length - excluded)</c> items, best first,
    /// into <paramref name="destination"/> and returns how many were written. Item id = index into
    /// <paramref name="scores"/>.
    /// </summary>
    public static int Select(ReadOnlySpan<float> scores, Span<int> destination) => Select(scores, default, destination);

    /// <summary>
    /// As <see cref="Select(ReadOnlySpan{float}, Span{int})"/>, skipping the items in
    /// <paramref name="excludedSorted"/> (ascending, such as a <see cref="Data.UserItemMatrix"/> row;
    /// repeats are allowed).
    /// </summary>
    public static int Select(ReadOnlySpan<float> scores, ReadOnlySpan<int> excludedSorted, Span<int> destination)
    {
        var k = destination.Length;
        if (k == 0)
        {
            return 0;
        }

        var heap = destination;
        var count = 0;
        var start = 0;
        foreach (var excluded in excludedSorted)
        {
            if ((uint)excluded >= (uint)scores.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(excludedSorted), $"Excluded item {excluded} is outside the {scores.Length} scored items.");
            }

            if (excluded < start - 1)
            {
                throw new ArgumentException($"Excluded items must be sorted ascending; {excluded} follows {start - 1}.", nameof(excludedSorted));
            }

            if (excluded >= start)
            {
                Scan(scores, start, excluded, heap, ref count);
                start = excluded + 1;
            }
        }

        Scan(scores, start, scores.Length, heap, ref count);

        // Heap sort in place: repeatedly move the worst kept item to the end.
        for (var last = count - 1; last > 0; last--)
        {
            (heap[0], heap[last]) = (heap[last], heap[0]);
            SiftDown(scores, heap, 0, last);
        }

        return count;
    }

    private static void Scan(ReadOnlySpan<float> scores, int from, int to, Span<int> heap, ref int count)
    {
        var k = heap.Length;
        var i = from;
        for (; i < to && count < k; i++)
        {
            heap[count] = i;
            SiftUp(scores, heap, count);
            count++;
        }

        if (i >= to)
        {
            return;
        }

        // Items arrive in ascending id order, so a newcomer never wins a tie against a kept item:
        // it must score strictly higher than the worst kept one (NaN aside).
        var worst = scores[heap[0]];
        for (; i < to; i++)
        {
            var s = scores[i];
            if (!(s > worst) && (float.IsNaN(s) || !float.IsNaN(worst)))
            {
                continue;
            }

            heap[0] = i;
            SiftDown(scores, heap, 0, k);
            worst = scores[heap[0]];
        }
    }

    // Min-heap on rank: the root is the item that ranks lowest among those kept.
    private static void SiftUp(ReadOnlySpan<float> scores, Span<int> heap, int index)
    {
        var item = heap[index];
        var score = scores[item];
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            var p = heap[parent];
            if (!RanksAbove(scores[p], p, score, item))
            {
                break;
            }

            heap[index] = p;
            index = parent;
        }

        heap[index] = item;
    }

    private static void SiftDown(ReadOnlySpan<float> scores, Span<int> heap, int index, int count)
    {
        var item = heap[index];
        var score = scores[item];
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= count)
            {
                break;
            }

            var c = heap[child];
            var right = child + 1;
            if (right < count && RanksAbove(scores[c], c, scores[heap[right]], heap[right]))
            {
                child = right;
                c = heap[right];
            }

            if (!RanksAbove(score, item, scores[c], c))
            {
                break;
            }

            heap[index] = c;
            index = child;
        }

        heap[index] = item;
    }
}
