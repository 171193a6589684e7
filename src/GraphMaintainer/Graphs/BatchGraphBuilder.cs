namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// Builds the four graph families from scratch, exactly (no approximate search):
/// <list type="bullet">
/// <item>item modal kNN: cosine of item vectors, all pairs in tiles (<see cref="CosineKnnBuilder"/>);</item>
/// <item>user modal kNN: cosine of profiles (sum of the user's items' vectors in ascending item id), likewise;</item>
/// <item>user Jaccard and item co-occurrence: overlap counts through the inverted index.</item>
/// </list>
/// The rules every list follows, here and in the incremental <c>GraphState</c>: only weights
/// &gt; 0 are listed (a cosine of 0 or below, or no overlap, is no edge); self is never listed;
/// ties go to the lower id; at most k entries; rows without a valid vector (absent, zero, or a
/// user with no item that has one) have no edges and appear in no list.
/// </summary>
public static class BatchGraphBuilder
{
    public static SimilarityGraphs Build(GraphSource source, GraphBuildOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new GraphBuildOptions();
        options.Validate();
        var names = source.Modalities.Select(m => m.Modality).ToList();
        var items = names.ToDictionary(m => m, m => ItemModal(source, m, options));
        var users = names.ToDictionary(m => m, m => UserModal(source, m, options));
        return new SimilarityGraphs(options.Neighbors, names, items, users, UserJaccard(source, options), ItemCooccurrence(source, options));
    }

    public static CsrGraph ItemModal(GraphSource source, string modality, GraphBuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var features = source.Modality(modality);
        var unit = new PanelMatrix(features.Width);
        unit.EnsureRows(source.ItemCount);
        var workers = ParallelLoop.Workers(options.MaxDegreeOfParallelism);
        ParallelLoop.For((source.ItemCount + 255) / 256, workers, block =>
        {
            var scratch = new float[features.Width];
            for (var i = block * 256; i < Math.Min(source.ItemCount, (block + 1) * 256); i++)
            {
                if (features.IsPresent(i) && UnitVectors.Normalize(features.Row(i), scratch))
                {
                    unit.SetRow(i, scratch);
                }
            }
        });

        return CosineKnnBuilder.Build(unit, options.Neighbors, workers);
    }

    public static CsrGraph UserModal(GraphSource source, string modality, GraphBuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var features = source.Modality(modality);
        var unit = new PanelMatrix(features.Width);
        unit.EnsureRows(source.UserCount);
        var workers = ParallelLoop.Workers(options.MaxDegreeOfParallelism);
        ParallelLoop.For((source.UserCount + 255) / 256, workers, block =>
        {
            var sum = new float[features.Width];
            var scratch = new float[features.Width];
            for (var u = block * 256; u < Math.Min(source.UserCount, (block + 1) * 256); u++)
            {
                if (UnitVectors.SumProfile(source.UserItems.SetOf(u), features, sum) > 0 && UnitVectors.Normalize(sum, scratch))
                {
                    unit.SetRow(u, scratch);
                }
            }
        });

        return CosineKnnBuilder.Build(unit, options.Neighbors, workers);
    }

    public static CsrGraph UserJaccard(GraphSource source, GraphBuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        return FromRows(new OverlapRows(source.UserItems, source.ItemUsers, OverlapMeasure.Jaccard), options);
    }

    public static CsrGraph ItemCooccurrence(GraphSource source, GraphBuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        return FromRows(new OverlapRows(source.ItemUsers, source.UserItems, OverlapMeasure.Cosine), options);
    }

    internal static CsrGraph FromRows(RowSimilarity rows, GraphBuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var n = rows.RowCount;
        var k = options.Neighbors;
        var table = new TopKTable(n, k);
        rows.ForEachRow([.. Enumerable.Range(0, n)], (row, values, nonZeros, sparse) =>
        {
            table.Counts[row] = RowSelect.Top(row, values, nonZeros, sparse, table.Ids.AsSpan(row * k, k), table.Weights.AsSpan(row * k, k));
        }, ParallelLoop.Workers(options.MaxDegreeOfParallelism));
        return table.ToCsr([]);
    }
}
