using Microsoft.Extensions.Options;
using Spumr.Core.Events;
using Spumr.GraphMaintainer.Graphs;
using Spumr.GraphMaintainer.State;
using Spumr.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Spumr.GraphMaintainer.Tests.Worker;

/// <summary>
/// What "the state equals a clean rebuild" means for a streamed state: it holds exactly the given
/// events, each once, and its graphs are bit-identical to a batch build of those events' data
/// (numbered in the state's own id order: ids follow arrival, which varies across partitions).
/// </summary>
internal static class StreamedStateCheck
{
    public static void AssertEqualsBatchBuild(IGraphStateView state, IReadOnlyList<InteractionEvent> interactions, IReadOnlyList<ItemFeaturesEvent> features)
    {
        Assert.Equal(interactions.Select(e => e.UserId).Distinct().Order(StringComparer.Ordinal), state.UserIds.Order(StringComparer.Ordinal));
        Assert.Equal(
            interactions.Select(e => e.ItemId).Concat(features.Select(f => f.ItemId)).Distinct().Order(StringComparer.Ordinal),
            state.ItemIds.Order(StringComparer.Ordinal));

        // Every interaction exactly once: nothing lost, nothing counted twice.
        var applied = new List<(string User, string Item, long Timestamp)>();
        for (var u = 0; u < state.UserCount; u++)
        {
            foreach (var r in state.InteractionsOf(u))
            {
                applied.Add((state.UserIds[u], state.ItemIds[r.Item], r.Timestamp));
            }
        }

        Assert.Equal(interactions.Select(e => (e.UserId, e.ItemId, e.Timestamp)).Order(), applied.Order());
        Assert.Equal(interactions.Count + features.Count, state.AppliedEventCount);

        var expected = BatchGraphBuilder.Build(Source(state, interactions, features), new GraphBuildOptions(state.Neighbors));
        Assert.Null(expected.FirstDifference(state.Graphs()));
        Assert.All(expected.All(), g => Assert.True(g.Graph.NonZeroCount > 0, $"{g.Key} is empty: the check would prove little"));
    }

    /// <summary>Each user's seen-item set in Redis holds exactly the user's items, and no other user has one.</summary>
    public static async Task AssertSeenItemsAsync(IConnectionMultiplexer redis, string prefix, IReadOnlyList<InteractionEvent> interactions)
    {
        var store = new RedisSeenItemsStore(redis, Options.Create(new EmbeddingStoreOptions { KeyPrefix = prefix }));
        var byUser = interactions.GroupBy(e => e.UserId).ToList();
        foreach (var user in byUser)
        {
            var stored = await store.GetAsync(user.Key);
            Assert.Equal(user.Select(e => e.ItemId).Distinct().Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
        }

        var server = redis.GetServer(redis.GetEndPoints().Single());
        Assert.Equal(byUser.Count, server.Keys(pattern: $"{prefix}:seen:*", pageSize: 1000).Count());
    }

    /// <summary>The events' data as a batch builder input, users and items numbered as in <paramref name="state"/>.</summary>
    private static GraphSource Source(IGraphStateView state, IReadOnlyList<InteractionEvent> interactions, IReadOnlyList<ItemFeaturesEvent> features)
    {
        var userIndex = state.UserIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        var itemIndex = state.ItemIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        var sets = new SortedSet<int>[state.UserCount];
        for (var u = 0; u < sets.Length; u++)
        {
            sets[u] = [];
        }

        foreach (var e in interactions)
        {
            sets[userIndex[e.UserId]].Add(itemIndex[e.ItemId]);
        }

        var offsets = new int[state.UserCount + 1];
        for (var u = 0; u < sets.Length; u++)
        {
            offsets[u + 1] = offsets[u] + sets[u].Count;
        }

        var modal = state.Modalities.Select(m =>
        {
            var data = new float[state.ItemCount * m.Width];
            var present = new bool[state.ItemCount];
            foreach (var f in features.Where(f => f.Modality == m.Name))
            {
                var item = itemIndex[f.ItemId];
                f.Vector.CopyTo(data.AsSpan(item * m.Width, m.Width));
                present[item] = true;
            }

            return new ModalFeatures(m.Name, m.Width, state.ItemCount, data, present);
        }).ToList();
        return new GraphSource(state.UserCount, state.ItemCount, offsets, [.. sets.SelectMany(s => s)], modal);
    }
}
