namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// The four graph families as top-k neighbour lists with raw weights (rows in rank order):
/// per modality an item graph and a user graph (cosine), the user Jaccard graph and the item
/// co-occurrence graph. The trainer row-normalises Jaccard and co-occurrence weights itself and
/// takes the modal graphs in their symmetric normalised form (<see cref="NormalizedItemGraph"/>).
/// </summary>
public sealed class SimilarityGraphs
{
    public SimilarityGraphs(
        int neighbors,
        IReadOnlyList<string> modalities,
        IReadOnlyDictionary<string, CsrGraph> itemModal,
        IReadOnlyDictionary<string, CsrGraph> userModal,
        CsrGraph userJaccard,
        CsrGraph itemCooccurrence)
    {
        ArgumentNullException.ThrowIfNull(modalities);
        ArgumentNullException.ThrowIfNull(itemModal);
        ArgumentNullException.ThrowIfNull(userModal);
        ArgumentNullException.ThrowIfNull(userJaccard);
        ArgumentNullException.ThrowIfNull(itemCooccurrence);
        foreach (var m in modalities)
        {
            if (!itemModal.ContainsKey(m) || !userModal.ContainsKey(m))
            {
                throw new ArgumentException($"Modality '{m}' lacks its item or user graph.", nameof(modalities));
            }
        }

        Neighbors = neighbors;
        Modalities = modalities;
        ItemModal = itemModal;
        UserModal = userModal;
        UserJaccard = userJaccard;
        ItemCooccurrence = itemCooccurrence;
    }

    /// <summary>k: the most neighbours any row lists.</summary>
    public int Neighbors { get; }

    public IReadOnlyList<string> Modalities { get; }

    public IReadOnlyDictionary<string, CsrGraph> ItemModal { get; }

    public IReadOnlyDictionary<string, CsrGraph> UserModal { get; }

    public CsrGraph UserJaccard { get; }

    public CsrGraph ItemCooccurrence { get; }

    /// <summary>Every graph: item and user graph per modality (in modality order), then Jaccard, then co-occurrence.</summary>
    public IEnumerable<(GraphKey Key, CsrGraph Graph)> All()
    {
        foreach (var m in Modalities)
        {
            yield return (new GraphKey(GraphFamily.ItemModal, m), ItemModal[m]);
        }

        foreach (var m in Modalities)
        {
            yield return (new GraphKey(GraphFamily.UserModal, m), UserModal[m]);
        }

        yield return (new GraphKey(GraphFamily.UserJaccard), UserJaccard);
        yield return (new GraphKey(GraphFamily.ItemCooccurrence), ItemCooccurrence);
    }

    /// <summary>Â_I^m = D^-1/2 (A ∨ Aᵀ) D^-1/2 of the item graph of <paramref name="modality"/>.</summary>
    public CsrGraph NormalizedItemGraph(string modality) => GraphNormalization.SymmetricNormalized(ItemModal[modality]);

    /// <summary>Â_U^m = D^-1/2 (A ∨ Aᵀ) D^-1/2 of the user graph of <paramref name="modality"/>.</summary>
    public CsrGraph NormalizedUserGraph(string modality) => GraphNormalization.SymmetricNormalized(UserModal[modality]);

    /// <summary>Null when every graph is identical (ids, order and weight bits); else the first difference.</summary>
    public string? FirstDifference(SimilarityGraphs other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!Modalities.SequenceEqual(other.Modalities))
        {
            return $"modalities [{string.Join(", ", Modalities)}] vs [{string.Join(", ", other.Modalities)}]";
        }

        var theirs = other.All().ToList();
        var i = 0;
        foreach (var (key, graph) in All())
        {
            if (graph.FirstDifference(theirs[i++].Graph) is { } diff)
            {
                return $"{key}: {diff}";
            }
        }

        return null;
    }
}
