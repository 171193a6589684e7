using Spumr.Core.Data;

namespace Spumr.Core.Evaluation;

/// <summary>
/// MMRec's full-ranking protocol (MODEL.md §7): every item is ranked for each user who has at
/// least one item in <c>target</c>; the user's <c>mask</c> items are excluded from the ranking;
/// Recall@K and NDCG@K are averaged over those users. For the test split the mask is the
/// training matrix only: validation items stay rankable, as in MMRec.
/// </summary>
public sealed class RankingEvaluator
{
    /// <summary>MMRec's cut-offs: 10 and 20 are reported, 5 and 50 computed too.</summary>
    public static readonly IReadOnlyList<int> DefaultKs = [5, 10, 20, 50];

    private readonly UserItemMatrix _mask;
    private readonly UserItemMatrix _target;
    private readonly int[] _ks;
    private readonly int[] _users;

    // _discount[r] = 1 / log2(r + 2): the gain of a hit at 0-based rank r.
    private readonly double[] _discount;

    // _idealDcg[n] = sum of the first n discounts: the DCG of n hits at the top.
    private readonly double[] _idealDcg;

    public RankingEvaluator(UserItemMatrix mask, UserItemMatrix target, IReadOnlyList<int>? ks = null)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(target);
        if (mask.UserCount != target.UserCount || mask.ItemCount != target.ItemCount)
        {
            throw new ArgumentException(
                $"The mask is {mask.UserCount} users x {mask.ItemCount} items but the target is {target.UserCount} x {target.ItemCount}.",
                nameof(target));
        }

        ks ??= DefaultKs;
        if (ks.Count == 0)
        {
            throw new ArgumentException("At least one K is needed.", nameof(ks));
        }

