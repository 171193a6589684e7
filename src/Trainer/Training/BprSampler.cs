using Spumr.Core.Data;

namespace Spumr.Trainer.Training;

/// <summary>
/// MMRec's training batches: each epoch is one shuffled pass over the training interactions; every
/// positive gets one negative drawn uniformly from the items seen in training, redrawn while the user
/// has it in training. Seeded, so the same seed gives the same batches in the same order.
/// </summary>
public sealed class BprSampler
{
    private readonly UserItemMatrix _train;
    private readonly int[] _users;
    private readonly int[] _items;
    private readonly int[] _candidates;
    private readonly Random _random;

    public BprSampler(UserItemMatrix train, int seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        _train = train;
        _users = new int[train.NonZeroCount];
        _items = new int[train.NonZeroCount];
        var seen = new bool[train.ItemCount];
        var k = 0;
        for (var u = 0; u < train.UserCount; u++)
        {
            foreach (var i in train.ItemsOf(u))
            {
                _users[k] = u;
                _items[k] = i;
                seen[i] = true;
                k++;
            }
        }

        _candidates = [.. Enumerable.Range(0, train.ItemCount).Where(i => seen[i])];
        for (var u = 0; u < train.UserCount; u++)
        {
            if (train.CountOf(u) > 0 && train.CountOf(u) >= _candidates.Length)
            {
                throw new ArgumentException($"User {u} has every training item; no negative can be drawn for it.", nameof(train));
            }
        }

        _random = new Random(seed);
    }

    /// <summary>Training interactions in one epoch.</summary>
    public int InteractionCount => _users.Length;

    /// <summary>Items a negative can be: those with at least one training interaction.</summary>
    public int CandidateCount => _candidates.Length;

    public int BatchCount(int batchSize) => (InteractionCount + batchSize - 1) / batchSize;

    /// <summary>One epoch's batches (the last may be smaller), shuffled anew on every call.</summary>
    public IEnumerable<BprTriples> Epoch(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var order = new int[InteractionCount];
        for (var e = 0; e < order.Length; e++)
        {
            order[e] = e;
        }

        _random.Shuffle(order);
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var size = Math.Min(batchSize, order.Length - start);
            var triples = new BprTriples(new long[size], new long[size], new long[size]);
            for (var b = 0; b < size; b++)
            {
                var e = order[start + b];
                var user = _users[e];
                triples.Users[b] = user;
                triples.Positives[b] = _items[e];
                triples.Negatives[b] = DrawNegative(user);
            }

            yield return triples;
        }
    }

    private int DrawNegative(int user)
    {
        while (true)
        {
            var item = _candidates[_random.Next(_candidates.Length)];
            if (!_train.Contains(user, item))
            {
                return item;
            }
        }
    }
}

/// <summary>A batch of (user, positive, negative) ids, ready to become int64 tensors.</summary>
public sealed record BprTriples(long[] Users, long[] Positives, long[] Negatives)
{
    public int Size => Users.Length;
}
