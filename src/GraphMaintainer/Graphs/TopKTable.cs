namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// A bounded ranked list per row (positive weights only), for batch builds. <see cref="Threshold"/>
/// is the weight an offer must reach to have a chance (0 until a row is full), for vector pre-filters.
/// </summary>
internal sealed class TopKTable
{
    private readonly int _k;

    public TopKTable(int rows, int k)
    {
        _k = k;
        Ids = new int[(long)rows * k];
        Weights = new float[(long)rows * k];
        Counts = new int[rows];
        Threshold = new float[rows];
    }

    public int Rows => Counts.Length;

    public int[] Ids { get; }

    public float[] Weights { get; }

    public int[] Counts { get; }

    public float[] Threshold { get; }

    public void Offer(int row, int id, float weight)
    {
        if (!(weight > 0f))
        {
            return;
        }

        var ids = Ids.AsSpan(row * _k, _k);
        var weights = Weights.AsSpan(row * _k, _k);
        var count = RankedList.Insert(ids, weights, Counts[row], id, weight);
        Counts[row] = count;
        if (count == _k)
        {
            Threshold[row] = weights[_k - 1];
        }
    }

    /// <summary>Writes every row's list into a CSR graph, merging in the lists of <paramref name="others"/>.</summary>
    public CsrGraph ToCsr(IReadOnlyList<TopKTable> others)
    {
        foreach (var other in others)
        {
            for (var r = 0; r < Rows; r++)
            {
                var o = r * _k;
                for (var i = 0; i < other.Counts[r]; i++)
                {
                    Offer(r, other.Ids[o + i], other.Weights[o + i]);
                }
            }
        }

        var offsets = new int[Rows + 1];
        for (var r = 0; r < Rows; r++)
        {
            offsets[r + 1] = offsets[r] + Counts[r];
        }

        var columns = new int[offsets[Rows]];
        var values = new float[offsets[Rows]];
        for (var r = 0; r < Rows; r++)
        {
            Ids.AsSpan(r * _k, Counts[r]).CopyTo(columns.AsSpan(offsets[r]));
            Weights.AsSpan(r * _k, Counts[r]).CopyTo(values.AsSpan(offsets[r]));
        }

        return new CsrGraph(Rows, Rows, offsets, columns, values);
    }
}
