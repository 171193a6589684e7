namespace Spumr.ServiceDefaults.Redis;

/// <summary>All item vectors of one version: row j of <see cref="Matrix"/> belongs to <c>Ids[j]</c>.</summary>
public sealed record ItemEmbeddings(long Version, string[] Ids, float[] Matrix, int Dimension);

/// <summary>What one garbage collection did.</summary>
/// <param name="Deleted">Versions whose keys were deleted.</param>
/// <param name="KeptForLeases">Versions past the last N kept because a reader holds a lease on them.</param>
/// <param name="KeysDeleted">Keys unlinked.</param>
public sealed record GarbageCollectionReport(IReadOnlyList<long> Deleted, IReadOnlyList<long> KeptForLeases, long KeysDeleted);

/// <summary>A stored version as listed by the store.</summary>
public sealed record StoredVersion(long Version, bool IsLive, bool IsComplete);
