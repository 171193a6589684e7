using System.Runtime.InteropServices;
using Spumr.Core.Evaluation;
using static TorchSharp.torch;

namespace Spumr.Trainer.Evaluation;

/// <summary>
/// Scores a block of users against every item as one matrix product in torch (on the model's
/// device), then hands the block to the evaluator's ranking on the CPU.
/// </summary>
public sealed class TorchUserScorer : IUserScorer
{
    private readonly Tensor _users;
    private readonly Tensor _items;

    /// <param name="users">[users, d]</param>
    /// <param name="items">[items, d]</param>
    public TorchUserScorer(Tensor users, Tensor items)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        _users = users;
        _items = items;
        UserCount = (int)users.shape[0];
        ItemCount = (int)items.shape[0];
    }

    public int UserCount { get; }

    public int ItemCount { get; }

    public void Score(ReadOnlySpan<int> users, Span<float> scores)
    {
        if (scores.Length != (long)users.Length * ItemCount)
        {
            throw new ArgumentException($"The score buffer has {scores.Length} values, expected {users.Length} users x {ItemCount} items.", nameof(scores));
        }

        var ids = new long[users.Length];
        for (var k = 0; k < ids.Length; k++)
        {
            if ((uint)users[k] >= (uint)UserCount)
            {
                throw new ArgumentOutOfRangeException(nameof(users), $"User {users[k]} is outside the {UserCount} scored users.");
            }

            ids[k] = users[k];
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var block = _users.index_select(0, tensor(ids, device: _users.device)).mm(_items.t()).to(CPU).contiguous();
        MemoryMarshal.Cast<byte, float>(block.bytes).CopyTo(scores);
    }
}
