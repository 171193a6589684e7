using Spumr.Trainer.Evaluation;
using Spumr.Trainer.Torch;
using static TorchSharp.torch;

namespace Spumr.Trainer.Tests.Evaluation;

public sealed class TorchUserScorerTests
{
    public TorchUserScorerTests() => TorchRuntime.Initialize(DeviceChoice.Cpu, 1);

    [Fact]
    public void A_block_of_users_is_scored_by_dot_products_in_row_major_order()
    {
        using var scope = NewDisposeScope();
        var users = tensor(new float[] { 1, 0, 0, 1, 2, 3 }).reshape(3, 2);
        var items = tensor(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }).reshape(4, 2);
        var scorer = new TorchUserScorer(users, items);
        var scores = new float[2 * 4];

        scorer.Score([2, 0], scores);

        Assert.Equal(new float[] { 8, 18, 28, 38, 1, 3, 5, 7 }, scores);
    }

    [Fact]
    public void A_wrong_buffer_or_user_is_named()
    {
        using var scope = NewDisposeScope();
        var scorer = new TorchUserScorer(zeros(3, 2), zeros(4, 2));

        var size = Assert.Throws<ArgumentException>(() => scorer.Score([0], new float[3]));
        Assert.Contains("expected 1 users x 4 items", size.Message, StringComparison.Ordinal);
        var user = Assert.Throws<ArgumentOutOfRangeException>(() => scorer.Score([7], new float[4]));
        Assert.Contains("User 7", user.Message, StringComparison.Ordinal);
    }
}
