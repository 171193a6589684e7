namespace Spumr.Serving.Ranking;

/// <summary>One ranked item: its row in the loaded model and its score.</summary>
public readonly record struct RankedItem(int Row, float Score);

/// <summary>
/// Partial top-K over a score vector, without sorting all of it: a bounded heap of the K best so far,
/// O(n log k). Order: higher score first, ties by lower row (the same rule as the offline evaluation,
/// so online and offline rankings agree). Entries scored <see cref="float.NegativeInfinity"/> are
/// excluded (seen items, the query item).
/// </summary>
/// <remarks>
/// The seam for Core's deterministic TopK (src/Core/Evaluation): once that lands on main, this class
/// delegates to it and keeps only the exclusion convention.
/// </remarks>
internal static class TopKSelector
{
    public const float Excluded = float.NegativeInfinity;

    public static RankedItem[] Select(ReadOnlySpan<float> scores, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var heap = new RankedItem[Math.Min(k, scores.Length)];
        var count = 0;
        for (var row = 0; row < scores.Length; row++)
        {
            var score = scores[row];
            if (score == Excluded)
            {
                continue;
            }

            if (count < heap.Length)
            {
                heap[count] = new RankedItem(row, score);
                SiftUp(heap, count++);
            }
            else if (heap.Length > 0 && score > heap[0].Score)
            {
                // A tie with the worst kept item never displaces it: rows arrive in increasing order,
                // so the kept one has the lower row and wins the tie.
                heap[0] = new RankedItem(row, score);
                SiftDown(heap, 0, count);
            }
        }

        var result = heap.AsSpan(0, count).ToArray();
        Array.Sort(result, static (a, b) => Better(a, b) ? -1 : Better(b, a) ? 1 : 0);
        return result;
    }

    /// <summary>True when <paramref name="a"/> ranks before <paramref name="b"/>.</summary>
    public static bool Better(RankedItem a, RankedItem b) => a.Score > b.Score || (a.Score == b.Score && a.Row < b.Row);

    // Min-heap on rank: the root is the worst kept item.
    private static void SiftUp(RankedItem[] heap, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Better(heap[parent], heap[i]))
            {
                return;
            }

            (heap[parent], heap[i]) = (heap[i], heap[parent]);
            i = parent;
        }
    }

    private static void SiftDown(RankedItem[] heap, int i, int count)
    {
        while (true)
        {
            var worst = i;
            var left = (2 * i) + 1;
            var right = left + 1;
            if (left < count && Better(heap[worst], heap[left]))
            {
                worst = left;
            }

            if (right < count && Better(heap[worst], heap[right]))
            {
                worst = right;
            }

            if (worst == i)
            {
                return;
            }

            (heap[worst], heap[i]) = (heap[i], heap[worst]);
            i = worst;
        }
    }
}
