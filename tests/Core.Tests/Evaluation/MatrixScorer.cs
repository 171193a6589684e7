using Spumr.Core.Evaluation;

namespace Spumr.Core.Tests.Evaluation;

/// <summary>A scorer over a precomputed users x items score matrix, copying the requested rows.</summary>
internal sealed class MatrixScorer(float[] scores, int itemCount) : IUserScorer
{
    public int ItemCount { get; } = itemCount;

    public int Calls { get; private set; }

    public void Score(ReadOnlySpan<int> users, Span<float> output)
    {
        Calls++;
        for (var k = 0; k < users.Length; k++)
        {
            scores.AsSpan(users[k] * ItemCount, ItemCount).CopyTo(output.Slice(k * ItemCount, ItemCount));
        }
    }
}
