using System.Numerics;
using System.Runtime.Intrinsics;

namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// Exact all-pairs cosine kNN over unit vectors: the upper triangle of the similarity matrix in
/// square tiles (each pair computed once and offered to both rows), tiles shared out to worker
/// threads that each keep their own top-k table, merged at the end. Memory: the unit vectors,
/// one tile per thread and one top-k table per thread; never a dense rows x rows matrix.
/// </summary>
internal static unsafe class CosineKnnBuilder
{
    private const int Tile = 256;

    /// <param name="unit">Row-major unit vectors (rowCount x width).</param>
    /// <param name="validRows">Rows with a valid vector, ascending; the others get no edges.</param>
    public static CsrGraph Build(float[] unit, int width, int rowCount, int[] validRows, int k, int workers)
    {
        var blocks = (validRows.Length + Tile - 1) / Tile;
        var tiles = new List<(int I, int J)>(blocks * (blocks + 1) / 2);
        for (var i = 0; i < blocks; i++)
        {
            for (var j = i; j < blocks; j++)
            {
                tiles.Add((i, j));
            }
        }

        var threads = Math.Max(1, Math.Min(workers, tiles.Count));
        var tables = new TopKTable[threads];
        var next = -1;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, w =>
        {
            var table = tables[w] = new TopKTable(rowCount, k);
            var output = new float[Tile * Tile];
            var thresholdJ = new float[Tile];
            int t;
            while ((t = Interlocked.Increment(ref next)) < tiles.Count)
            {
                RunTile(unit, width, validRows, tiles[t].I, tiles[t].J, table, output, thresholdJ);
            }
        });

        return tables[0].ToCsr(tables[1..]);
    }

    private static void RunTile(float[] unit, int width, int[] valid, int bi, int bj, TopKTable table, float[] output, float[] thresholdJ)
    {
        var i0 = bi * Tile;
        var j0 = bj * Tile;
        var ni = Math.Min(Tile, valid.Length - i0);
        var nj = Math.Min(Tile, valid.Length - j0);
        fixed (float* u = unit, o = output)
        {
            DotProductKernel.ForCurrentThread().Compute(
                u, width, RowSelection.Of(valid.AsSpan(i0, ni)),
                u, width, RowSelection.Of(valid.AsSpan(j0, nj)),
                width, o, nj);
        }

        var rowsJ = valid.AsSpan(j0, nj);
        for (var jj = 0; jj < nj; jj++)
        {
            thresholdJ[jj] = table.Threshold[rowsJ[jj]];
        }

        var diagonal = bi == bj;
        for (var ii = 0; ii < ni; ii++)
        {
            var ri = valid[i0 + ii];
            var row = output.AsSpan(ii * nj, nj);
            var start = diagonal ? ii + 1 : 0;
            var jj = start;
            for (; jj + 16 <= nj; jj += 16)
            {
                var v = Vector512.Create(row.Slice(jj, 16));
                var toRow = Vector512.GreaterThanOrEqual(v, Vector512.Create(table.Threshold[ri])).ExtractMostSignificantBits();
                var toColumns = Vector512.GreaterThanOrEqual(v, Vector512.Create(thresholdJ.AsSpan(jj, 16))).ExtractMostSignificantBits();
                while (toRow != 0)
                {
                    var x = jj + BitOperations.TrailingZeroCount(toRow);
                    toRow &= toRow - 1;
                    table.Offer(ri, rowsJ[x], row[x]);
                }

                while (toColumns != 0)
                {
                    var x = jj + BitOperations.TrailingZeroCount(toColumns);
                    toColumns &= toColumns - 1;
                    table.Offer(rowsJ[x], ri, row[x]);
                    thresholdJ[x] = table.Threshold[rowsJ[x]];
                }
            }

            for (; jj < nj; jj++)
            {
                table.Offer(ri, rowsJ[jj], row[jj]);
                table.Offer(rowsJ[jj], ri, row[jj]);
                thresholdJ[jj] = table.Threshold[rowsJ[jj]];
            }
        }
    }
}
