using Spumr.Trainer.Graphs;
using Spumr.Trainer.Torch;
using static TorchSharp.torch;

namespace Spumr.Trainer.Tests.Graphs;

public sealed class NormalizedUserItemGraphTests
{
    [Fact]
    public void The_graph_is_the_symmetric_normalised_user_item_adjacency()
    {
        var data = SyntheticData.Clustered(users: 40, items: 30, seed: 5);
        var train = data.Train;
        var device = TorchRuntime.Initialize(DeviceChoice.Cpu, 2);
        using var graph = NormalizedUserItemGraph.Build(train, device);
        using var scope = NewDisposeScope();

        var n = graph.NodeCount;
        var dense = graph.Adjacency.to_dense().data<float>().ToArray();
        var itemDegree = new int[train.ItemCount];
        foreach (var i in train.Items)
        {
            itemDegree[i]++;
        }

        var expected = new float[n * n];
        for (var u = 0; u < train.UserCount; u++)
        {
            foreach (var i in train.ItemsOf(u))
            {
                var w = (float)(1 / Math.Sqrt((train.CountOf(u) + 1e-7) * (itemDegree[i] + 1e-7)));
                expected[(u * n) + train.UserCount + i] = w;
                expected[((train.UserCount + i) * n) + u] = w;
            }
        }

        Assert.Equal(2L * train.NonZeroCount, graph.EdgeCount);
        Assert.Equal(expected, dense);
    }

    [Fact]
    public void Propagation_matches_the_dense_product_and_carries_gradients()
    {
        var data = SyntheticData.Clustered(users: 40, items: 30, seed: 6);
        var device = TorchRuntime.Initialize(DeviceChoice.Cpu, 2);
        using var graph = NormalizedUserItemGraph.Build(data.Train, device);
        using var scope = NewDisposeScope();
        var x = randn(graph.NodeCount, 8).requires_grad_(true);

        var sparse = graph.Propagate(x);
        var dense = graph.Adjacency.to_dense().mm(x);
        sparse.sum().backward();

        Assert.True(allclose(sparse, dense, rtol: 1e-5, atol: 1e-6));
        Assert.True(allclose(x.grad!, graph.Adjacency.to_dense().t().mm(ones(graph.NodeCount, 8)), rtol: 1e-5, atol: 1e-6));
    }
}
