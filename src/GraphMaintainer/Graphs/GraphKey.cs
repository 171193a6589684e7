namespace Spumr.GraphMaintainer.Graphs;

/// <summary>The four graph families of MODEL.md §2 and §3.</summary>
public enum GraphFamily
{
    /// <summary>Item-item, cosine of raw item features in one modality (G_I^m).</summary>
    ItemModal,

    /// <summary>User-user, cosine of modal interest profiles in one modality (G_U^m).</summary>
    UserModal,

    /// <summary>User-user Jaccard of training item sets.</summary>
    UserJaccard,

    /// <summary>Item-item co-occurrence |U(i) ∩ U(j)| / sqrt(|U(i)| |U(j)|).</summary>
    ItemCooccurrence,
}

/// <summary>One graph: a family, and the modality for the two modal families.</summary>
public readonly record struct GraphKey(GraphFamily Family, string? Modality = null)
{
    public override string ToString() => Family switch
    {
        GraphFamily.ItemModal => $"item-{Modality}",
        GraphFamily.UserModal => $"user-{Modality}",
        GraphFamily.UserJaccard => "user-jaccard",
        _ => "item-cooccurrence",
    };
}
