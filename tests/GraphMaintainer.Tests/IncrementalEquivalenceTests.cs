using Spumr.Core.Events;
using Spumr.GraphMaintainer.Graphs;
using Spumr.GraphMaintainer.State;

namespace Spumr.GraphMaintainer.Tests;

/// <summary>The property the GraphMaintainer exists for: incremental graphs equal a batch build of the same data.</summary>
public sealed class IncrementalEquivalenceTests
{
    public static TheoryData<int, int, int, int> Cases()
    {
        var data = new TheoryData<int, int, int, int>();
        for (var seed = 1; seed <= 12; seed++)
        {
            // seed, k, capacity (0 = 2k), max batch size
            data.Add(seed, 3, seed % 3 == 0 ? 3 : 4, 1 + (seed % 4 * 10));
        }

        data.Add(101, 10, 0, 25);
        data.Add(102, 5, 0, 1);
        data.Add(103, 1, 1, 8);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_event_sequences_keep_every_graph_equal_to_a_rebuild(int seed, int k, int capacity, int maxBatch)
    {
        var rnd = new Random(seed);
        var events = RandomEvents.Generate(rnd, users: 40, items: 30, count: 600);
        var state = new GraphState(new GraphStateOptions { Neighbors = k, CandidateCapacity = capacity, Modalities = [.. RandomEvents.Modalities], MaxDegreeOfParallelism = 2 });
        RandomEvents.ApplyInBatches(state, events, rnd, maxBatch, batch =>
        {
            if (batch % 7 == 0)
            {
                AssertEqualToRebuild(state, $"seed {seed}, after batch {batch}");
            }
        });
        AssertEqualToRebuild(state, $"seed {seed}, at the end");
        var reference = ReferenceGraphs.Build(state.ToGraphSource(), k);
        Assert.Null(reference.FirstDifference(state.Graphs()));
    }

    [Fact]
    public void Large_batches_over_thousands_of_rows_stay_equal_to_a_rebuild()
    {
        // More than one 256-row block of changed rows and more than one 2048-column chunk per product.
        var rnd = new Random(4242);
        var events = RandomEvents.Generate(rnd, users: 3000, items: 2500, count: 9000);
        var state = NewState(4, 6);
        RandomEvents.ApplyInBatches(state, events, rnd, 2500, batch => AssertEqualToRebuild(state, $"after batch {batch}"));
        Assert.True(state.UserCount > 2048);
    }

    [Fact]
    public void Order_of_events_does_not_change_the_graphs()
    {
        var rnd = new Random(77);
        var events = RandomEvents.Generate(rnd, users: 30, items: 25, count: 400)
            .OfType<InteractionEvent>().DistinctBy(e => e.EventId).Cast<object>().ToList(); // re-sent ids would make order matter
        var features = RandomEvents.Generate(new Random(78), users: 30, items: 25, count: 300).OfType<ItemFeaturesEvent>()
            .GroupBy(f => (f.ItemId, f.Modality)).Select(g => g.First()).ToList(); // one vector per item and modality
        var users = events.Cast<InteractionEvent>().Select(e => e.UserId).Distinct().Order(StringComparer.Ordinal).ToList();
        var items = events.Cast<InteractionEvent>().Select(e => e.ItemId).Concat(features.Select(f => f.ItemId)).Distinct().Order(StringComparer.Ordinal).ToList();

        // Same internal ids in both (ties rank by internal id), then opposite arrival orders.
        var forward = NewState(3);
        forward.RegisterIds(users, items);
        forward.ApplyBatch([], features);
        forward.ApplyBatch([.. events.Cast<InteractionEvent>()], []);
        var backward = NewState(3);
        backward.RegisterIds(users, items);
        foreach (var e in Enumerable.Reverse(events))
        {
            backward.Apply((InteractionEvent)e);
        }

        foreach (var f in Enumerable.Reverse(features))
        {
            backward.Apply(f);
        }

        Assert.Null(forward.Graphs().FirstDifference(backward.Graphs()));
        AssertEqualToRebuild(backward, "reversed order");
    }

    [Fact]
    public void A_repeated_event_id_changes_nothing_even_with_another_payload()
    {
        var state = NewState(3);
        state.Apply(new InteractionEvent("e1", "u1", "i1", 10));
        state.Apply(new InteractionEvent("e2", "u2", "i1", 11));
        var before = state.Graphs();
        var result = state.ApplyBatch([new InteractionEvent("e1", "u1", "i2", 12), new InteractionEvent("e2", "u3", "i1", 13)], [new ItemFeaturesEvent("e1", "i1", "image", [1, 0, 0, 0, 0])]);
        Assert.Equal(2, result.Duplicates);
        Assert.Equal(1, result.Applied); // a features event may reuse an interaction's id: another event kind
        state.Apply(new ItemFeaturesEvent("e1", "i1", "image", [0, 1, 0, 0, 0]));
        Assert.Equal(2, state.UserCount);
        Assert.Equal(1, state.InteractionsOf(0).Length);
        Assert.Null(before.UserJaccard.FirstDifference(state.Graphs().UserJaccard));
        Assert.Equal([1f, 0, 0, 0, 0], state.Features("image").Row(0).ToArray());
    }

    [Fact]
    public void The_result_says_what_changed()
    {
        var state = NewState(3);
        var first = state.Apply(new InteractionEvent("e1", "u1", "i1", 10, 4f));
        Assert.Equal((1, 0, 1, 1), (first.Applied, first.Duplicates, first.NewUsers, first.NewItems));
        var second = state.Apply(new InteractionEvent("e2", "u2", "i1", 11));
        Assert.Equal([1], second.ChangedUsers);
        Assert.Equal([0], second.ChangedItems);
        var jaccard = second.Graphs.Single(g => g.Graph.Family == GraphFamily.UserJaccard);
        Assert.Equal([0, 1], jaccard.RowsChanged);
        Assert.Equal(1, jaccard.Repair.Recomputed);

        // A vector for the item gives both users the same profile: each lists the other.
        var third = state.Apply(new ItemFeaturesEvent("f1", "i1", "image", [1, 2, 0, 0, 1]));
        Assert.Empty(third.ChangedUsers);
        Assert.Equal([0], third.ChangedItems);
        Assert.Equal([0, 1], third.Graphs.Single(g => g.Graph == new GraphKey(GraphFamily.UserModal, "image")).RowsChanged);
        Assert.Empty(third.Graphs.Single(g => g.Graph == new GraphKey(GraphFamily.ItemModal, "image")).RowsChanged);
        Assert.Equal(0, third.Graphs.Single(g => g.Graph.Family == GraphFamily.ItemCooccurrence).Repair.Recomputed);
        Assert.Equal([new InteractionRecord(0, 10, 4f)], state.InteractionsOf(0).ToArray());
        Assert.Equal(2, state.ExportInteractions().Count);
    }

    internal static GraphState NewState(int k, int capacity = 0) => new(new GraphStateOptions
    {
        Neighbors = k,
        CandidateCapacity = capacity,
        Modalities = [.. RandomEvents.Modalities],
        MaxDegreeOfParallelism = 2,
    });

    internal static void AssertEqualToRebuild(GraphState state, string where)
    {
        var rebuilt = BatchGraphBuilder.Build(state.ToGraphSource(), new GraphBuildOptions(state.Neighbors, 2));
        var diff = rebuilt.FirstDifference(state.Graphs());
        Assert.True(diff is null, $"{where}: rebuild vs incremental differ at {diff}");
    }
}
