namespace Spumr.Core.Messages;

/// <summary>
/// Published (MassTransit) by the GraphMaintainer after a graph-state snapshot is durably written.
/// </summary>
/// <param name="SnapshotPath">Absolute path of the snapshot file.</param>
/// <param name="Sequence">Monotonic snapshot number of the writing GraphMaintainer.</param>
/// <param name="InteractionCount">Interactions the snapshot holds.</param>
/// <param name="UserCount">Users the snapshot holds.</param>
/// <param name="ItemCount">Items the snapshot holds.</param>
/// <param name="CreatedAt">When the snapshot was written.</param>
public sealed record GraphSnapshotReady(
    string SnapshotPath,
    long Sequence,
    long InteractionCount,
    int UserCount,
    int ItemCount,
    DateTimeOffset CreatedAt);
