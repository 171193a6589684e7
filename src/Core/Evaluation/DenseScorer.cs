using System.Numerics.Tensors;

namespace Spumr.Core.Evaluation;

/// <summary>
/// Scores by dot product of dense user and item embeddings (row-major, one row per id), so
/// models that export embeddings can be evaluated and served without Torch.
/// </summary>
public sealed class DenseScorer : IUserScorer
{
    // Items per tile: 128 rows of a 64-d embedding are 32 KiB, so a tile stays in cache while
    // a chunk of users is scored against it.
    private const int ItemTile = 128;
    private const int UserChunk = 16;

    private readonly ReadOnlyMemory<float> _users;
    private readonly ReadOnlyMemory<float> _items;

    public DenseScorer(ReadOnlyMemory<float> userEmbeddings, ReadOnlyMemory<float> itemEmbeddings, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (userEmbeddings.Length % dimension != 0)
        {
            throw new ArgumentException($"{userEmbeddings.Length} user values are not whole rows of {dimension}.", nameof(userEmbeddings));
        }

        if (itemEmbeddings.Length % dimension != 0)
        {
            throw new ArgumentException($"{itemEmbeddings.Length} item values are not whole rows of {dimension}.", nameof(itemEmbeddings));
        }

        _users = userEmbeddings;
        _items = itemEmbeddings;
        Dimension = dimension;
        UserCount = userEmbeddings.Length / dimension;
        ItemCount = itemEmbeddings.Length / dimension;
    }

    public int Dimension { get; }

    public int UserCount { get; }

    public int ItemCount { get; }

    /// <summary>Upper bound on threads scoring at once; -1 (the default) for all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    public void Score(ReadOnlySpan<int> users, Span<float> scores)
    {
        var itemCount = ItemCount;
        if (scores.Length != (long)users.Length * itemCount)
        {
            throw new ArgumentException($"The score buffer has {scores.Length} values, expected {users.Length} users x {itemCount} items.", nameof(scores));
        }

        foreach (var u in users)
        {
            if ((uint)u >= (uint)UserCount)
            {
                throw new ArgumentOutOfRangeException(nameof(users), $"User {u} is outside the {UserCount} embedded users.");
            }
        }

        if (users.Length == 0)
        {
            return;
        }

        // Spans cannot cross into the parallel loop: copy the ids, pin the output.
        var ids = users.ToArray();
        unsafe
        {
            fixed (float* output = scores)
            {
                var address = (nint)output;
                var chunks = (ids.Length + UserChunk - 1) / UserChunk;
                Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism }, chunk =>
                {
                    var from = chunk * UserChunk;
                    var to = Math.Min(from + UserChunk, ids.Length);
                    ScoreChunk(ids, from, to, new Span<float>((float*)address + ((long)from * itemCount), (to - from) * itemCount));
                });
            }
        }
    }

    private void ScoreChunk(int[] ids, int from, int to, Span<float> output)
    {
        var d = Dimension;
        var itemCount = ItemCount;
        var users = _users.Span;
        var items = _items.Span;
        for (var tile = 0; tile < itemCount; tile += ItemTile)
        {
            var tileEnd = Math.Min(tile + ItemTile, itemCount);
            for (var k = from; k < to; k++)
            {
                var user = users.Slice(ids[k] * d, d);
                var row = output.Slice((k - from) * itemCount, itemCount);
                for (var i = tile; i < tileEnd; i++)
                {
                    row[i] = TensorPrimitives.Dot(user, items.Slice(i * d, d));
                }
            }
        }
    }
}
