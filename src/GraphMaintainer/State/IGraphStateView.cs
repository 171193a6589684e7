using Spumr.Core.Data;
using Spumr.GraphMaintainer.Graphs;

namespace Spumr.GraphMaintainer.State;

/// <summary>
/// Read access to the maintained state, for the trainer (through a loaded snapshot) and for
/// checks. Not safe to read while the owner applies events; spans and arrays it returns are
/// valid until the next applied batch.
/// </summary>
public interface IGraphStateView
{
    /// <summary>k of every neighbour list.</summary>
    int Neighbors { get; }

    IReadOnlyList<ModalitySpec> Modalities { get; }

    int UserCount { get; }

    int ItemCount { get; }

    /// <summary>External user ids by internal id (internal ids are dense, in order of first sight).</summary>
    IReadOnlyList<string> UserIds { get; }

    /// <summary>External item ids by internal id.</summary>
    IReadOnlyList<string> ItemIds { get; }

    long AppliedEventCount { get; }

    long BatchCount { get; }

    bool TryGetUser(string externalId, out int user);

    bool TryGetItem(string externalId, out int item);

    /// <summary>The user's applied interactions in arrival order (a repeated user-item pair appears once per event).</summary>
    ReadOnlySpan<InteractionRecord> InteractionsOf(int user);

    /// <summary>N(u): the user's distinct items, ascending.</summary>
    ReadOnlySpan<int> ItemsOf(int user);

    /// <summary>U(i): the item's distinct users, ascending.</summary>
    ReadOnlySpan<int> UsersOf(int item);

    /// <summary>
    /// Every applied interaction as a table sorted by user, timestamp, item; all labelled
    /// training (a trainer holds out the latest ones itself). Ratings are NaN where an event had none.
    /// </summary>
    InteractionTable ExportInteractions();

    /// <summary>The raw vectors of one modality (absent rows have no vector).</summary>
    ModalFeatures Features(string modality);

    /// <summary>The served top-k lists of all four families (copies).</summary>
    SimilarityGraphs Graphs();

    /// <summary>The data as a <see cref="GraphSource"/>, for a batch rebuild to compare against.</summary>
    GraphSource ToGraphSource();
}
