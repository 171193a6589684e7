using static TorchSharp.torch;

namespace Spumr.Trainer.Models;

/// <summary>One batch of (user, positive item, negative item) triples as int64 index tensors.</summary>
public sealed record BprBatch(Tensor Users, Tensor Positives, Tensor Negatives)
{
    public long Size => Users.shape[0];
}
