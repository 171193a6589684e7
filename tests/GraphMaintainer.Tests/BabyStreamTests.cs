using Spumr.Core.Data;
using Spumr.Core.Events;
using Spumr.GraphMaintainer.Graphs;
using Spumr.GraphMaintainer.State;

namespace Spumr.GraphMaintainer.Tests;

/// <summary>The bundled Baby training split streamed in timestamp order equals the batch build on it.</summary>
public sealed class BabyStreamTests
{
    [Fact]
    public void Streaming_the_baby_training_split_equals_the_batch_build()
    {
        var data = MmrecDatasetReader.Load(RepoPath("data/amazon-baby"));
        var t = data.Interactions;
        var rows = Enumerable.Range(0, t.Count).Where(r => t.Splits[r] == SplitLabel.Train)
            .OrderBy(r => t.Timestamps![r]).ThenBy(r => r).ToArray();
        var state = new GraphState(new GraphStateOptions
        {
            Modalities = [.. data.Features.Select(f => new ModalitySpec(f.Modality, f.Width))],
        });

        // The data set's internal ids, so the stream can be compared with the data set's build bit for bit.
        state.RegisterIds(data.UserExternalIds!, data.ItemExternalIds!);
        var text = data.FindModality("text")!;
        var image = data.FindModality("image")!;
        state.ApplyBatch([], [.. Enumerable.Range(0, data.ItemCount).Select(i => Features(data, text, i))]);

        // Image vectors arrive one batch after an item's first interaction: profiles must follow.
        var seen = new bool[data.ItemCount];
        var late = new List<ItemFeaturesEvent>();
        const int Batch = 2000;
        for (var b = 0; b < rows.Length; b += Batch)
        {
            var interactions = rows[b..Math.Min(rows.Length, b + Batch)]
                .Select(r => new InteractionEvent($"x{r}", data.UserExternalId(t.Users[r]), data.ItemExternalId(t.Items[r]), t.Timestamps![r], t.Ratings?[r]))
                .ToList();
            state.ApplyBatch(interactions, late);
            late = [];
            foreach (var r in rows[b..Math.Min(rows.Length, b + Batch)])
            {
                if (!seen[t.Items[r]])
                {
                    seen[t.Items[r]] = true;
                    late.Add(Features(data, image, t.Items[r]));
                }
            }
        }

        state.ApplyBatch([], [.. late, .. Enumerable.Range(0, data.ItemCount).Where(i => !seen[i]).Select(i => Features(data, image, i))]);
        Assert.Equal(rows.Length, state.ExportInteractions().Count);

        var fromDataset = BatchGraphBuilder.Build(GraphSource.FromDataset(data));
        var incremental = state.Graphs();
        Assert.Null(fromDataset.FirstDifference(incremental));
        Assert.Null(BatchGraphBuilder.Build(state.ToGraphSource()).FirstDifference(incremental));
        Assert.All(fromDataset.All(), g => Assert.True(g.Graph.NonZeroCount > 0, $"{g.Key} is empty"));
    }

    private static ItemFeaturesEvent Features(MmrecDataset data, FeatureMatrix m, int item)
        => new($"f-{m.Modality}-{item}", data.ItemExternalId(item), m.Modality, m.Row(item).ToArray());

    internal static string RepoPath(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"'{relative}' not found above {AppContext.BaseDirectory}");
    }
}
