using static TorchSharp.torch;

namespace Spumr.Trainer.Models;

/// <summary>Final representations, [users, d] and [items, d]: the score of (u, i) is their dot product.</summary>
public sealed class ScoringEmbeddings : IDisposable
{
    public ScoringEmbeddings(Tensor users, Tensor items)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (users.dim() != 2 || items.dim() != 2 || users.shape[1] != items.shape[1])
        {
            throw new ArgumentException($"User and item embeddings must be 2-d with the same width, not [{string.Join(", ", users.shape)}] and [{string.Join(", ", items.shape)}].");
        }

        Users = users;
        Items = items;
    }

    public Tensor Users { get; }

    public Tensor Items { get; }

    public void Dispose()
    {
        Users.Dispose();
        Items.Dispose();
    }
}
