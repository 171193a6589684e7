using Spumr.Core.Data;

namespace Spumr.GraphMaintainer.Graphs;

/// <summary>
/// The data every graph is built from: each user's distinct training items (ascending), each
/// item's distinct users (ascending), and each modality's item vectors. The batch builder takes
/// it from an <see cref="MmrecDataset"/> (training split) or from a <c>GraphState</c>, so an
/// incremental state can be checked against a rebuild on the same final data.
/// </summary>
public sealed class GraphSource
{
    public GraphSource(int userCount, int itemCount, int[] userOffsets, int[] userItems, IReadOnlyList<ModalFeatures> modalities)
    {
        ArgumentNullException.ThrowIfNull(userOffsets);
        ArgumentNullException.ThrowIfNull(userItems);
        ArgumentNullException.ThrowIfNull(modalities);
        if (userOffsets.Length != userCount + 1 || userOffsets[userCount] != userItems.Length)
        {
            throw new ArgumentException("User offsets do not match the user count and item list.", nameof(userOffsets));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in modalities)
        {
            if (m.Rows < itemCount)
            {
                throw new ArgumentException($"Modality '{m.Modality}' has {m.Rows} rows for {itemCount} items.", nameof(modalities));
            }

            if (!names.Add(m.Modality))
            {
                throw new ArgumentException($"Modality '{m.Modality}' appears twice.", nameof(modalities));
            }
        }

        UserCount = userCount;
        ItemCount = itemCount;
        UserItems = new SetFamily(userOffsets, userItems, itemCount, "item");
        ItemUsers = UserItems.Transpose(itemCount, "user");
        Modalities = modalities;
    }

    public int UserCount { get; }

    public int ItemCount { get; }

    /// <summary>N(u): each user's distinct items, ascending.</summary>
    public SetFamily UserItems { get; }

    /// <summary>U(i): each item's distinct users, ascending.</summary>
    public SetFamily ItemUsers { get; }

    public IReadOnlyList<ModalFeatures> Modalities { get; }

    public ModalFeatures Modality(string name)
        => Modalities.FirstOrDefault(m => m.Modality == name) ?? throw new ArgumentException($"No modality '{name}' (have: {string.Join(", ", Modalities.Select(m => m.Modality))}).", nameof(name));

    /// <summary>The training split of an MMRec data set, with all its modalities.</summary>
    public static GraphSource FromDataset(MmrecDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var train = data.Train;
        return new GraphSource(data.UserCount, data.ItemCount, train.Offsets, train.Items, [.. data.Features.Select(ModalFeatures.From)]);
    }
}

/// <summary>A family of sorted id sets in compressed-row form (N(u) for users, or U(i) for items).</summary>
public sealed class SetFamily : ISetFamily
{
    private readonly int[] _offsets;
    private readonly int[] _members;

    internal SetFamily(int[] offsets, int[] members, int universe, string memberName)
    {
        _offsets = offsets;
        _members = members;
        for (var r = 0; r + 1 < offsets.Length; r++)
        {
            var set = members.AsSpan(offsets[r], offsets[r + 1] - offsets[r]);
            for (var i = 0; i < set.Length; i++)
            {
                if ((uint)set[i] >= (uint)universe || (i > 0 && set[i] <= set[i - 1]))
                {
                    throw new ArgumentException($"Row {r} must list distinct {memberName} ids below {universe} in ascending order.");
                }
            }
        }
    }

    public int Count => _offsets.Length - 1;

    public int[] Offsets => _offsets;

    public int[] Members => _members;

    public ReadOnlySpan<int> SetOf(int row) => _members.AsSpan(_offsets[row], _offsets[row + 1] - _offsets[row]);

    internal SetFamily Transpose(int columns, string memberName)
    {
        var offsets = new int[columns + 1];
        foreach (var c in _members)
        {
            offsets[c + 1]++;
        }

        for (var c = 0; c < columns; c++)
        {
            offsets[c + 1] += offsets[c];
        }

        var members = new int[_members.Length];
        var cursor = (int[])offsets.Clone();
        for (var r = 0; r < Count; r++)
        {
            foreach (var c in SetOf(r))
            {
                members[cursor[c]++] = r;
            }
        }

        return new SetFamily(offsets, members, Count, memberName);
    }
}

/// <summary>Read access to a family of sorted id sets, from CSR arrays or from live state.</summary>
public interface ISetFamily
{
    int Count { get; }

    ReadOnlySpan<int> SetOf(int row);
}
