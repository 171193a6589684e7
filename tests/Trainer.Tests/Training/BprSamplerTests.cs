using Spumr.Core.Data;
using Spumr.Trainer.Training;

namespace Spumr.Trainer.Tests.Training;

public sealed class BprSamplerTests
{
    private static readonly MmrecDataset Data = SyntheticData.Clustered(users: 120, items: 90, seed: 11);

    [Fact]
    public void An_epoch_visits_every_training_interaction_once_in_batches_of_the_asked_size()
    {
        var sampler = new BprSampler(Data.Train, seed: 1);
        var batches = sampler.Epoch(100).ToList();

        Assert.Equal(sampler.BatchCount(100), batches.Count);
        Assert.All(batches.SkipLast(1), b => Assert.Equal(100, b.Size));
        var pairs = batches.SelectMany(b => b.Users.Zip(b.Positives)).Select(p => ((int)p.First, (int)p.Second)).ToList();
        var expected = Enumerable.Range(0, Data.UserCount).SelectMany(u => Data.Train.ItemsOf(u).ToArray().Select(i => (u, i))).ToList();
        Assert.Equal(expected.Order(), pairs.Order());
    }

    [Fact]
    public void Negatives_are_training_items_the_user_does_not_have()
    {
        var sampler = new BprSampler(Data.Train, seed: 2);
        var trainItems = Data.Train.Items.ToHashSet();
        foreach (var batch in sampler.Epoch(64).Concat(sampler.Epoch(64)))
        {
            for (var k = 0; k < batch.Size; k++)
            {
                Assert.False(Data.Train.Contains((int)batch.Users[k], (int)batch.Negatives[k]));
                Assert.Contains((int)batch.Negatives[k], trainItems);
            }
        }
    }

    [Fact]
    public void Items_never_seen_in_training_are_never_drawn_as_negatives()
    {
        // Item 5 appears only in validation; MMRec draws negatives from the training items.
        var table = new InteractionTable(
            [0, 0, 1, 1, 2, 2, 0],
            [0, 1, 1, 2, 2, 3, 5],
            [SplitLabel.Train, SplitLabel.Train, SplitLabel.Train, SplitLabel.Train, SplitLabel.Train, SplitLabel.Train, SplitLabel.Validation]);
        var data = new MmrecDataset("tiny", 3, 6, table, []);
        var sampler = new BprSampler(data.Train, seed: 3);

        Assert.Equal(4, sampler.CandidateCount);
        var negatives = Enumerable.Range(0, 200).SelectMany(_ => sampler.Epoch(4)).SelectMany(b => b.Negatives).Distinct().Order().ToList();
        Assert.Equal([0L, 1, 2, 3], negatives);
    }

    [Fact]
    public void The_same_seed_gives_the_same_batches()
    {
        static List<long> Flatten(BprSampler s) => [.. s.Epoch(50).Concat(s.Epoch(50)).SelectMany(b => b.Users.Concat(b.Positives).Concat(b.Negatives))];

        Assert.Equal(Flatten(new BprSampler(Data.Train, 5)), Flatten(new BprSampler(Data.Train, 5)));
        Assert.NotEqual(Flatten(new BprSampler(Data.Train, 5)), Flatten(new BprSampler(Data.Train, 6)));
    }

    [Fact]
    public void A_user_with_every_training_item_is_refused_by_name()
    {
        var table = new InteractionTable([0, 0, 1], [0, 1, 0], [SplitLabel.Train, SplitLabel.Train, SplitLabel.Train]);
        var data = new MmrecDataset("tiny", 2, 2, table, []);

        var e = Assert.Throws<ArgumentException>(() => new BprSampler(data.Train, 1));
        Assert.Contains("User 0", e.Message, StringComparison.Ordinal);
    }
}
