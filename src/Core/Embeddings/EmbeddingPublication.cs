namespace Spumr.Core.Embeddings;

/// <summary>
/// One trained model's embeddings, ready to publish as a new version: row i of
/// <see cref="UserMatrix"/> belongs to <c>UserIds[i]</c>, row j of <see cref="ItemMatrix"/> to
/// <c>ItemIds[j]</c>. Checked on construction so a bad payload never reaches the store.
/// </summary>
public sealed class EmbeddingPublication
{
    public EmbeddingPublication(
        string model,
        int dimension,
        IReadOnlyList<string> userIds,
        float[] userMatrix,
        IReadOnlyList<string> itemIds,
        float[] itemMatrix,
        IReadOnlyList<PopularItem> popularity,
        IReadOnlyDictionary<string, double>? metrics = null,
        string? graphSnapshotPosition = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(userMatrix);
        ArgumentNullException.ThrowIfNull(itemIds);
        ArgumentNullException.ThrowIfNull(itemMatrix);
        ArgumentNullException.ThrowIfNull(popularity);
        if (itemIds.Count == 0)
        {
            throw new ArgumentException("A version needs at least one item.", nameof(itemIds));
        }

        CheckShape("user", userIds.Count, dimension, userMatrix, nameof(userMatrix));
        CheckShape("item", itemIds.Count, dimension, itemMatrix, nameof(itemMatrix));
        CheckIds("user", userIds, nameof(userIds));
        var items = CheckIds("item", itemIds, nameof(itemIds));
        var ranked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in popularity)
        {
            if (!items.Contains(p.ItemId))
            {
                throw new ArgumentException($"Popular item '{p.ItemId}' has no embedding in this version.", nameof(popularity));
            }

            if (!ranked.Add(p.ItemId))
            {
                throw new ArgumentException($"Popular item '{p.ItemId}' is ranked twice.", nameof(popularity));
            }
        }

        Model = model;
        Dimension = dimension;
        UserIds = userIds;
        UserMatrix = userMatrix;
        ItemIds = itemIds;
        ItemMatrix = itemMatrix;
        Popularity = popularity;
        Metrics = metrics ?? new Dictionary<string, double>();
        GraphSnapshotPosition = graphSnapshotPosition;
    }

    public string Model { get; }

    public int Dimension { get; }

    public IReadOnlyList<string> UserIds { get; }

    /// <summary>Row-major [users, dimension].</summary>
    public float[] UserMatrix { get; }

    public IReadOnlyList<string> ItemIds { get; }

    /// <summary>Row-major [items, dimension].</summary>
    public float[] ItemMatrix { get; }

    public IReadOnlyList<PopularItem> Popularity { get; }

    public IReadOnlyDictionary<string, double> Metrics { get; }

    public string? GraphSnapshotPosition { get; }

    public ReadOnlySpan<float> UserRow(int row) => UserMatrix.AsSpan(row * Dimension, Dimension);

    private static void CheckShape(string what, int rows, int dimension, float[] matrix, string parameter)
    {
        if ((long)rows * dimension != matrix.LongLength)
        {
            throw new ArgumentException($"The {what} matrix has {matrix.LongLength} values, expected {rows} x {dimension}.", parameter);
        }

        for (var i = 0; i < matrix.Length; i++)
        {
            if (!float.IsFinite(matrix[i]))
            {
                throw new ArgumentException($"The {what} matrix has a non-finite value at row {i / dimension}.", parameter);
            }
        }
    }

    private static HashSet<string> CheckIds(string what, IReadOnlyList<string> ids, string parameter)
    {
        var seen = new HashSet<string>(ids.Count, StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (ExternalId.Problem(id) is { } problem)
            {
                throw new ArgumentException($"The {what} id '{id}' {problem}.", parameter);
            }

            if (!seen.Add(id))
            {
                throw new ArgumentException($"The {what} id '{id}' appears twice.", parameter);
            }
        }

        return seen;
    }
}
