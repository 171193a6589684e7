using static TorchSharp.torch;

namespace Spumr.Trainer.Models;

/// <summary>The loss pieces MMRec's baselines use, with MMRec's exact definitions.</summary>
public static class BprLoss
{
    /// <summary>MMRec's BPRLoss: −mean log(γ + σ(pos − neg)), γ = 1e-10.</summary>
    public static Tensor Bpr(Tensor positiveScores, Tensor negativeScores) =>
        -(log(sigmoid(positiveScores - negativeScores) + 1e-10).mean());

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

        var sum = embeddings[0].norm();
        for (var e = 1; e < embeddings.Length; e++)
        {
            sum = sum + embeddings[e].norm();
        }

        return sum / embeddings[^1].shape[0];
    }

    /// <summary>Scores of paired rows: (a · b) per row.</summary>
    public static Tensor RowDot(Tensor a, Tensor b) => (a * b).sum(1);
}
