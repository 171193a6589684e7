using TorchSharp;

namespace Spumr.Trainer.Models;

/// <summary>
/// A model the training loop can train and evaluate: the loss of one BPR batch as named terms, and
/// the final user and item representations whose dot products rank items. Weights live in
/// <see cref="Module"/> (parameters, buffers, save/load, train/eval mode); data tensors such as graphs
/// and features are held by reference and never registered, so checkpoints hold weights only.
/// </summary>
public interface IRecommenderModel : IDisposable
{
    /// <summary>The name used on the command line and in run folders (lightgcn, mfbpr, pop, ...).</summary>
    string Name { get; }

    torch.nn.Module Module { get; }

    /// <summary>The loss of one batch, with gradients to <see cref="Module"/>'s parameters.</summary>
    LossTerms Loss(BprBatch batch);

    /// <summary>The representations to score with, computed in evaluation mode; the caller disposes them.</summary>
    ScoringEmbeddings ComputeEmbeddings();
}
