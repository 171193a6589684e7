using Spumr.GraphMaintainer.Graphs;

namespace Spumr.GraphMaintainer.State;

/// <summary>What one applied batch changed.</summary>
/// <param name="Applied">Events applied (first sight of their event id).</param>
/// <param name="Duplicates">Events skipped because their id was applied before.</param>
/// <param name="NewUsers">Users seen for the first time.</param>
/// <param name="NewItems">Items seen for the first time.</param>
/// <param name="ChangedUsers">Users whose item set changed (ascending internal ids).</param>
/// <param name="ChangedItems">Items whose user set or some vector changed (ascending).</param>
/// <param name="Graphs">Per graph: what the repair recomputed and which rows' served lists changed.</param>
public sealed record ApplyResult(
    int Applied,
    int Duplicates,
    int NewUsers,
    int NewItems,
    IReadOnlyList<int> ChangedUsers,
    IReadOnlyList<int> ChangedItems,
    IReadOnlyList<GraphChange> Graphs);

/// <summary>One graph's repair in a batch.</summary>
/// <param name="RowsChanged">Rows whose served top-k list changed (ascending).</param>
/// <param name="Elapsed">Time spent repairing this graph (including its share of vector and profile refreshes).</param>
public sealed record GraphChange(GraphKey Graph, RepairStats Repair, IReadOnlyList<int> RowsChanged, TimeSpan Elapsed);
