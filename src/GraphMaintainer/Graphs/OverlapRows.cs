namespace Spumr.GraphMaintainer.Graphs;

/// <summary>How an overlap count c = |A ∩ B| between two sets of sizes a and b becomes a weight.</summary>
public enum OverlapMeasure
{
    /// <summary>c / (a + b - c): user-user Jaccard of item sets.</summary>
    Jaccard,

    /// <summary>c / sqrt(a b): item-item co-occurrence of user sets.</summary>
    Cosine,
}

/// <summary>
/// Set-overlap similarity rows through an inverted index: for row r with set S(r) (forward),
/// every other row sharing a member is found through the members' back-references (backward).
/// Only rows with overlap &gt; 0 appear, so rows are sparse.
/// </summary>
internal sealed class OverlapRows(ISetFamily forward, ISetFamily backward, OverlapMeasure measure) : RowSimilarity
{
    [ThreadStatic]
    private static Scratch? _threadScratch;

    public override int RowCount => forward.Count;

    public static float Weight(OverlapMeasure measure, int overlap, int a, int b) => measure == OverlapMeasure.Jaccard
        ? (float)((double)overlap / (a + b - overlap))
        : (float)(overlap / Math.Sqrt((double)a * b));

    public override void ForEachRow(int[] rows, RowVisitor visit, int workers)
    {
        var n = RowCount;
        ParallelLoop.For(rows.Length, workers, idx =>
        {
            var s = _threadScratch;
            if (s is null || s.Counts.Length < n)
            {
                s = _threadScratch = new Scratch(Math.Max(n, (s?.Counts.Length ?? 0) * 2));
            }

            var row = rows[idx];
            var set = forward.SetOf(row);
            var touched = 0;
            foreach (var member in set)
            {
                foreach (var other in backward.SetOf(member))
                {
                    if (other != row && s.Counts[other]++ == 0)
                    {
                        s.Touched[touched++] = other;
                    }
                }
            }

            for (var t = 0; t < touched; t++)
            {
                var other = s.Touched[t];
                s.Values[other] = Weight(measure, s.Counts[other], set.Length, forward.SetOf(other).Length);
            }

            visit(row, s.Values.AsSpan(0, n), s.Touched.AsSpan(0, touched), true);
            for (var t = 0; t < touched; t++)
            {
                var other = s.Touched[t];
                s.Counts[other] = 0;
                s.Values[other] = 0f;
            }
        });
    }

    private sealed class Scratch(int size)
    {
        public int[] Counts { get; } = new int[size];

        public float[] Values { get; } = new float[size];

        public int[] Touched { get; } = new int[size];
    }
}