        foreach (var k in ks)
        {
            if (k <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(ks), $"K = {k}; every K must be positive.");
            }
        }

        _mask = mask;
        _target = target;
        _ks = [.. ks.Distinct().Order()];

        var users = new List<int>();
        for (var u = 0; u < target.UserCount; u++)
        {
            if (target.CountOf(u) > 0)
            {
                users.Add(u);
            }
        }

        _users = [.. users];
        Ks = Array.AsReadOnly(_ks);
        EvaluatedUsers = Array.AsReadOnly(_users);

        var maxK = _ks[^1];
        _discount = new double[maxK];
        _idealDcg = new double[maxK + 1];
        for (var r = 0; r < maxK; r++)
        {
            _discount[r] = 1.0 / Math.Log2(r + 2);
            _idealDcg[r + 1] = _idealDcg[r] + _discount[r];
        }
    }

    /// <summary>The cut-offs, ascending and distinct.</summary>
    public IReadOnlyList<int> Ks { get; }

    /// <summary>Users with at least one target item, ascending; the others are skipped.</summary>
    public IReadOnlyList<int> EvaluatedUsers { get; }

    public int ItemCount => _target.ItemCount;

    /// <summary>Upper bound on threads ranking users at once; -1 (the default) for all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// Scores the evaluated users <paramref name="blockSize"/> at a time and ranks each block in
    /// parallel. Memory: one <c>blockSize x ItemCount</c> float block. The result does not depend
    /// on the block size or thread count.
    /// </summary>
    public EvaluationResult Evaluate(IUserScorer scorer, int blockSize = 1024, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        var itemCount = ItemCount;
        if (scorer.ItemCount != itemCount)
        {
            throw new ArgumentException($"The scorer ranks {scorer.ItemCount} items but the evaluation split has {itemCount}.", nameof(scorer));
        }

        var kCount = _ks.Length;
        var maxK = _ks[^1];
        var perUser = new double[_users.Length * kCount * 2];
        var rows = Math.Min(blockSize, Math.Max(_users.Length, 1));
        if ((long)rows * itemCount > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(blockSize), $"A block of {rows} users x {itemCount} items does not fit in one array; use a smaller block.");
        }

        var scores = new float[rows * itemCount];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = MaxDegreeOfParallelism };
        for (var start = 0; start < _users.Length; start += rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(rows, _users.Length - start);
            scorer.Score(_users.AsSpan(start, count), scores.AsSpan(0, count * itemCount));
            var blockStart = start;
            Parallel.For(
                0,
                count,
                options,
                () => new int[maxK],
                (row, _, top) =>
                {
                    var index = blockStart + row;
                    var user = _users[index];
                    var n = TopK.Select(scores.AsSpan(row * itemCount, itemCount), _mask.ItemsOf(user), top);
                    Measure(user, top.AsSpan(0, n), perUser.AsSpan(index * kCount * 2, kCount * 2));
                    return top;
                },
                _ => { });
        }

        return Average(perUser);
    }

    /// <summary>
    /// Evaluates rankings produced elsewhere (for example asked from the HTTP API):
    /// <paramref name="topItems"/> returns a user's ranked items, best first, already masked; only
    /// the first max(K) count. Called once per evaluated user, in ascending user order, on the
    /// calling thread.
    /// </summary>
    public EvaluationResult EvaluateRankedLists(Func<int, IReadOnlyList<int>> topItems)
    {
        ArgumentNullException.ThrowIfNull(topItems);
        var kCount = _ks.Length;
        var maxK = _ks[^1];
        var perUser = new double[_users.Length * kCount * 2];
        var ranked = new int[maxK];
        var sorted = new int[maxK];
        for (var index = 0; index < _users.Length; index++)
        {
            var user = _users[index];
            var list = topItems(user) ?? throw new InvalidOperationException($"No ranked list for user {user}.");
            var n = Math.Min(list.Count, maxK);
            for (var r = 0; r < n; r++)
            {
                var item = list[r];
                if ((uint)item >= (uint)ItemCount)
                {
                    throw new InvalidOperationException($"The ranked list for user {user} has item {item} at rank {r + 1}, outside the {ItemCount} items.");
                }

                ranked[r] = item;
            }

            // A repeated item would be counted as two hits.
            ranked.AsSpan(0, n).CopyTo(sorted);
            sorted.AsSpan(0, n).Sort();
            for (var r = 1; r < n; r++)
            {
                if (sorted[r] == sorted[r - 1])
                {
                    throw new InvalidOperationException($"The ranked list for user {user} has item {sorted[r]} twice.");
                }
            }

            Measure(user, ranked.AsSpan(0, n), perUser.AsSpan(index * kCount * 2, kCount * 2));
        }

        return Average(perUser);
    }

    /// <summary>Writes the user's Recall@K for each K, then NDCG@K for each K, into <paramref name="output"/>.</summary>
    private void Measure(int user, ReadOnlySpan<int> ranked, Span<double> output)
    {
        var targets = _target.ItemsOf(user);
        var kCount = _ks.Length;
        var hits = 0;
        var dcg = 0.0;
        var next = 0;
        var depth = Math.Min(ranked.Length, _ks[^1]);
        for (var r = 0; r <= depth && next < kCount; r++)
        {
            // Every K up to r (1-based) is complete; a list shorter than K (fewer rankable items
            // than K) keeps the hits it has.
            while (next < kCount && (_ks[next] == r || r == depth))
            {
                output[next] = (double)hits / targets.Length;
                output[kCount + next] = dcg / _idealDcg[Math.Min(targets.Length, _ks[next])];
                next++;
            }

            if (r < depth && targets.BinarySearch(ranked[r]) >= 0)
            {
                hits++;
                dcg += _discount[r];
            }
        }
    }

    // Summed in user order so the result is the same whatever the thread schedule.
    private EvaluationResult Average(double[] perUser)
    {
        var kCount = _ks.Length;
        var recallSums = new double[kCount];
        var ndcgSums = new double[kCount];
        for (var index = 0; index < _users.Length; index++)
        {
            var row = perUser.AsSpan(index * kCount * 2, kCount * 2);
            for (var ki = 0; ki < kCount; ki++)
            {
                recallSums[ki] += row[ki];
                ndcgSums[ki] += row[kCount + ki];
            }
        }

        var users = _users.Length;
        var recall = new SortedDictionary<int, double>();
        var ndcg = new SortedDictionary<int, double>();
        for (var ki = 0; ki < kCount; ki++)
        {
            recall[_ks[ki]] = users == 0 ? 0 : recallSums[ki] / users;
            ndcg[_ks[ki]] = users == 0 ? 0 : ndcgSums[ki] / users;
        }

        return new EvaluationResult(users, recall, ndcg);
    }
}
