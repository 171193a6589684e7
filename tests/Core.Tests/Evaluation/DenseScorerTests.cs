using Spumr.Core.Data;
using Spumr.Core.Evaluation;

namespace Spumr.Core.Tests.Evaluation;

public sealed class DenseScorerTests
{
    [Fact]
    public void Scores_are_dot_products_for_the_requested_users_in_their_order()
    {
        var rng = new Random(3);
        const int Users = 40, Items = 300, Dim = 24;
        var u = Enumerable.Range(0, Users * Dim).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var v = Enumerable.Range(0, Items * Dim).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var scorer = new DenseScorer(u, v, Dim);
        Assert.Equal(Items, scorer.ItemCount);
        Assert.Equal(Users, scorer.UserCount);

        int[] block = [39, 0, 17, 17, 5, .. Enumerable.Range(6, 30)];
        var scores = new float[block.Length * Items];
        scorer.Score(block, scores);
        for (var r = 0; r < block.Length; r++)
        {
            for (var i = 0; i < Items; i++)
            {
                var expected = 0.0;
                for (var d = 0; d < Dim; d++)
                {
                    expected += u[(block[r] * Dim) + d] * (double)v[(i * Dim) + d];
                }

                Assert.Equal(expected, scores[(r * Items) + i], 1e-5);
            }
        }
    }

    [Fact]
    public void Evaluates_end_to_end_with_the_ranking_evaluator()
    {
        // 1-d embeddings: user 0 = 1, items = 0.1, 0.3, 0.2 -> ranking 1, 2, 0; item 1 masked -> 2, 0.
        var scorer = new DenseScorer(new float[] { 1f }, new float[] { 0.1f, 0.3f, 0.2f }, 1);
        var mask = UserItemMatrix.FromPairs([(0, 1)], 1, 3);
        var target = UserItemMatrix.FromPairs([(0, 0)], 1, 3);
        // Item 0 at rank 2: Recall@1 = 0, Recall@2 = 1, NDCG@2 = 1/log2(3) = 0.630929753571457.
        var result = new RankingEvaluator(mask, target, [1, 2]).Evaluate(scorer);
        Assert.Equal(0.0, result.RecallAt(1));
        Assert.Equal(1.0, result.RecallAt(2));
        Assert.Equal(0.630929753571457, result.NdcgAt(2), 1e-12);
    }

    [Fact]
    public void Bad_shapes_are_rejected_with_the_numbers()
    {
        var ragged = Assert.Throws<ArgumentException>(() => new DenseScorer(new float[7], new float[8], 4));
        Assert.Contains("7 user values are not whole rows of 4", ragged.Message, StringComparison.Ordinal);
        var scorer = new DenseScorer(new float[8], new float[12], 4);
        var buffer = Assert.Throws<ArgumentException>(() => scorer.Score([0], new float[4]));
        Assert.Contains("expected 1 users x 3 items", buffer.Message, StringComparison.Ordinal);
        var user = Assert.Throws<ArgumentOutOfRangeException>(() => scorer.Score([2], new float[3]));
        Assert.Contains("User 2 is outside the 2 embedded users", user.Message, StringComparison.Ordinal);
    }
}
