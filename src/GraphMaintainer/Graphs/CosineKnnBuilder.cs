using System.Numerics;
using System.Runtime.Intrinsics;

namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// Exact all-pairs cosine kNN over unit vectors: the upper triangle of the similarity matrix in
/// square tiles (each pair computed once and offered to both rows), tiles shared out to worker
/// threads that each keep their own top-k table, merged at the end. Memory: the unit vectors,
/// one tile per thread and one top-k table per thread; never a dense rows x rows matrix.
/// Rows without a valid vector are zero rows: their similarities are 0 and never listed.
/// </summary>
internal static unsafe class CosineKnnBuilder
{
    private const int Tile = 256;

    public static CsrGraph Build(PanelMatrix unit, int k, int workers)
    {
        var n = unit.Rows;
        var blocks = (n + Tile - 1) / Tile;
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
            var table = tables[w] = new TopKTable(n, k);
            var output = new float[Tile * Tile];
            var thresholdJ = new float[Tile];
            int t;
            while ((t = Interlocked.Increment(ref next)) < tiles.Count)
            {
                RunTile(unit, tiles[t].I, tiles[t].J, table, output, thresholdJ);
            }
        });

        return threads == 0 || n == 0 ? new TopKTable(n, k).ToCsr([]) : tables[0].ToCsr(tables[1..]);
    }

    private static void RunTile(PanelMatrix unit, int bi, int bj, TopKTable table, float[] output, float[] thresholdJ)
    {
        var i0 = bi * Tile;
        var j0 = bj * Tile;
        var ni = Math.Min(Tile, unit.Rows - i0);
        var nj = Math.Min(Tile, unit.Rows - j0);
        fixed (float* u = unit.Data, o = output)
        {
            DotProductKernel.ForCurrentThread().Compute(u, unit.Width, RowSelection.Range(i0, ni), j0, nj, o, nj);
        }

        for (var jj = 0; jj < nj; jj++)
        {
            thresholdJ[jj] = table.Threshold[j0 + jj];
        }

        var diagonal = bi == bj;
        for (var ii = 0; ii < ni; ii++)
        {
            var ri = i0 + ii;
            var row = output.AsSpan(ii * nj, nj);
            var jj = diagonal ? ii + 1 : 0;
            for (; jj + 16 <= nj; jj += 16)
            {
                var v = Vector512.Create(row.Slice(jj, 16));
                var toRow = Vector512.GreaterThanOrEqual(v, Vector512.Create(table.Threshold[ri])).ExtractMostSignificantBits();
                var toColumns = Vector512.GreaterThanOrEqual(v, Vector512.Create(thresholdJ.AsSpan(jj, 16))).ExtractMostSignificantBits();
                while (toRow != 0)
                {
                    var x = jj + BitOperations.TrailingZeroCount(toRow);
                    toRow &= toRow - 1;
                    table.Offer(ri, j0 + x, row[x]);
                }

                while (toColumns != 0)
                {
                    var x = jj + BitOperations.TrailingZeroCount(toColumns);
                    toColumns &= toColumns - 1;
                    table.Offer(j0 + x, ri, row[x]);
                    thresholdJ[x] = table.Threshold[j0 + x];
                }
            }

            for (; jj < nj; jj++)
            {
                table.Offer(ri, j0 + jj, row[jj]);
                table.Offer(j0 + jj, ri, row[jj]);
                thresholdJ[jj] = table.Threshold[j0 + jj];
            }
        }
    }
}
