using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Spumr.Serving.Models;

namespace Spumr.Serving.Ranking;

/// <summary>
/// Exact scores of every item of a loaded model against a query vector (SIMD dot products). Exact as in
/// no approximate search: every item is scored; float summation order differs from a plain loop in the
/// last bits.
/// </summary>
internal static class ItemScorer
{
    /// <summary>scores[j] = item_j · query.</summary>
    public static void Dot(LoadedModel model, ReadOnlySpan<float> query, Span<float> scores)
    {
        CheckShapes(model, query, scores);
        var d = model.Dimension;
        var matrix = model.Matrix.AsSpan();
        var row = 0;
        if (Vector256.IsHardwareAccelerated && d % Vector256<float>.Count == 0)
        {
            row = DotBlocked(matrix, query, scores, d);
        }

        for (; row < scores.Length; row++)
        {
            scores[row] = TensorPrimitives.Dot(matrix.Slice(row * d, d), query);
        }
    }

    /// <summary>
    /// Four rows per pass, one 256-bit accumulator per row, so each query block is loaded once for four
    /// rows and the four dependency chains overlap (a per-row call spends most of its time on call and
    /// reduction overhead at d = 64). Returns the first row left for the caller.
    /// </summary>
    private static int DotBlocked(ReadOnlySpan<float> matrix, ReadOnlySpan<float> query, Span<float> scores, int d)
    {
        ref var m = ref MemoryMarshal.GetReference(matrix);
        ref var q = ref MemoryMarshal.GetReference(query);
        var width = Vector256<float>.Count;
        var row = 0;
        for (; row + 4 <= scores.Length; row += 4)
        {
            var a0 = Vector256<float>.Zero;
            var a1 = Vector256<float>.Zero;
            var a2 = Vector256<float>.Zero;
            var a3 = Vector256<float>.Zero;
            var r0 = (nuint)(row * d);
            var r1 = r0 + (nuint)d;
            var r2 = r1 + (nuint)d;
            var r3 = r2 + (nuint)d;
            for (nuint j = 0; j < (nuint)d; j += (nuint)width)
            {
                var x = Vector256.LoadUnsafe(ref q, j);
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref m, r0 + j), x, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref m, r1 + j), x, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref m, r2 + j), x, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref m, r3 + j), x, a3);
            }

            scores[row] = Vector256.Sum(a0);
            scores[row + 1] = Vector256.Sum(a1);
            scores[row + 2] = Vector256.Sum(a2);
            scores[row + 3] = Vector256.Sum(a3);
        }

        return row;
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
