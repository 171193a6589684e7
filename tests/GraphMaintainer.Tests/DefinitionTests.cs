using Spumr.Core.Data;
using Spumr.GraphMaintainer.Graphs;

namespace Spumr.GraphMaintainer.Tests;

/// <summary>The documented rules of every list, on hand-made data.</summary>
public sealed class DefinitionTests
{
    private static readonly GraphBuildOptions Two = new(2, 1);

    [Fact]
    public void Jaccard_is_overlap_over_union_listed_best_first_and_only_with_overlap()
    {
        var source = Source([[0, 1, 2], [1, 2], [2, 3], [4]], itemCount: 5);
        var g = BatchGraphBuilder.UserJaccard(source, new GraphBuildOptions(10, 1));
        AssertRow(g, 0, (1, 2f / 3), (2, 1f / 4));
        AssertRow(g, 1, (0, 2f / 3), (2, 1f / 3));
        AssertRow(g, 2, (1, 1f / 3), (0, 1f / 4));
        AssertRow(g, 3);
    }

    [Fact]
    public void Cooccurrence_is_common_users_over_root_of_both_counts()
    {
        var source = Source([[0, 1, 2], [1, 2], [2, 3], [4]], itemCount: 5);
        var g = BatchGraphBuilder.ItemCooccurrence(source, new GraphBuildOptions(10, 1));
        AssertRow(g, 1, (2, (float)(2 / Math.Sqrt(6))), (0, (float)(1 / Math.Sqrt(2))));
        AssertRow(g, 3, (2, (float)(1 / Math.Sqrt(3))));
        AssertRow(g, 4);
    }

    [Fact]
    public void Ties_go_to_the_lower_id_and_self_is_never_listed()
    {
        // Items 0..3 have the same vector; item 4 is equally similar to all of them.
        var source = Source([], 5, Image(5, 2, [1, 1], [1, 1], [1, 1], [1, 1], [1, 0]));
        var g = BatchGraphBuilder.ItemModal(source, "image", Two);
        Assert.Equal([1, 2], g.ColumnsOf(0).ToArray());
        Assert.Equal([0, 2], g.ColumnsOf(1).ToArray());
        Assert.Equal([0, 1], g.ColumnsOf(3).ToArray());
        Assert.Equal([0, 1], g.ColumnsOf(4).ToArray());
    }

    [Fact]
    public void Zero_absent_and_negatively_similar_vectors_give_no_edges()
    {
        var features = Image(4, 2, [1, 0], [0, 0], [1, 0.1f], [-1, 0]);
        var present = new[] { true, true, true, true, false };
        var rows = new float[5 * 2];
        features.Data.AsSpan().CopyTo(rows);
        rows[8] = 1;
        var source = new GraphSource(0, 5, [0], [], [new ModalFeatures("image", 2, 5, rows, present)]);
        var g = BatchGraphBuilder.ItemModal(source, "image", Two);
        AssertRow(g, 0, (2, UnitVectors.Dot(Unit(1, 0), Unit(1, 0.1f))));
        AssertRow(g, 1); // zero vector
        AssertRow(g, 3); // only negative cosines
        AssertRow(g, 4); // a vector in the array, but not present
        Assert.DoesNotContain(1, g.Columns);
        Assert.DoesNotContain(3, g.Columns);
        Assert.DoesNotContain(4, g.Columns);
    }

    [Fact]
    public void Profiles_sum_only_items_with_a_vector_and_users_without_one_have_no_edges()
    {
        // Item 2 has no vector: user 1 = {0, 2} has the profile of item 0; user 2 = {2} has none.
        var rows = new float[] { 1, 0, 0, 1, 5, 5 };
        var features = new ModalFeatures("image", 2, 3, rows, [true, true, false]);
        var source = Source([[0], [0, 2], [2], [0, 1]], 3, features);
        var g = BatchGraphBuilder.UserModal(source, "image", new GraphBuildOptions(5, 1));
        Assert.Equal(1f, g.ValuesOf(0)[0], 6);
        Assert.Equal(1, g.ColumnsOf(0)[0]);
        AssertRow(g, 2);
        Assert.DoesNotContain(2, g.Columns);
        Assert.Equal([1, 3], g.ColumnsOf(0).ToArray());
    }

    [Fact]
    public void Normalised_graph_is_the_symmetric_binary_adjacency_scaled_by_root_degrees()
    {
        // Lists: 0 -> 1, 1 -> 0, 2 -> 0, 3 -> (none).
        var lists = new CsrGraph(4, 4, [0, 1, 2, 3, 3], [1, 0, 0], [0.9f, 0.9f, 0.2f]);
        var a = GraphNormalization.SymmetricNormalized(lists);
        var half = (float)(1 / Math.Sqrt(2));
        AssertRow(a, 0, (1, half), (2, half));
        AssertRow(a, 1, (0, half));
        AssertRow(a, 2, (0, half));
        AssertRow(a, 3);
    }

    [Fact]
    public void Batch_builder_equals_brute_force_across_many_tiles()
    {
        var rnd = new Random(8);
        const int items = 700;
        const int users = 600;
        var data = new float[items * 20];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = rnd.Next(-2, 4);
        }

        var sets = Enumerable.Range(0, users).Select(_ => Enumerable.Range(0, rnd.Next(0, 6)).Select(_ => (int)(Math.Pow(rnd.NextDouble(), 2) * items)).Distinct().Order().ToArray()).ToArray();
        var source = Source(sets, items, new ModalFeatures("image", 20, items, data, null));
        var fast = BatchGraphBuilder.Build(source, new GraphBuildOptions(7, 2));
        Assert.Null(ReferenceGraphs.Build(source, 7).FirstDifference(fast));
    }

    [Fact]
    public void Dataset_source_uses_the_training_split_only()
    {
        var table = new InteractionTable([0, 0, 1, 1], [0, 1, 0, 1], [SplitLabel.Train, SplitLabel.Validation, SplitLabel.Train, SplitLabel.Test]);
        var source = GraphSource.FromDataset(new MmrecDataset("t", 2, 2, table, []));
        Assert.Equal([0], source.UserItems.SetOf(0).ToArray());
        Assert.Equal([0, 1], source.ItemUsers.SetOf(0).ToArray());
        Assert.Empty(source.ItemUsers.SetOf(1).ToArray());
    }

    private static GraphSource Source(int[][] sets, int itemCount, params ModalFeatures[] modalities)
    {
        var offsets = new int[sets.Length + 1];
        for (var u = 0; u < sets.Length; u++)
        {
            offsets[u + 1] = offsets[u] + sets[u].Length;
        }

        return new GraphSource(sets.Length, itemCount, offsets, [.. sets.SelectMany(s => s)], modalities);
    }

    private static ModalFeatures Image(int rows, int width, params float[][] vectors)
        => new("image", width, rows, [.. vectors.SelectMany(v => v)], null);

    private static float[] Unit(params float[] v)
    {
        var u = new float[v.Length];
        UnitVectors.Normalize(v, u);
        return u;
    }

    private static void AssertRow(CsrGraph g, int row, params (int Id, float Weight)[] expected)
    {
        Assert.Equal(expected.Select(e => e.Id).ToArray(), g.ColumnsOf(row).ToArray());
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Weight, g.ValuesOf(row)[i], 6);
        }
    }
}
