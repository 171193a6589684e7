using TorchSharp;
using static TorchSharp.torch;

namespace Spumr.Trainer.Models;

/// <summary>
/// The loss pieces MMRec's baselines use, with MMRec's exact definitions. Scalars are created
/// explicitly and kept alive across the native call: TorchSharp 0.107 turns numbers into temporary
/// Scalars that the finalizer can free while libtorch still reads them (seen as a random
/// "Expected false to be true ... toFloat" crash in <c>add</c>).
/// </summary>
public static class BprLoss
{
    /// <summary>MMRec's BPRLoss: −mean log(γ + σ(pos − neg)), γ = 1e-10.</summary>
    public static Tensor Bpr(Tensor positiveScores, Tensor negativeScores)
    {
        using var gamma = 1e-10.ToScalar();
        return log(sigmoid(positiveScores.sub(negativeScores)).add(gamma)).mean().neg();
    }

    /// <summary>
    /// MMRec's EmbLoss: the sum of the Frobenius norms (not squared) of the given batch embeddings,
    /// divided by the batch size (the rows of the last one).
    /// </summary>
    public static Tensor EmbeddingNorm(params Tensor[] embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Length == 0)
        {
            throw new ArgumentException("At least one embedding is needed.", nameof(embeddings));
        }

        using var rows = ((double)embeddings[^1].shape[0]).ToScalar();
        return stack(embeddings.Select(e => e.norm())).sum().div(rows);
    }

    /// <summary><paramref name="loss"/> times <paramref name="weight"/>, with the weight as a live Scalar.</summary>
    public static Tensor Weighted(Tensor loss, double weight)
    {
        using var w = weight.ToScalar();
        return loss.mul(w);
    }

    /// <summary>Scores of paired rows: (a · b) per row.</summary>
    public static Tensor RowDot(Tensor a, Tensor b) => a.mul(b).sum(1);
}
