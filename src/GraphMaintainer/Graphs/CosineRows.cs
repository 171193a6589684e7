namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// Cosine similarity rows over a matrix of unit vectors (zero rows for rows without a valid
/// vector, whose similarities are then all zero and never become edges). Rows are computed in
/// blocks as one matrix product per block, split by column ranges across threads.
/// </summary>
internal sealed unsafe class CosineRows(Func<float[]> unitVectors, int width, Func<int> rowCount) : RowSimilarity
{
    private const int Block = 256;
    private const int ColumnChunk = 2048;

    private float[] _out = [];

    public override int RowCount => rowCount();

    public override void ForEachRow(int[] rows, RowVisitor visit, int workers)
    {
        var n = RowCount;
        var unit = unitVectors();
        var needed = (long)Math.Min(rows.Length, Block) * n;
        if (_out.LongLength < needed)
        {
            _out = GC.AllocateUninitializedArray<float>(checked((int)needed));
        }

        var output = _out;
        var chunks = (n + ColumnChunk - 1) / ColumnChunk;
        for (var b0 = 0; b0 < rows.Length; b0 += Block)
        {
            var start = b0;
            var count = Math.Min(Block, rows.Length - b0);
            ParallelLoop.For(chunks, workers, chunk =>
            {
                var c0 = chunk * ColumnChunk;
                var cn = Math.Min(ColumnChunk, n - c0);
                fixed (float* u = unit, o = output)
                {
                    DotProductKernel.ForCurrentThread().Compute(
                        u, width, RowSelection.Of(rows.AsSpan(start, count)),
                        u, width, RowSelection.Range(c0, cn),
                        width, o + c0, n);
                }
            });
            ParallelLoop.For(count, workers, i => visit(rows[start + i], output.AsSpan(i * n, n), default, false));
        }
    }
}
