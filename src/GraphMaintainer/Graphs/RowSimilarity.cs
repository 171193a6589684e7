namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// Receives one computed similarity row. <paramref name="values"/> is indexed by the other
/// row's id; when <paramref name="sparse"/> is true only <paramref name="nonZeros"/> hold values
/// (every other entry is zero). The row's own entry must be ignored (self is never a neighbour).
/// </summary>
internal delegate void RowVisitor(int row, ReadOnlySpan<float> values, ReadOnlySpan<int> nonZeros, bool sparse);

/// <summary>
/// A similarity function computed a whole row at a time: the one place each family's arithmetic
/// lives, shared by the batch builders and the incremental repairs.
/// </summary>
internal abstract class RowSimilarity
{
    public abstract int RowCount { get; }

    /// <summary>Computes each listed row against all rows and calls <paramref name="visit"/> for it, from up to <paramref name="workers"/> threads.</summary>
    public abstract void ForEachRow(int[] rows, RowVisitor visit, int workers);
}

/// <summary>Runs an index loop on a fixed number of worker threads, each pulling the next index.</summary>
internal static class ParallelLoop
{
    public static void For(int count, int workers, Action<int> body)
    {
        if (workers <= 1 || count <= 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        var next = -1;
        var threads = Math.Min(workers, count);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                body(i);
            }
        });
    }

    public static int Workers(int maxDegreeOfParallelism)
        => maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
}
