using Spumr.Trainer.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Spumr.Trainer.Models;

/// <summary>
/// The loss pieces MMRec's baselines use, with MMRec's exact definitions. Every Scalar is explicit
/// and alive across its native call (see <see cref="Scalars"/>).
/// </summary>
public static class BprLoss
{
    /// <summary>MMRec's BPRLoss: −mean log(γ + σ(pos − neg)), γ = 1e-10.</summary>
    public static Tensor Bpr(Tensor positiveScores, Tensor negativeScores)
    {
        using var gamma = 1e-10.ToScalar();
        return log(sigmoid(positiveScores.sub(negativeScores)).add(gamma, Scalars.One)).mean().neg();
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
