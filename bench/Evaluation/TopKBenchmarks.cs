using BenchmarkDotNet.Attributes;
using Spumr.Core.Evaluation;

namespace Spumr.Bench.Evaluation;

/// <summary>One user's top-K over Baby's 7,050 items, with a few masked items (the serving path).</summary>
[MemoryDiagnoser]
public class TopKBenchmarks
{
    private readonly float[] _scores = new float[7_050];
    private readonly int[] _masked = [3, 17, 901, 2_500, 6_000, 7_049];
    private int[] _top = [];

    [Params(10, 20, 50)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        for (var i = 0; i < _scores.Length; i++)
        {
            _scores[i] = rng.NextSingle();
        }

        _top = new int[K];
    }

    [Benchmark]
    public int Select() => TopK.Select(_scores, _masked, _top);
}
