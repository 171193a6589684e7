using Spumr.Core.Data;
using Spumr.Core.Evaluation;

namespace Spumr.Core.Tests.Evaluation;

public sealed class RankingEvaluatorTests
{
    private const double Tolerance = 1e-12;

    // Three users, six items, built from an .inter-style table so the splits are MMRec's.
    //   user 0: train {0}, validation {1}, test {3}
    //   user 1: train {2}, nothing in validation or test  -> skipped in both
    //   user 2: train {5}, test {0, 4}
    private static readonly InteractionTable Table = new(
        users: [0, 0, 0, 1, 2, 2, 2],
        items: [0, 1, 3, 2, 5, 0, 4],
        splits: [SplitLabel.Train, SplitLabel.Validation, SplitLabel.Test, SplitLabel.Train, SplitLabel.Train, SplitLabel.Test, SplitLabel.Test]);

    // item:              0     1     2     3     4     5
    private static readonly float[] Scores =
    [
        0.9f, 0.8f, 0.5f, 0.5f, 0.1f, 0.7f,   // user 0
        0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f,   // user 1
        0.2f, 0.3f, 0.4f, 0.1f, 0.6f, 0.9f,   // user 2
    ];

    private static UserItemMatrix Split(params SplitLabel[] splits) => UserItemMatrix.FromTable(Table, 3, 6, splits);

    [Fact]
    public void Test_split_masks_training_items_only_breaks_ties_by_lower_id_and_skips_users_without_test_items()
    {
        // User 0, training item 0 masked (its 0.9 would rank first otherwise); validation item 1 is
        // NOT masked at test time and keeps its 0.8:
        //   rank 1: item 1 (0.8), 2: item 5 (0.7), 3: item 2 (0.5), 4: item 3 (0.5, tie lost to
        //   item 2's lower id), 5: item 4 (0.1).
        //   T = {3}: one hit at rank 4.
        //   Recall@1 = 0, @3 = 0, @5 = 1.
        //   NDCG@1 = NDCG@3 = 0; NDCG@5 = (1/log2(5)) / (1/log2(2)) = 0.430676558073393.
        // User 1 has no test item: skipped (it would otherwise pull every average down).
        // User 2, training item 5 masked:
        //   rank 1: item 4 (0.6), 2: item 2 (0.4), 3: item 1 (0.3), 4: item 0 (0.2), 5: item 3 (0.1).
        //   T = {0, 4}: hits at ranks 1 and 4.
        //   Recall@1 = 1/2, @3 = 1/2, @5 = 2/2 = 1.
        //   NDCG@1 = 1 / 1 = 1 (ideal: min(2, 1) = 1 hit at rank 1).
        //   NDCG@3 = 1 / (1 + 1/log2(3)) = 1 / 1.630929753571457 = 0.613147192765458.
        //   NDCG@5 = (1 + 1/log2(5)) / (1 + 1/log2(3)) = 1.430676558073393 / 1.630929753571457 = 0.877215315338049.
        // Averages over the 2 evaluated users:
        //   Recall@1 = (0 + 0.5) / 2 = 0.25, Recall@3 = (0 + 0.5) / 2 = 0.25, Recall@5 = (1 + 1) / 2 = 1.
        //   NDCG@1 = (0 + 1) / 2 = 0.5, NDCG@3 = 0.613147192765458 / 2 = 0.306573596382729,
        //   NDCG@5 = (0.430676558073393 + 0.877215315338049) / 2 = 0.653945936705721.
        var evaluator = new RankingEvaluator(Split(SplitLabel.Train), Split(SplitLabel.Test), [1, 3, 5]);
        Assert.Equal([0, 2], evaluator.EvaluatedUsers);

        var result = evaluator.Evaluate(new MatrixScorer(Scores, 6));

        Assert.Equal(2, result.UserCount);
        Assert.Equal(0.25, result.RecallAt(1), Tolerance);
        Assert.Equal(0.25, result.RecallAt(3), Tolerance);
        Assert.Equal(1.0, result.RecallAt(5), Tolerance);
        Assert.Equal(0.5, result.NdcgAt(1), Tolerance);
        Assert.Equal(0.306573596382729, result.NdcgAt(3), Tolerance);
        Assert.Equal(0.653945936705721, result.NdcgAt(5), Tolerance);
    }

    [Fact]
    public void Masking_validation_items_too_would_change_the_result()
    {
        // The same data with train + validation masked (what the protocol must NOT do at test
        // time): user 0 loses item 1, so item 3 moves up to rank 3 and Recall@3 becomes
        // (1 + 0.5) / 2 = 0.75 instead of 0.25. This guards the test above against passing by accident.
        var wrong = new RankingEvaluator(Split(SplitLabel.Train, SplitLabel.Validation), Split(SplitLabel.Test), [3]);
        Assert.Equal(0.75, wrong.Evaluate(new MatrixScorer(Scores, 6)).RecallAt(3), Tolerance);
    }

    [Fact]
    public void Validation_split_evaluates_only_users_with_validation_items()
    {
        // Only user 0 has a validation item (item 1). Mask = train {0}; ranking as above puts
        // item 1 first: Recall@1 = 1/1 = 1, NDCG@1 = 1. Users 1 and 2 are skipped.
        var evaluator = new RankingEvaluator(Split(SplitLabel.Train), Split(SplitLabel.Validation), [1]);
        var result = evaluator.Evaluate(new MatrixScorer(Scores, 6));
        Assert.Equal(1, result.UserCount);
        Assert.Equal(1.0, result.RecallAt(1), Tolerance);
        Assert.Equal(1.0, result.NdcgAt(1), Tolerance);
    }

