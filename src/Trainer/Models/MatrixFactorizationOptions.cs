using System.ComponentModel.DataAnnotations;

namespace Spumr.Trainer.Models;

/// <summary>MF-BPR's hyper-parameters (MMRec's BPR model).</summary>
public sealed record MatrixFactorizationOptions
{
    [Range(1, 4096, ErrorMessage = "--dim must be between {1} and {2}.")]
    public int Dimension { get; init; } = 64;

    /// <summary>Weight of MMRec's EmbLoss on the batch's user, positive and negative embeddings.</summary>
    [Range(0.0, 1000.0, ErrorMessage = "--reg-weight must be between {1} and {2}.")]
    public double RegWeight { get; init; } = 1e-4;
}
