using Spumr.Core.Data;
using Spumr.Ingest.Replay;
using Spumr.TestSupport;

namespace Spumr.Ingest.Tests.Replay;

public sealed class ReplayPlanTests
{
    [Fact]
    public void Interactions_come_in_timestamp_order_with_ties_by_user_then_item()
    {
        var data = TinyDataSet.Create(users: 30, items: 20, interactionsPerUser: 5);
        var plan = ReplayPlan.Create(data, ReplaySplit.All, 0);

        var order = Enumerable.Range(0, plan.InteractionCount).Select(plan.Interaction).ToList();

        Assert.Equal(data.Interactions.Count, order.Count);
        var keys = order.Select(e => (e.Timestamp, User: e.UserId, Item: e.ItemId)).ToList();
        // External ids are zero-padded, so their order is the internal ids' order.
        Assert.Equal(keys.OrderBy(k => k.Timestamp).ThenBy(k => k.User, StringComparer.Ordinal).ThenBy(k => k.Item, StringComparer.Ordinal), keys);
        Assert.Contains(keys.GroupBy(k => k.Timestamp), g => g.Count() > 1);
    }

    [Fact]
    public void Train_split_keeps_only_training_rows()
    {
        var data = TinyDataSet.Create(users: 30, items: 20, interactionsPerUser: 5);

        var plan = ReplayPlan.Create(data, ReplaySplit.Train, 0);

        Assert.Equal(data.Interactions.CountIn(SplitLabel.Train), plan.InteractionCount);
        Assert.True(plan.InteractionCount < data.Interactions.Count);
    }

    [Fact]
    public void Event_ids_come_from_data_set_name_and_row_and_carry_external_ids()
    {
        var data = TinyDataSet.Create(users: 3, items: 4, interactionsPerUser: 2);
        var plan = ReplayPlan.Create(data, ReplaySplit.All, 0);

        var first = plan.Interaction(0);
        var row = int.Parse(first.EventId.Split('/')[2], System.Globalization.CultureInfo.InvariantCulture);

        Assert.StartsWith("tiny/inter/", first.EventId, StringComparison.Ordinal);
        Assert.Equal(data.UserExternalId(data.Interactions.Users[row]), first.UserId);
        Assert.Equal(data.ItemExternalId(data.Interactions.Items[row]), first.ItemId);
        Assert.Equal(data.Interactions.Timestamps![row], first.Timestamp);
        Assert.Equal(data.Interactions.Ratings![row], first.Rating);
        Assert.Equal(first, ReplayPlan.Create(data, ReplaySplit.All, 0).Interaction(0));
    }

    [Fact]
    public void Train_and_all_share_ids_for_the_same_rows()
    {
        var data = TinyDataSet.Create(users: 10, items: 8, interactionsPerUser: 3);
        var train = ReplayPlan.Create(data, ReplaySplit.Train, 0);
        var all = ReplayPlan.Create(data, ReplaySplit.All, 0);

        var trainIds = Enumerable.Range(0, train.InteractionCount).Select(i => train.Interaction(i)).ToHashSet();
        var allIds = Enumerable.Range(0, all.InteractionCount).Select(i => all.Interaction(i)).ToHashSet();

        Assert.Subset(allIds, trainIds);
    }

    [Fact]
    public void One_feature_event_per_item_and_modality_with_the_row_vector()
    {
        var data = TinyDataSet.Create(users: 2, items: 5, interactionsPerUser: 1);
        var plan = ReplayPlan.Create(data, ReplaySplit.All, 0);

        var features = plan.FeatureEvents().ToList();

        Assert.Equal(10, plan.FeatureEventCount);
        Assert.Equal(10, features.Count);
        var image3 = features.Single(f => f.EventId == "tiny/image/3");
        Assert.Equal("B000000003", image3.ItemId);
        Assert.Equal(data.FindModality("image")!.Row(3).ToArray(), image3.Vector);
        Assert.Equal(TinyDataSet.Modalities, plan.ModalityWidths);
    }

    [Fact]
    public void Data_without_timestamps_uses_the_fallback_and_keeps_file_order_by_user()
    {
        var data = TinyDataSet.Create(users: 5, items: 6, interactionsPerUser: 2, withTimestamps: false);

        var plan = ReplayPlan.Create(data, ReplaySplit.All, 1_700_000_000);

        Assert.False(plan.HasTimestamps);
        Assert.All(Enumerable.Range(0, plan.InteractionCount), i => Assert.Equal(1_700_000_000, plan.Interaction(i).Timestamp));
    }
}