    [Fact]
    public void K_beyond_the_rankable_items_keeps_the_hits_of_the_whole_ranking()
    {
        // Default K = 5, 10, 20, 50 with 6 items: user 0 ranks 5 items (one masked) and user 2
        // ranks 5, so K = 10, 20 and 50 equal K = 5: Recall 1, NDCG 0.653945936705721 (above).
        // IDCG for user 2 stays capped at min(|T|, K) = 2 hits.
        var evaluator = new RankingEvaluator(Split(SplitLabel.Train), Split(SplitLabel.Test));
        var result = evaluator.Evaluate(new MatrixScorer(Scores, 6));
        Assert.Equal([5, 10, 20, 50], result.Ks);
        foreach (var k in new[] { 5, 10, 20, 50 })
        {
            Assert.Equal(1.0, result.RecallAt(k), Tolerance);
            Assert.Equal(0.653945936705721, result.NdcgAt(k), Tolerance);
        }
    }

    [Fact]
    public void Ranked_lists_from_elsewhere_give_the_same_numbers()
    {
        // The rankings written out in the first test, as a serving layer would return them.
        var lists = new Dictionary<int, int[]>
        {
            [0] = [1, 5, 2, 3, 4],
            [2] = [4, 2, 1, 0, 3],
        };
        var evaluator = new RankingEvaluator(Split(SplitLabel.Train), Split(SplitLabel.Test), [1, 3, 5]);
        var asked = new List<int>();
        var result = evaluator.EvaluateRankedLists(u =>
        {
            asked.Add(u);
            return lists[u];
        });

        Assert.Equal([0, 2], asked);
        Assert.Equal(evaluator.Evaluate(new MatrixScorer(Scores, 6)), result, new ResultComparer());
        Assert.Equal(0.306573596382729, result.NdcgAt(3), Tolerance);
    }

    [Fact]
    public void Ranked_lists_with_a_repeated_or_unknown_item_are_rejected()
    {
        var evaluator = new RankingEvaluator(Split(SplitLabel.Train), Split(SplitLabel.Test), [3]);
        var twice = Assert.Throws<InvalidOperationException>(() => evaluator.EvaluateRankedLists(u => u == 0 ? [1, 5, 1] : [4]));
        Assert.Contains("user 0 has item 1 twice", twice.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<InvalidOperationException>(() => evaluator.EvaluateRankedLists(u => u == 0 ? [1] : [4, 6]));
        Assert.Contains("user 2 has item 6 at rank 2", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_result_does_not_depend_on_block_size_or_thread_count()
    {
        var baseline = new RankingEvaluator(Split(SplitLabel.Train), Split(SplitLabel.Test), [1, 3, 5]).Evaluate(new MatrixScorer(Scores, 6));
        foreach (var block in new[] { 1, 2, 3, 1024 })
        {
            var scorer = new MatrixScorer(Scores, 6);
            var evaluator = new RankingEvaluator(Split(SplitLabel.Train), Split(SplitLabel.Test), [1, 3, 5]) { MaxDegreeOfParallelism = 1 };
            Assert.Equal(baseline, evaluator.Evaluate(scorer, block), new ResultComparer());
            Assert.Equal((2 + block - 1) / block, scorer.Calls);
        }
    }

    [Fact]
    public void A_split_without_any_user_averages_to_zero()
    {
        var empty = UserItemMatrix.FromPairs([], 3, 6);
        var result = new RankingEvaluator(Split(SplitLabel.Train), empty).Evaluate(new MatrixScorer(Scores, 6));
        Assert.Equal(0, result.UserCount);
        Assert.Equal(0.0, result.RecallAt(20));
        Assert.Equal(0.0, result.NdcgAt(20));
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var train = Split(SplitLabel.Train);
        var test = Split(SplitLabel.Test);
        var shape = Assert.Throws<ArgumentException>(() => new RankingEvaluator(train, UserItemMatrix.FromPairs([], 3, 7)));
        Assert.Contains("3 users x 6 items but the target is 3 x 7", shape.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RankingEvaluator(train, test, [10, 0]));
        Assert.Throws<ArgumentException>(() => new RankingEvaluator(train, test, []));

        var evaluator = new RankingEvaluator(train, test);
        var items = Assert.Throws<ArgumentException>(() => evaluator.Evaluate(new MatrixScorer(new float[21], 7)));
        Assert.Contains("scorer ranks 7 items but the evaluation split has 6", items.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => evaluator.Evaluate(new MatrixScorer(Scores, 6), blockSize: 0));

        var missing = Assert.Throws<KeyNotFoundException>(() => evaluator.Evaluate(new MatrixScorer(Scores, 6)).RecallAt(7));
        Assert.Contains("@7 was not computed; this result has K = 5, 10, 20, 50", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluation_can_be_cancelled_between_blocks()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var evaluator = new RankingEvaluator(Split(SplitLabel.Train), Split(SplitLabel.Test));
        Assert.ThrowsAny<OperationCanceledException>(() => evaluator.Evaluate(new MatrixScorer(Scores, 6), 1, cts.Token));
    }
}

/// <summary>Exact equality of two results (same users, same K, bit-identical averages).</summary>
internal sealed class ResultComparer : IEqualityComparer<EvaluationResult>
{
    public bool Equals(EvaluationResult? x, EvaluationResult? y) =>
        x is not null && y is not null && x.UserCount == y.UserCount
        && x.Recall.OrderBy(kv => kv.Key).SequenceEqual(y.Recall.OrderBy(kv => kv.Key))
        && x.Ndcg.OrderBy(kv => kv.Key).SequenceEqual(y.Ndcg.OrderBy(kv => kv.Key));

    public int GetHashCode(EvaluationResult obj) => obj.UserCount;
}
