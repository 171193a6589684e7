using Spumr.Core.Data;
using static TorchSharp.torch;

namespace Spumr.Trainer.Models;

/// <summary>
/// Ranks items by how many training interactions they have, the same list for every user. Fitted
/// by counting: it has no parameters and no loss, so the loop evaluates it without epochs.
/// </summary>
public sealed class MostPopular : nn.Module, IRecommenderModel
{
    public const string ModelName = "pop";

    private readonly int _userCount;
    private readonly Tensor _counts;

    public MostPopular(UserItemMatrix train, Device device)
        : base(nameof(MostPopular))
    {
        ArgumentNullException.ThrowIfNull(train);
        var counts = new float[train.ItemCount];
        foreach (var i in train.Items)
        {
            counts[i]++;
        }

        _userCount = train.UserCount;
        _counts = tensor(counts, device: device).unsqueeze(1);
        register_buffer("item_counts", _counts);
    }

    public string Name => ModelName;

    public nn.Module Module => this;

    public LossTerms Loss(BprBatch batch) =>
        throw new InvalidOperationException("MostPopular is fitted by counting; it has no loss to train.");

    public ScoringEmbeddings ComputeEmbeddings() =>
        new(ones(_userCount, 1, device: _counts.device), _counts.clone());
}
