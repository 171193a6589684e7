namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// Cosine similarity rows over unit vectors kept in a <see cref="PanelMatrix"/> (zero rows for
/// rows without a valid vector, whose similarities are then all zero and never become edges).
/// Rows are computed in blocks, one matrix product per block, split by column ranges across threads.
/// </summary>
internal sealed unsafe class CosineRows(PanelMatrix unitVectors) : RowSimilarity
{
    private const int Block = 256;
    private const int ColumnChunk = 64 * PanelMatrix.PanelRows;

    private float[] _out = [];

    public override int RowCount => unitVectors.Rows;

    public override void ForEachRow(int[] rows, RowVisitor visit, int workers)
    {
        var n = RowCount;
        var width = unitVectors.Width;
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
                fixed (float* u = unitVectors.Data, o = output)
                {
                    DotProductKernel.ForCurrentThread().Compute(u, width, RowSelection.Of(rows.AsSpan(start, count)), c0, Math.Min(ColumnChunk, n - c0), o + c0, n);
                }
            });
            ParallelLoop.For(count, workers, i => visit(rows[start + i], output.AsSpan(i * n, n), default, false));
        }
    }
}
