using Spumr.Core.Evaluation;

namespace Spumr.Serving.Ranking;

/// <summary>One ranked item: its row in the loaded model and its score.</summary>
public readonly record struct RankedItem(int Row, float Score);

/// <summary>
/// Serving's use of Core's <see cref="TopK"/>, the one ranking rule shared with offline evaluation
/// (higher score first, ties by lower row, partial selection without sorting all scores), returning
/// rows with their scores.
/// </summary>
internal static class TopKSelector
{
    /// <param name="scores">A score per item row.</param>
    /// <param name="excludedSorted">Rows never selected (seen items, the query item), ascending.</param>
    /// <param name="k">How many at most.</param>
    public static RankedItem[] Select(ReadOnlySpan<float> scores, ReadOnlySpan<int> excludedSorted, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var rows = new int[Math.Min(k, scores.Length)];
        var count = TopK.Select(scores, excludedSorted, rows);
        var ranked = new RankedItem[count];
        for (var i = 0; i < count; i++)
        {
            ranked[i] = new RankedItem(rows[i], scores[rows[i]]);
        }

        return ranked;
    }
}
