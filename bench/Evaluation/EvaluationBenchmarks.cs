using BenchmarkDotNet.Attributes;
using Spumr.Core.Data;
using Spumr.Core.Evaluation;

namespace Spumr.Bench.Evaluation;

/// <summary>
/// Full-ranking evaluation at Baby size: the real Baby training mask and test targets
/// (19,445 users x 7,050 items), scored by random numbers or random 64-d embeddings.
/// </summary>
[MemoryDiagnoser]
public class EvaluationBenchmarks
{
    private const int Dimension = 64;

    private RankingEvaluator _evaluator = null!;
    private PrecomputedScorer _precomputed = null!;
    private DenseScorer _dense = null!;

    [GlobalSetup]
    public void Setup()
    {
        var data = MmrecDatasetReader.Load(Repository.Data("amazon-baby"), new MmrecLoadOptions { LoadFeatures = false });
        _evaluator = new RankingEvaluator(data.Train, data.Test);
        var rng = new Random(42);
        var scores = new float[data.UserCount * data.ItemCount];
        for (var k = 0; k < scores.Length; k++)
        {
            scores[k] = rng.NextSingle();
        }

        _precomputed = new PrecomputedScorer(scores, data.ItemCount);
        var users = new float[data.UserCount * Dimension];
        var items = new float[data.ItemCount * Dimension];
        for (var k = 0; k < users.Length; k++)
        {
            users[k] = rng.NextSingle() - 0.5f;
        }

        for (var k = 0; k < items.Length; k++)
        {
            items[k] = rng.NextSingle() - 0.5f;
        }

        _dense = new DenseScorer(users, items, Dimension);
    }

    /// <summary>Ranking and metrics only: the scorer just copies precomputed rows.</summary>
    [Benchmark(Baseline = true)]
    public double EvaluatePrecomputedScores() => _evaluator.Evaluate(_precomputed).RecallAt(20);

    /// <summary>Dot-product scoring of 64-d embeddings plus ranking and metrics.</summary>
    [Benchmark]
    public double EvaluateDenseScorer64() => _evaluator.Evaluate(_dense).RecallAt(20);

    private sealed class PrecomputedScorer(float[] scores, int itemCount) : IUserScorer
    {
        public int ItemCount => itemCount;

        public void Score(ReadOnlySpan<int> users, Span<float> output)
        {
            for (var k = 0; k < users.Length; k++)
            {
                scores.AsSpan(users[k] * itemCount, itemCount).CopyTo(output.Slice(k * itemCount, itemCount));
            }
        }
    }
}
