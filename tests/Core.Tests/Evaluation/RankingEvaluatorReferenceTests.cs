using Spumr.Core.Data;
using Spumr.Core.Evaluation;

namespace Spumr.Core.Tests.Evaluation;

/// <summary>The evaluator against a plain, obviously-correct reimplementation on random instances.</summary>
public sealed class RankingEvaluatorReferenceTests
{
    [Fact]
    public void Matches_a_full_sort_reference_on_random_instances()
    {
        var rng = new Random(7);
        for (var trial = 0; trial < 400; trial++)
        {
            var users = rng.Next(1, 25);
            var items = rng.Next(1, 70);
            var mask = RandomPairs(rng, users, items, rng.NextDouble() * 0.4);
            var target = RandomPairs(rng, users, items, rng.NextDouble() * 0.3);
            // Few distinct values: lots of ties; the odd NaN from a diverged model.
            var distinct = rng.Next(1, 6);
            var scores = new float[users * items];
            for (var k = 0; k < scores.Length; k++)
            {
                scores[k] = rng.Next(200) == 0 ? float.NaN : rng.Next(distinct) * 0.25f;
            }

            int[] ks = [.. Enumerable.Range(1, 60).Where(_ => rng.Next(10) == 0).DefaultIfEmpty(rng.Next(1, 60))];

            var evaluator = new RankingEvaluator(
                UserItemMatrix.FromPairs(mask, users, items),
                UserItemMatrix.FromPairs(target, users, items),
                ks)
            { MaxDegreeOfParallelism = rng.Next(1, 4) };
            var actual = evaluator.Evaluate(new MatrixScorer(scores, items), rng.Next(1, users + 2));
            var expected = Reference(mask, target, scores, users, items, ks);

            Assert.Equal(expected.Users, actual.UserCount);
            foreach (var k in ks)
            {
                Assert.Equal(expected.Recall[k], actual.RecallAt(k), 1e-12);
                Assert.Equal(expected.Ndcg[k], actual.NdcgAt(k), 1e-12);
            }
        }
    }

    private static List<(int User, int Item)> RandomPairs(Random rng, int users, int items, double density)
    {
        var pairs = new List<(int, int)>();
        for (var u = 0; u < users; u++)
        {
            for (var i = 0; i < items; i++)
            {
                if (rng.NextDouble() < density)
                {
                    pairs.Add((u, i));
                }
            }
        }

        return pairs;
    }

    /// <summary>MODEL.md §7 read literally: sort every unmasked item, take K, count.</summary>
    private static (int Users, Dictionary<int, double> Recall, Dictionary<int, double> Ndcg) Reference(
        List<(int User, int Item)> mask, List<(int User, int Item)> target, float[] scores, int users, int items, int[] ks)
    {
        var recall = ks.ToDictionary(k => k, _ => 0.0);
        var ndcg = ks.ToDictionary(k => k, _ => 0.0);
        var evaluated = 0;
        for (var u = 0; u < users; u++)
        {
            var truth = target.Where(p => p.User == u).Select(p => p.Item).ToHashSet();
            if (truth.Count == 0)
            {
                continue;
            }

            evaluated++;
            var masked = mask.Where(p => p.User == u).Select(p => p.Item).ToHashSet();
            // Comparer<float>.Default orders NaN below every number, as TopK promises.
            var ranking = Enumerable.Range(0, items)
                .Where(i => !masked.Contains(i))
                .OrderByDescending(i => scores[(u * items) + i])
                .ThenBy(i => i)
                .ToList();
            foreach (var k in ks)
            {
                var top = ranking.Take(k).ToList();
                recall[k] += top.Count(truth.Contains) / (double)truth.Count;
                var dcg = top.Select((item, index) => truth.Contains(item) ? 1 / Math.Log2(index + 2) : 0).Sum();
                var ideal = Enumerable.Range(1, Math.Min(truth.Count, k)).Sum(r => 1 / Math.Log2(r + 1));
                ndcg[k] += dcg / ideal;
            }
        }

        foreach (var k in ks)
        {
            recall[k] = evaluated == 0 ? 0 : recall[k] / evaluated;
            ndcg[k] = evaluated == 0 ? 0 : ndcg[k] / evaluated;
        }

        return (evaluated, recall, ndcg);
    }
}
