namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// The form the modality graphs take in training (MODEL.md §2, as FREEDOM/LATTICE): the kNN
/// lists symmetrised as a binary adjacency A ∨ Aᵀ, then D^-1/2 A D^-1/2 with D the degrees of
/// that symmetric A. Rows are sorted by column; rows without edges are empty.
/// </summary>
public static class GraphNormalization
{
    public static CsrGraph SymmetricNormalized(CsrGraph neighbors)
    {
        ArgumentNullException.ThrowIfNull(neighbors);
        if (neighbors.RowCount != neighbors.ColumnCount)
        {
            throw new ArgumentException($"A similarity graph must be square; got {neighbors.RowCount} x {neighbors.ColumnCount}.", nameof(neighbors));
        }

        var n = neighbors.RowCount;
        var bound = new int[n + 1];
        for (var r = 0; r < n; r++)
        {
            foreach (var c in neighbors.ColumnsOf(r))
            {
                bound[r + 1]++;
                bound[c + 1]++;
            }
        }

        for (var r = 0; r < n; r++)
        {
            bound[r + 1] += bound[r];
        }

        var scratch = new int[bound[n]];
        var fill = (int[])bound.Clone();
        for (var r = 0; r < n; r++)
        {
            foreach (var c in neighbors.ColumnsOf(r))
            {
                scratch[fill[r]++] = c;
                scratch[fill[c]++] = r;
            }
        }

        // Sort each row and drop the duplicates that mutual neighbours produce.
        var degree = new int[n];
        for (var r = 0; r < n; r++)
        {
            var row = scratch.AsSpan(bound[r], bound[r + 1] - bound[r]);
            row.Sort();
            var d = 0;
            for (var i = 0; i < row.Length; i++)
            {
                if (i == 0 || row[i] != row[i - 1])
                {
                    row[d++] = row[i];
                }
            }

            degree[r] = d;
        }

        var offsets = new int[n + 1];
        for (var r = 0; r < n; r++)
        {
            offsets[r + 1] = offsets[r] + degree[r];
        }

        var columns = new int[offsets[n]];
        var values = new float[offsets[n]];
        for (var r = 0; r < n; r++)
        {
            var row = scratch.AsSpan(bound[r], degree[r]);
            row.CopyTo(columns.AsSpan(offsets[r]));
            for (var i = 0; i < row.Length; i++)
            {
                values[offsets[r] + i] = (float)(1.0 / Math.Sqrt((double)degree[r] * degree[row[i]]));
            }
        }

        return new CsrGraph(n, n, offsets, columns, values);
    }
}
