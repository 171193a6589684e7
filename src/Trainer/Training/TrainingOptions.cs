using System.ComponentModel.DataAnnotations;
using Spumr.Trainer.Torch;

namespace Spumr.Trainer.Training;

/// <summary>The training protocol (MODEL.md §7); the defaults are MMRec's.</summary>
public sealed record TrainingOptions
{
    /// <summary>Upper bound; early stopping usually ends a run well before it.</summary>
    [Range(1, 100_000, ErrorMessage = "--epochs must be between {1} and {2}.")]
    public int Epochs { get; init; } = 1000;

    [Range(1, 1 << 20, ErrorMessage = "--batch-size must be between {1} and {2}.")]
    public int BatchSize { get; init; } = 2048;

    [Range(1e-9, 10.0, ErrorMessage = "--lr must be between {1} and {2}.")]
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>MMRec's seed.</summary>
    public int Seed { get; init; } = 999;

    /// <summary>Epochs without a strictly greater validation Recall@20 before stopping.</summary>
    [Range(1, 100_000, ErrorMessage = "--patience must be between {1} and {2}.")]
    public int Patience { get; init; } = 20;

    /// <summary>The validation metric's cut-off (Recall@K).</summary>
    [Range(1, 1000, ErrorMessage = "The validation K must be between {1} and {2}.")]
    public int ValidationK { get; init; } = 20;

    /// <summary>Users scored per block during full-ranking evaluation.</summary>
    [Range(1, 1 << 16, ErrorMessage = "--eval-block must be between {1} and {2}.")]
    public int EvalBlockSize { get; init; } = 2048;

    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;

    /// <summary>Torch intra-op threads; 0 for one per core.</summary>
    [Range(0, 1024, ErrorMessage = "--threads must be between {1} and {2}.")]
    public int Threads { get; init; }
}
