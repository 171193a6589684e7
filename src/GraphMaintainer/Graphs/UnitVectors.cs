using System.Numerics.Tensors;

namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// Cosine similarity is the dot product of unit vectors. This class fixes how vectors become
/// unit vectors and how user profiles are summed, so batch and incremental code produce the
/// same bits: every step is either element-wise IEEE arithmetic or a sequential reduction.
/// </summary>
public static class UnitVectors
{
    /// <summary>
    /// Writes <paramref name="source"/> / ||source|| into <paramref name="destination"/> and
    /// returns true; for a zero vector (cosine undefined) or one whose norm is not finite, writes
    /// zeros and returns false: such a row has no edges.
    /// </summary>
    public static bool Normalize(ReadOnlySpan<float> source, Span<float> destination)
    {
        double sum = 0;
        foreach (var x in source)
        {
            sum += (double)x * x;
        }

        var norm = (float)Math.Sqrt(sum);
        if (!(norm > 0f) || float.IsInfinity(norm))
        {
            destination[..source.Length].Clear();
            return false;
        }

        TensorPrimitives.Divide(source, norm, destination);
        return true;
    }

    /// <summary>
    /// The user's modal interest profile up to scale: the sum of the vectors of
    /// <paramref name="items"/> (ascending ids) that are present in <paramref name="features"/>.
    /// The profile of MODEL.md (Eq. 1) is this divided by the count; cosine ignores the scale.
    /// Returns how many items contributed.
    /// </summary>
    public static int SumProfile(ReadOnlySpan<int> items, ModalFeatures features, Span<float> sum)
    {
        ArgumentNullException.ThrowIfNull(features);
        sum = sum[..features.Width];
        sum.Clear();
        var n = 0;
        foreach (var i in items)
        {
            if (features.IsPresent(i))
            {
                TensorPrimitives.Add(sum, features.Row(i), sum);
                n++;
            }
        }

        return n;
    }

    /// <summary>The canonical dot product every similarity uses: one fused multiply-add chain in index order.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var acc = 0f;
        for (var k = 0; k < a.Length; k++)
        {
            acc = MathF.FusedMultiplyAdd(a[k], b[k], acc);
        }

        return acc;
    }
}
