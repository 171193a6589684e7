using Spumr.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Spumr.Trainer.Graphs;

/// <summary>
/// The user-item graph of the training interactions as one symmetric (users + items) square matrix,
/// normalised D^-1/2 A D^-1/2, with users at rows 0..U-1 and items at U..U+I-1 (LightGCN's graph,
/// built as MMRec builds it: degree + 1e-7 so that isolated nodes do not divide by zero).
/// A data tensor: models hold a reference to it, never register it, so it is not saved as weights.
/// </summary>
public sealed class NormalizedUserItemGraph : IDisposable
{
    private const double DegreeEpsilon = 1e-7;

    private NormalizedUserItemGraph(int userCount, int itemCount, Tensor adjacency, long edgeCount)
    {
        UserCount = userCount;
        ItemCount = itemCount;
        Adjacency = adjacency;
        EdgeCount = edgeCount;
    }

    public int UserCount { get; }

    public int ItemCount { get; }

    public int NodeCount => UserCount + ItemCount;

    /// <summary>Stored entries: every interaction twice (user to item and item to user).</summary>
    public long EdgeCount { get; }

    /// <summary>Sparse COO, [NodeCount, NodeCount], float32.</summary>
    public Tensor Adjacency { get; }

    public static NormalizedUserItemGraph Build(UserItemMatrix train, Device device)
    {
        ArgumentNullException.ThrowIfNull(train);
        var users = train.UserCount;
        var items = train.ItemCount;
        var nnz = train.NonZeroCount;

        var itemDegree = new int[items];
        foreach (var i in train.Items)
        {
            itemDegree[i]++;
        }

        // Rows in ascending order: user rows first (u -> U + i), then item rows (U + i -> u).
        var rows = new long[2L * nnz];
        var cols = new long[2L * nnz];
        var values = new float[2L * nnz];
        var k = 0;
        for (var u = 0; u < users; u++)
        {
            var du = train.CountOf(u) + DegreeEpsilon;
            foreach (var i in train.ItemsOf(u))
            {
                rows[k] = u;
                cols[k] = users + i;
                values[k] = (float)(1.0 / Math.Sqrt(du * (itemDegree[i] + DegreeEpsilon)));
                k++;
            }
        }

        // Item rows: the transpose, grouped by item with users ascending (a counting sort by item).
        var start = new int[items + 1];
        for (var i = 0; i < items; i++)
        {
            start[i + 1] = start[i] + itemDegree[i];
        }

        var cursor = (int[])start.Clone();
        for (var e = 0; e < nnz; e++)
        {
            var slot = nnz + cursor[(int)cols[e] - users]++;
            rows[slot] = cols[e];
            cols[slot] = rows[e];
            values[slot] = values[e];
        }

        using var scope = NewDisposeScope();
        var indices = stack([tensor(rows), tensor(cols)]);
        var adjacency = sparse_coo_tensor(indices, tensor(values), [users + items, users + items]).to(device);
        return new NormalizedUserItemGraph(users, items, adjacency.MoveToOuterDisposeScope(), 2L * nnz);
    }

    /// <summary>One propagation step: Â x, with gradients to <paramref name="x"/>.</summary>
    public Tensor Propagate(Tensor x) => torch.mm(Adjacency, x);

    public void Dispose() => Adjacency.Dispose();
}
