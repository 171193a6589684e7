using System.ComponentModel.DataAnnotations;

namespace Spumr.Trainer.Models;

/// <summary>LightGCN's hyper-parameters (MMRec's grid: layers 1 to 4, reg weight 1e-2 to 1e-6).</summary>
public sealed record LightGcnOptions
{
    [Range(1, 4096, ErrorMessage = "--dim must be between {1} and {2}.")]
    public int Dimension { get; init; } = 64;

    [Range(1, 16, ErrorMessage = "--layers must be between {1} and {2}.")]
    public int Layers { get; init; } = 2;

    /// <summary>Weight of MMRec's EmbLoss on the batch's ego (layer-0) embeddings.</summary>
    [Range(0.0, 1000.0, ErrorMessage = "--reg-weight must be between {1} and {2}.")]
    public double RegWeight { get; init; } = 1e-4;
}
