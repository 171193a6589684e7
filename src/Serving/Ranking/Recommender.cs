using System.Buffers;
using System.Numerics.Tensors;
using Spumr.Serving.Models;

namespace Spumr.Serving.Ranking;

/// <summary>Which path produced a ranking.</summary>
public enum RecommendationSource
{
    /// <summary>The user's own embedding scored against every item.</summary>
    Embedding,

    /// <summary>A cold-start user: the mean of the embeddings of the items they have seen, scored against every item.</summary>
    FoldIn,

    /// <summary>A cold-start user with no usable history: the version's popularity ranking.</summary>
    Popularity,
}

/// <summary>A ranking and the path that produced it.</summary>
public sealed record Recommendation(RecommendationSource Source, RankedItem[] Items);

/// <summary>
/// The ranking rules of Serving, on data only (no Redis, no HTTP): exact dot-product scores over all
/// items, seen items excluded, partial top-K; fold-in and popularity for users without an embedding.
/// </summary>
public static class Recommender
{
    /// <param name="model">The version to rank from.</param>
    /// <param name="userVector">The user's embedding in that version, or null for a cold-start user.</param>
    /// <param name="seenItems">External ids of the items the user has seen (excluded), or null when unknown.</param>
    /// <param name="k">How many items at most.</param>
    public static Recommendation Recommend(LoadedModel model, float[]? userVector, IReadOnlyCollection<string>? seenItems, int k)
    {
        ArgumentNullException.ThrowIfNull(model);
        var seenRows = SeenRows(model, seenItems);
        if (userVector is not null)
        {
            return new Recommendation(RecommendationSource.Embedding, RankByDot(model, userVector, seenRows, k));
        }

        if (seenRows.Count > 0)
        {
            return new Recommendation(RecommendationSource.FoldIn, RankByDot(model, FoldIn(model, seenRows), seenRows, k));
        }

        // The popularity ranking is already ordered; only the seen items (if any) are skipped.
        var items = new List<RankedItem>(Math.Min(k, model.Popular.Length));
        foreach (var item in model.Popular)
        {
            if (items.Count == k)
            {
                break;
            }

            if (!seenRows.Contains(item.Row))
            {
                items.Add(item);
            }
        }

        return new Recommendation(RecommendationSource.Popularity, items.ToArray());
    }

    /// <summary>Items most similar to the item at <paramref name="row"/> by cosine of their embeddings, the item itself excluded.</summary>
    public static RankedItem[] Similar(LoadedModel model, int row, int k)
    {
        ArgumentNullException.ThrowIfNull(model);
        var scores = ArrayPool<float>.Shared.Rent(model.ItemCount);
        try
        {
            var span = scores.AsSpan(0, model.ItemCount);
            ItemScorer.Cosine(model, model.ItemRow(row), span);
            return TopKSelector.Select(span, [row], k);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }

    /// <summary>The cold-start query: the mean of the seen items' embeddings.</summary>
    public static float[] FoldIn(LoadedModel model, IReadOnlyCollection<int> seenRows)
    {
        var query = new float[model.Dimension];
        foreach (var row in seenRows)
        {
            TensorPrimitives.Add(query, model.ItemRow(row), query);
        }

        TensorPrimitives.Divide(query, seenRows.Count, query);
        return query;
    }

    private static RankedItem[] RankByDot(LoadedModel model, ReadOnlySpan<float> query, HashSet<int> seenRows, int k)
    {
        var scores = ArrayPool<float>.Shared.Rent(model.ItemCount);
        try
        {
            var span = scores.AsSpan(0, model.ItemCount);
            ItemScorer.Dot(model, query, span);
            var excluded = seenRows.ToArray();
            Array.Sort(excluded);
            return TopKSelector.Select(span, excluded, k);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }

    private static HashSet<int> SeenRows(LoadedModel model, IReadOnlyCollection<string>? seenItems)
    {
        var rows = new HashSet<int>();
        if (seenItems is null)
        {
            return rows;
        }

        foreach (var id in seenItems)
        {
            // Items the version does not know (added after it was trained) cannot be scored or excluded.
            if (model.ItemRows.TryGetValue(id, out var row))
            {
                rows.Add(row);
            }
        }

        return rows;
    }
}
