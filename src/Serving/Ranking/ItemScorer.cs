using System.Numerics.Tensors;
using Spumr.Serving.Models;

namespace Spumr.Serving.Ranking;

/// <summary>Exact scores of every item of a loaded model against a query vector (SIMD dot products).</summary>
internal static class ItemScorer
{
    /// <summary>scores[j] = item_j · query.</summary>
    public static void Dot(LoadedModel model, ReadOnlySpan<float> query, Span<float> scores)
    {
        CheckShapes(model, query, scores);
        var d = model.Dimension;
        var matrix = model.Matrix.AsSpan();
        for (var row = 0; row < scores.Length; row++)
        {
            scores[row] = TensorPrimitives.Dot(matrix.Slice(row * d, d), query);
        }
    }

    /// <summary>scores[j] = cos(item_j, query); 0 where either vector is zero.</summary>
    public static void Cosine(LoadedModel model, ReadOnlySpan<float> query, Span<float> scores)
    {
        Dot(model, query, scores);
        var queryNorm = TensorPrimitives.Norm(query);
        var norms = model.Norms;
        for (var row = 0; row < scores.Length; row++)
        {
            var denominator = norms[row] * queryNorm;
            scores[row] = denominator > 0 ? scores[row] / denominator : 0f;
        }
    }

    private static void CheckShapes(LoadedModel model, ReadOnlySpan<float> query, Span<float> scores)
    {
        if (query.Length != model.Dimension)
        {
            throw new InvalidOperationException($"A query vector of width {query.Length} cannot score version {model.Version} (d={model.Dimension}).");
        }

        if (scores.Length != model.ItemCount)
        {
            throw new ArgumentException($"The score buffer has {scores.Length} slots for {model.ItemCount} items.", nameof(scores));
        }
    }
}
