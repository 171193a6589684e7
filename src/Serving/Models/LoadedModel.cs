using System.Collections.Frozen;
using System.Numerics.Tensors;
using Spumr.Core.Embeddings;
using Spumr.Serving.Ranking;
using Spumr.ServiceDefaults.Redis;

namespace Spumr.Serving.Models;

/// <summary>
/// One embedding version held in memory: metadata, item ids and the item matrix. Immutable, so a
/// request that took a reference to it sees one version from start to end.
/// </summary>
public sealed class LoadedModel
{
    public LoadedModel(EmbeddingVersionMetadata metadata, ItemEmbeddings items, DateTimeOffset loadedAt)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(items);
        if (metadata.Version != items.Version || metadata.Dimension != items.Dimension)
        {
            throw new ArgumentException($"Items of version {items.Version} (d={items.Dimension}) do not belong to metadata of version {metadata.Version} (d={metadata.Dimension}).", nameof(items));
        }

        Metadata = metadata;
        ItemIds = items.Ids;
        Matrix = items.Matrix;
        Dimension = items.Dimension;
        LoadedAt = loadedAt;
        ItemRows = items.Ids.Select((id, row) => KeyValuePair.Create(id, row)).ToFrozenDictionary(StringComparer.Ordinal);
        Norms = new float[items.Ids.Length];
        for (var row = 0; row < Norms.Length; row++)
        {
            Norms[row] = TensorPrimitives.Norm(ItemRow(row));
        }

        var popular = new List<RankedItem>(metadata.Popularity.Count);
        foreach (var p in metadata.Popularity)
        {
            if (ItemRows.TryGetValue(p.ItemId, out var row))
            {
                popular.Add(new RankedItem(row, p.Interactions));
            }
        }

        Popular = popular.ToArray();
    }

    public long Version => Metadata.Version;

    public EmbeddingVersionMetadata Metadata { get; }

    public int Dimension { get; }

    public DateTimeOffset LoadedAt { get; }

    public string[] ItemIds { get; }

    /// <summary>Row-major [items, dimension].</summary>
    public float[] Matrix { get; }

    /// <summary>L2 norm of each item row (for cosine similarity).</summary>
    public float[] Norms { get; }

    public FrozenDictionary<string, int> ItemRows { get; }

    /// <summary>The popularity ranking as rows, most popular first, scored by interaction count.</summary>
    public RankedItem[] Popular { get; }

    public int ItemCount => ItemIds.Length;

    public ReadOnlySpan<float> ItemRow(int row) => Matrix.AsSpan(row * Dimension, Dimension);
}
